"""API of the regime (/api/v1/trade-secrets/): the same services and gate as the pages.

``rids/<id>/`` the regime; ``present``, ``council``, ``approve``, ``grant``, ``revoke`` its steps; ``content`` the
decrypted content (GET journaled as a view; PATCH an edit), 403 for anyone not on the access list (journaled);
``journal/`` the access journal (IP department, auditors). The registry's RID API nulls the content for those not on
the list (``content_for_api``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ridbook.accounts.models import User
from ridbook.accounts.permissions import Action, can, restrict, users_visible_to
from ridbook.api.fields import VisibleIdField
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.registry.models import Authorship, Rid
from ridbook.registry.selectors import rids_visible_to
from ridbook.tradesecret import access, sealing
from ridbook.tradesecret.choices import CouncilOutcome, StorageMedium
from ridbook.tradesecret.marking import marking_text
from ridbook.tradesecret.models import AccessGrant, JournalAction, JournalEntry, Regime
from ridbook.tradesecret.services import access_list
from ridbook.tradesecret.services import regime as services

# --- the RID API's content (registry.api.RidSerializer asks here) ---------------------------------------------------


@dataclass
class ApiContent:
    fields: dict[str, Any] | None  # None: nulled
    contributions: dict[int, str | None]  # person id → the text (None: nulled)
    description: str | None
    marking: str

    def apply(self, data: dict[str, Any]) -> None:
        for field in sealing.RID_CONTENT_FIELDS:
            if field in data:
                data[field] = None if self.fields is None else self.fields.get(field, [] if field == "keywords" else "")
        for author in data.get("authors") or []:
            author["contribution"] = self.contributions.get(author.get("person"))
        if data.get("export_control"):
            data["export_control"]["description"] = self.description
        data["trade_secret_marking"] = self.marking


def content_for_api(request: Any, rid: Rid) -> ApiContent | None:
    if request is None or rid.pk is None:
        return None
    regime = access.regime_of(rid)
    if regime is None:
        return None
    user = request.user
    people = list(Authorship.objects.filter(rid=rid).values_list("person_id", flat=True))
    if not access.is_listed(user, regime):
        access.refuse(user, regime, channel="api", request=request)
        rid.__dict__["_content_restricted"] = True
        return ApiContent(None, dict.fromkeys(people), None, marking_text(regime))
    payload = access.read_content(user, regime, action=JournalAction.VIEW, channel="api", request=request)
    contributions: dict[int, str | None] = {p: payload["authorships"].get(str(p), "") for p in people}
    return ApiContent(
        payload["rid"], contributions, payload["export_control"].get("description", ""), marking_text(regime)
    )


class TradeSecretContent(serializers.Serializer[Any]):
    """Mixed into the registry's RID serializer: a trade secret's content decrypted for a listed user (journaled),
    null for everyone else (the refusal journaled), with ``content_restricted``."""

    content_restricted = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "режим коммерческой тайны, вас нет в списке допуска: поля содержания — null (доступ ограничен)"
        )
    )

    def get_content_restricted(self, rid: Rid) -> bool:
        return bool(rid.__dict__.get("_content_restricted", False))

    def to_representation(self, instance: Any) -> dict[str, Any]:
        request = self.context.get("request")
        instance.__dict__["_content_restricted"] = False
        content = content_for_api(request, instance)
        data = dict(super().to_representation(instance))
        if content is not None:
            content.apply(data)
        return data


# --- the regime's endpoints ---------------------------------------------------------------------------------------


class GrantSerializer(serializers.ModelSerializer[AccessGrant]):
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    added_by_name = serializers.CharField(source="added_by.full_name", read_only=True, default="")
    removed_by_name = serializers.CharField(source="removed_by.full_name", read_only=True, default="")

    class Meta:
        model = AccessGrant
        fields = ["id", "user", "user_name", "added_on", "added_by_name", "removed_on", "removed_by_name", "reason"]


class RegimeSerializer(serializers.ModelSerializer[Regime]):
    access_list = serializers.SerializerMethodField()
    marking = serializers.SerializerMethodField()
    listed = serializers.SerializerMethodField()

    class Meta:
        model = Regime
        fields = [
            "id",
            "rid",
            "state",
            "presented_on",
            "council_outcome",
            "council_protocol_number",
            "council_decided_on",
            "approved_on",
            "approval_order_number",
            "storage_place",
            "storage_medium",
            "copy_limit",
            "holder_name",
            "holder_address",
            "ended_on",
            "end_reason",
            "marking",
            "listed",
            "access_list",
        ]

    def _user(self) -> Any:
        return self.context["request"].user

    def get_marking(self, regime: Regime) -> str:
        return marking_text(regime) if regime.is_restricted else ""

    def get_listed(self, regime: Regime) -> bool:
        return regime.is_restricted and access.is_listed(self._user(), regime)

    def get_access_list(self, regime: Regime) -> list[dict[str, Any]] | None:
        """The list: to the IP department, the approver, the auditors and those on it; null to the others."""
        user, org = self._user(), regime.organization
        if not (
            can(user, Action.TRADE_SECRET_KEEP, org)
            or can(user, Action.TRADE_SECRET_APPROVE, org)
            or can(user, Action.TRADE_SECRET_JOURNAL_VIEW, org)
            or access.is_listed(user, regime)
        ):
            return None
        grants = AccessGrant.objects.filter(regime=regime).select_related("user", "added_by", "removed_by")
        return list(GrantSerializer(grants, many=True).data)


class PresentSerializer(serializers.Serializer[Any]):
    commercial_value = serializers.CharField(required=False, allow_blank=True, default="")
    presented_on = serializers.DateField(required=False, allow_null=True, default=None)


class CouncilSerializer(serializers.Serializer[Any]):
    council_outcome = serializers.ChoiceField(choices=CouncilOutcome.choices)
    council_protocol_number = serializers.CharField(max_length=50)
    council_decided_on = serializers.DateField()


class ApproveSerializer(serializers.Serializer[Any]):
    approved = serializers.BooleanField()
    approved_on = serializers.DateField()
    order_number = serializers.CharField(required=False, allow_blank=True, default="")
    access_list = serializers.ListField(
        child=VisibleIdField(queryset=User.objects.all(), visible=users_visible_to), required=False, default=list
    )
    storage_place = serializers.CharField(required=False, allow_blank=True, default="")
    storage_medium = serializers.ChoiceField(choices=[("", "—"), *StorageMedium.choices], required=False, default="")
    copy_limit = serializers.IntegerField(min_value=1, required=False, default=1)
    holder_name = serializers.CharField(required=False, allow_blank=True, default="")
    holder_address = serializers.CharField(required=False, allow_blank=True, default="")


class ListChangeSerializer(serializers.Serializer[Any]):
    user = VisibleIdField(queryset=User.objects.all(), visible=users_visible_to)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ContentSerializer(serializers.Serializer[Any]):
    purpose = serializers.CharField(required=False, allow_blank=True)
    abstract = serializers.CharField(required=False, allow_blank=True)
    uses = serializers.CharField(required=False, allow_blank=True)
    keywords = serializers.ListField(child=serializers.CharField(), required=False)
    publication_sources = serializers.CharField(required=False, allow_blank=True)


class JournalEntrySerializer(serializers.ModelSerializer[JournalEntry]):
    rid_number = serializers.CharField(source="regime.rid.number", read_only=True)

    class Meta:
        model = JournalEntry
        fields = [
            "id",
            "at",
            "user_label",
            "rid_number",
            "action",
            "granted",
            "what",
            "channel",
            "copy_number",
            "remote_address",
            "reason",
        ]


def _rid(request: Request, pk: int) -> Rid:
    return get_object_or_404(rids_visible_to(request.user).select_related("organization"), pk=pk)


def _regime(rid: Rid) -> Regime:
    regime = Regime.objects.filter(rid=rid).select_related("organization").first()
    if regime is None:
        raise DomainError(_("РИД не представлен научно-техническому совету."), code="not_found", status=404)
    return regime


def _answer(request: Request, regime: Regime, code: int = status.HTTP_200_OK) -> Response:
    regime.refresh_from_db()
    return Response(RegimeSerializer(regime, context={"request": request}).data, status=code)


class RegimeView(APIView):
    @extend_schema(responses=RegimeSerializer, operation_id="trade_secret_regime")
    def get(self, request: Request, pk: int) -> Response:
        """Режим коммерческой тайны РИД."""
        return _answer(request, _regime(_rid(request, pk)))


class PresentView(APIView):
    @extend_schema(request=PresentSerializer, responses=RegimeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Представить РИД научно-техническому совету (руководитель подразделения): содержание шифруется."""
        rid = _rid(request, pk)
        payload = PresentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        regime = services.present(actor=request.user, rid=rid, **payload.validated_data)
        return _answer(request, regime, status.HTTP_201_CREATED)


class CouncilView(APIView):
    @extend_schema(request=CouncilSerializer, responses=RegimeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Внести решение научно-технического совета (подразделение по ИС)."""
        regime = _regime(_rid(request, pk))
        payload = CouncilSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.record_council_decision(
            actor=request.user,
            regime=regime,
            outcome=data["council_outcome"],
            protocol_number=data["council_protocol_number"],
            decided_on=data["council_decided_on"],
        )
        return _answer(request, regime)


class ApproveView(APIView):
    @extend_schema(request=ApproveSerializer, responses=RegimeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Утвердить (или не утвердить) режим и список допуска (руководитель или проректор по научной работе)."""
        regime = _regime(_rid(request, pk))
        payload = ApproveSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data["access_list"] = tuple(data["access_list"])
        services.approve(actor=request.user, regime=regime, approval=services.Approval(**data))
        return _answer(request, regime)


class GrantView(APIView):
    @extend_schema(request=ListChangeSerializer, responses=RegimeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Включить пользователя в список допуска (с датой; утверждает руководитель)."""
        regime = _regime(_rid(request, pk))
        payload = ListChangeSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        access_list.grant(actor=request.user, regime=regime, **payload.validated_data)
        return _answer(request, regime, status.HTTP_201_CREATED)


class RevokeView(APIView):
    @extend_schema(request=ListChangeSerializer, responses=RegimeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Прекратить допуск пользователя (с датой; утверждает руководитель)."""
        regime = _regime(_rid(request, pk))
        payload = ListChangeSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        access_list.revoke(actor=request.user, regime=regime, **payload.validated_data)
        return _answer(request, regime)


class ContentView(APIView):
    def _read(self, request: Request, regime: Regime) -> Response:
        data = access.read_content(request.user, regime, action=JournalAction.VIEW, channel="api", request=request)
        body = {f: data["rid"].get(f, [] if f == "keywords" else "") for f in sealing.RID_CONTENT_FIELDS}
        body["marking"] = marking_text(regime) if regime.is_restricted else ""
        response = Response(body)
        add_never_cache_headers(response)
        return response

    @extend_schema(responses=ContentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        """Содержание РИД в режиме коммерческой тайны — лицам из списка допуска (запись в журнал учёта доступа)."""
        return self._read(request, _regime(_rid(request, pk)))

    @extend_schema(request=ContentSerializer, responses=ContentSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        """Изменить содержание (зашифровано; запись «изменение» в журнале)."""
        regime = _regime(_rid(request, pk))
        payload = ContentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        access.edit_content(request.user, regime, dict(payload.validated_data), request=request)
        return self._read(request, regime)


class JournalView(generics.ListAPIView[JournalEntry]):
    """Журнал учёта доступа (подразделение по ИС, аудиторы): кто, когда, что — без содержания; newest first, paged."""

    serializer_class = JournalEntrySerializer
    queryset = JournalEntry.objects.none()  # the schema's model; get_queryset asks the permission module

    @extend_schema(
        parameters=[
            OpenApiParameter("rid", int, description="РИД"),  # i18n: ru-only (the schema's parameter help)
            OpenApiParameter("granted", bool),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        request = self.request
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return JournalEntry.objects.none()
        if not can(request.user, Action.TRADE_SECRET_JOURNAL_VIEW):
            raise PermissionDeniedError(_("Журнал учёта доступа ведёт подразделение по ИС; его читают и аудиторы."))
        entries = restrict(JournalEntry.objects.all(), request.user, Action.TRADE_SECRET_JOURNAL_VIEW)
        rid = request.query_params.get("rid", "")
        if rid:
            entries = entries.filter(regime__rid_id=int(rid) if rid.isdigit() else 0)
        granted = request.query_params.get("granted", "")
        if granted in ("true", "false"):
            entries = entries.filter(granted=granted == "true")
        return entries.select_related("regime__rid").order_by("-id")
