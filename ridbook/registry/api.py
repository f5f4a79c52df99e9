"""Registry API (/api/v1/rids/, /api/v1/people/): the same services and selectors as the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ridbook.accounts.models import User
from ridbook.accounts.permissions import Action, require, users_visible_to
from ridbook.accounts.personal_data import PersonalField, personal_data_access
from ridbook.api.fields import VisibleIdField
from ridbook.api.permissions import ObjectFirstMixin
from ridbook.core.errors import DomainError
from ridbook.core.inputs import YearFilter
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import organizations_visible_to
from ridbook.registry import services
from ridbook.registry.models import (
    Authorship,
    Contribution,
    ExportControlAct,
    NoticeEvent,
    Person,
    Rid,
    StateSecretConclusion,
)
from ridbook.registry.search import search_filter
from ridbook.registry.selectors import (
    materials_refusal,
    novelty_risk,
    people_visible_to,
    require_materials_access,
    rid_filing_blockers,
    rids_visible_to,
)
from ridbook.tradesecret.api import TradeSecretContent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PersonSerializer(serializers.ModelSerializer[Person]):
    """A person; the personal fields (ИНН, СНИЛС, birth date, address, phone, e-mail, citizenship) are returned only
    to those who need them (``accounts.personal_data``), the others get the name, workplace and position."""

    full_name = serializers.CharField(read_only=True)
    organization = VisibleIdField(queryset=Organization.objects.all(), visible=organizations_visible_to)
    user = VisibleIdField(queryset=User.objects.all(), visible=users_visible_to, allow_null=True, required=False)
    is_external = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "full_name", "is_external", *services.PERSON_FIELDS]
        extra_kwargs: dict[str, dict[str, Any]] = {"inn": {"validators": []}, "snils": {"validators": []}}
        validators: list[Any] = []  # uniqueness is the service's rule (with a link to the existing person)

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        allowed = personal_data_access(getattr(request, "user", None)).fields(instance)
        for field in PersonalField:
            if field not in allowed:
                data.pop(field.value, None)
        return data


class AuthorshipSerializer(serializers.ModelSerializer[Authorship]):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Authorship
        fields = [
            "person",
            "person_name",
            "coefficient",
            "hours",
            "period_start",
            "period_end",
            "contribution",
            "basis",
            "basis_other",
        ]


class ContributionSerializer(serializers.ModelSerializer[Contribution]):
    person = VisibleIdField(queryset=Person.objects.all(), visible=people_visible_to)
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Contribution
        fields = ["person", "person_name", "assistance"]


class EventSerializer(serializers.ModelSerializer[NoticeEvent]):
    class Meta:
        model = NoticeEvent
        fields = ["kind", "at", "actor_label", "reasons"]


class StateSecretSerializer(serializers.ModelSerializer[StateSecretConclusion]):
    class Meta:
        model = StateSecretConclusion
        fields = ["number", "date", "commission", "review_start", "review_end", "outcome"]


class ExportControlSerializer(serializers.ModelSerializer[ExportControlAct]):
    class Meta:
        model = ExportControlAct
        fields = ["number", "date", "description", "lists_checked", "outcome", "outcome_details", "conclusion"]


class RidListSerializer(serializers.ModelSerializer[Rid]):
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)
    authors = serializers.SerializerMethodField()

    class Meta:
        model = Rid
        fields = [
            "id",
            "number",
            "kind",
            "title",
            "status",
            "organization",
            "organization_name",
            "created_at",
            "funding_kind",
            "published",
            "trade_secret",
            "authors",
        ]

    def get_authors(self, rid: Rid) -> list[str]:
        return [f"{a.person.short_name} ({a.coefficient.normalize():f} %)" for a in rid.authorships.all()]


class RidSerializer(TradeSecretContent, serializers.ModelSerializer[Rid]):
    """A RID with every field of the notice; writable fields are the service's ``RID_FIELDS``; a trade secret's
    content only to its access list (``TradeSecretContent``)."""

    organization = VisibleIdField(queryset=Organization.objects.all(), visible=organizations_visible_to)

    authors = AuthorshipSerializer(source="authorships", many=True, read_only=True)
    contributors = ContributionSerializer(source="contributions", many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    state_secret = serializers.SerializerMethodField()
    export_control = serializers.SerializerMethodField()
    novelty_risk = serializers.SerializerMethodField()
    filing_blockers = serializers.SerializerMethodField()
    missing_packet_documents = serializers.SerializerMethodField()
    packet_by_stage = serializers.SerializerMethodField()

    class Meta:
        model = Rid
        fields = [
            "id",
            "number",
            "status",
            "created_at",
            "submitted_at",
            "received_on",
            "accepted_on",
            "state_registration_number",
            "decided_on",
            "protection_form",
            "rights_holder",
            "next_step",
            "needs_review",
            "review_reasons",
            *services.RID_FIELDS,
            "authors",
            "contributors",
            "events",
            "state_secret",
            "export_control",
            "novelty_risk",
            "filing_blockers",
            "missing_packet_documents",
            "packet_by_stage",
            "content_restricted",
        ]
        read_only_fields = [
            "needs_review",
            "review_reasons",
            "number",
            "status",
            "created_at",
            "submitted_at",
            "received_on",
            "accepted_on",
            "state_registration_number",
            "decided_on",
            "protection_form",
            "rights_holder",
            "next_step",
        ]  # the workflow and the commission's decision are set by their services only

    def _materials_refused(self, rid: Rid) -> bool:
        """On an open agenda the clearances are the commission's confidential materials (as the packet files)."""
        request = self.context.get("request")
        return request is None or materials_refusal(request.user, rid) is not None

    def get_state_secret(self, rid: Rid) -> dict[str, Any] | None:
        if self._materials_refused(rid):
            return None
        obj = getattr(rid, "state_secret", None)  # a missing one-to-one raises AttributeError
        return StateSecretSerializer(obj).data if obj else None

    def get_export_control(self, rid: Rid) -> dict[str, Any] | None:
        if self._materials_refused(rid):
            return None
        obj = getattr(rid, "export_control", None)
        return ExportControlSerializer(obj).data if obj else None

    def get_novelty_risk(self, rid: Rid) -> dict[str, Any] | None:
        risk = novelty_risk(rid, timezone.localdate())
        if risk is None:
            return None
        return {
            "message": risk.message,
            "deadline": risk.deadline,
            "expired": risk.expired,
            "grace_months": risk.grace_months,
            "policy": risk.policy_ref,
        }

    def get_filing_blockers(self, rid: Rid) -> list[str]:
        return rid_filing_blockers(rid)

    def get_missing_packet_documents(self, rid: Rid) -> list[str]:
        """What the notice's acceptance still needs (the organization's policy)."""
        return services.missing_packet_documents(rid, "acceptance")

    def get_packet_by_stage(self, rid: Rid) -> dict[str, list[str]]:
        """What is still missing to accept the notice, for the commission and for filing (the policy's packet)."""
        return services.packet_by_stage(rid)


class RidFilter(django_filters.FilterSet):
    year = YearFilter(field_name="created_at", lookup_expr="year", label=gettext_lazy("год"))
    author = django_filters.CharFilter(method="filter_author", label=gettext_lazy("автор (фамилия)"))
    q = django_filters.CharFilter(method="filter_search", label=gettext_lazy("поиск (с морфологией)"))
    ordering = django_filters.OrderingFilter(
        fields=(("number", "number"), ("title", "title"), ("created_at", "created"), ("status", "status"))
    )

    class Meta:
        model = Rid
        fields = ["kind", "status", "organization", "funding_kind", "published", "trade_secret", "origin"]

    def filter_author(self, queryset: QuerySet[Rid], name: str, value: str) -> QuerySet[Rid]:
        return queryset.filter(authorships__person__last_name__istartswith=value.strip()).distinct()

    def filter_search(self, queryset: QuerySet[Rid], name: str, value: str) -> QuerySet[Rid]:
        return search_filter(queryset, value)


class AuthorInputSerializer(serializers.Serializer[Any]):
    person = VisibleIdField(queryset=Person.objects.all(), visible=people_visible_to)
    coefficient = serializers.DecimalField(max_digits=5, decimal_places=2)
    hours = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    contribution = serializers.CharField(required=False, allow_blank=True, default="")
    basis = serializers.ChoiceField(choices=["job_duties", "civil_contract", "other"], default="job_duties")
    basis_other = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer[Any]):
    reasons = serializers.CharField(allow_blank=True)


class ReceiveSerializer(serializers.Serializer[Any]):
    received_on = serializers.DateField(required=False)


class PacketSerializer(serializers.Serializer[Any]):
    """One file (``kind`` + ``file``, as before) or several: several ``file`` parts with one ``kind`` for all of
    them or one ``kind`` part per file, in the same order."""

    kind = serializers.ListField(
        child=serializers.CharField(),
        min_length=1,
        help_text=gettext_lazy("вид документа: один для всех файлов или по одному на каждый файл, в том же порядке"),
    )
    file = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        min_length=1,
        help_text=gettext_lazy("один или несколько файлов; если хотя бы один не принят, не сохраняется ни один"),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kinds, files = attrs["kind"], attrs["file"]
        if len(kinds) == 1:
            kinds = kinds * len(files)
        elif len(kinds) != len(files):
            raise serializers.ValidationError(
                {
                    "kind": _(
                        "Укажите один вид документа для всех файлов или по одному на каждый файл: видов %(kinds)d, файлов %(files)d."
                    )
                    % {"kinds": len(kinds), "files": len(files)}
                }
            )
        attrs["uploads"] = list(zip(kinds, files, strict=True))
        return attrs


class ImportRequestSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text=gettext_lazy("XLSX или CSV: выгрузка реестра РИД или открытый реестр ФИПС"))
    organization = VisibleIdField(queryset=Organization.objects.all(), visible=organizations_visible_to)
    dry_run = serializers.BooleanField(
        default=True, help_text=gettext_lazy("только проверить (по умолчанию): ничего не записывать")
    )
    skip_bad_rows = serializers.BooleanField(
        default=False, help_text=gettext_lazy("записать хорошие строки, пропустив плохие")
    )


class ProblemSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("строка, как её нумерует Excel; null — файл целиком")
    )
    column = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer[Any]):
    format = serializers.CharField()
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    rows = serializers.IntegerField()
    good_rows = serializers.IntegerField()
    bad_rows = serializers.IntegerField()
    rids = serializers.IntegerField()
    people_created = serializers.IntegerField()
    people_matched = serializers.IntegerField()
    already_registered = serializers.IntegerField()
    seconds = serializers.FloatField()
    summary = serializers.SerializerMethodField()
    errors = ProblemSerializer(many=True)  # type: ignore[assignment]  # DRF pops declared fields: .errors stays
    errors_total = serializers.IntegerField(help_text=gettext_lazy("всех ошибок; в errors — первые из них"))
    warnings = ProblemSerializer(many=True)
    warnings_total = serializers.IntegerField()

    def get_summary(self, report: Any) -> str:
        return str(report.summary())


class RidViewSet(
    ObjectFirstMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Rid],
):
    """Реестр РИД и уведомления о создании. Фильтры, сортировка ``ordering`` и поиск ``q`` (с морфологией)."""

    filterset_class = RidFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Rid]:
        qs = rids_visible_to(self.request.user).select_related("organization")
        if self.action == "list":
            return qs.prefetch_related("authorships__person")
        return qs.prefetch_related("authorships__person", "contributions__person", "events")

    def get_serializer_class(self) -> Any:
        return RidListSerializer if self.action == "list" else RidSerializer

    def perform_create(self, serializer: serializers.BaseSerializer[Rid]) -> None:
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        serializer.instance = services.rid_create(
            actor=self.request.user, organization=organization, kind=data.pop("kind"), title=data.pop("title"), **data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Rid]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.rid_update(
            actor=self.request.user, rid=serializer.instance, **serializer.validated_data
        )

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Удалить черновик (только черновик; его авторы или создавший, подразделение по ИС)."""
        services.rid_delete_draft(actor=request.user, rid=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _done(self, rid: Rid, code: int = status.HTTP_200_OK) -> Response:
        rid = self.get_queryset().get(pk=rid.pk)
        return Response(RidSerializer(rid, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=AuthorInputSerializer(many=True), responses=RidSerializer)
    @action(detail=True, methods=["put"])
    def authors(self, request: Request, pk: str) -> Response:
        """Заменить авторов: коэффициенты участия в сумме ровно 100 %."""
        payload = AuthorInputSerializer(data=request.data, many=True, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        rows = [
            services.AuthorInput(**{**row, "coefficient": Decimal(row["coefficient"])})
            for row in payload.validated_data
        ]
        services.rid_set_authors(actor=request.user, rid=self.get_object(), authors=rows)
        return self._done(self.get_object())

    @extend_schema(request=ContributionSerializer, responses=RidSerializer)
    @action(detail=True, methods=["post"])
    def contributors(self, request: Request, pk: str) -> Response:
        payload = ContributionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        rid = self.get_object()
        services.rid_add_contributor(
            actor=request.user,
            rid=rid,
            person=payload.validated_data["person"],
            assistance=payload.validated_data["assistance"],
        )
        return self._done(rid, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RidSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Автор подаёт уведомление."""
        return self._done(services.notice_submit(actor=request.user, rid=self.get_object()))

    @extend_schema(request=ReceiveSerializer, responses=RidSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: str) -> Response:
        """Подразделение по ИС ставит дату поступления и начинает проверку комплектности."""
        payload = ReceiveSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return self._done(
            services.notice_receive(
                actor=request.user, rid=self.get_object(), received_on=payload.validated_data.get("received_on")
            )
        )

    @extend_schema(request=ReturnSerializer, responses=RidSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_revision(self, request: Request, pk: str) -> Response:
        """Возврат на доработку с причинами."""
        payload = ReturnSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return self._done(
            services.notice_return(actor=request.user, rid=self.get_object(), reasons=payload.validated_data["reasons"])
        )

    @extend_schema(request=None, responses=RidSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """Пакет полон: принять и поставить в очередь комиссии."""
        return self._done(services.notice_accept(actor=request.user, rid=self.get_object()))

    @extend_schema(request={"multipart/form-data": PacketSerializer}, responses=RidSerializer)
    @action(detail=True, methods=["post"])
    def packet(self, request: Request, pk: str) -> Response:
        """Загрузить документы пакета (kind: notice, application_form, patent_search_report, coauthors_agreement):
        один файл или несколько частей ``file`` за раз, все или ни одного (отказ называет непринятые файлы)."""
        payload = PacketSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        rid = self.get_object()
        services.packet_upload_many(actor=request.user, rid=rid, files=payload.validated_data["uploads"])
        return self._done(rid, status.HTTP_201_CREATED)

    @extend_schema(request=StateSecretSerializer, responses=RidSerializer)
    @action(detail=True, methods=["put"], url_path="state-secret")
    def state_secret(self, request: Request, pk: str) -> Response:
        payload = StateSecretSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        rid = self.get_object()
        services.state_secret_record(actor=request.user, rid=rid, **payload.validated_data)
        return self._done(rid)

    @extend_schema(request=ExportControlSerializer, responses=RidSerializer)
    @action(detail=True, methods=["put"], url_path="export-control")
    def export_control(self, request: Request, pk: str) -> Response:
        payload = ExportControlSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        rid = self.get_object()
        services.export_control_record(actor=request.user, rid=rid, **payload.validated_data)
        return self._done(rid)

    @extend_schema(
        parameters=[
            # not «format»: DRF reads that one to choose its renderer
            OpenApiParameter(
                "file_format", str, enum=["csv", "xlsx"], description=gettext_lazy("CSV (по умолчанию) или XLSX")
            )
        ],
        responses={(200, "text/csv"): bytes, (200, XLSX): bytes},
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request: Request) -> StreamingHttpResponse:
        """Выгрузка реестра с фильтрами списка (``q``, ``kind``, ``status``, …) в CSV или XLSX, потоком."""
        from ridbook.registry.io import csv_stream, xlsx_bytes

        require(request.user, Action.RID_VIEW)
        rids = self.filter_queryset(rids_visible_to(request.user))
        name = f"reestr-rid-{timezone.localdate():%Y-%m-%d}"
        if request.query_params.get("file_format", "csv") == "xlsx":
            response = StreamingHttpResponse(xlsx_bytes(rids), content_type=XLSX)
            name += ".xlsx"
        else:
            response = StreamingHttpResponse(csv_stream(rids), content_type="text/csv; charset=utf-8")
            name += ".csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(request={"multipart/form-data": ImportRequestSerializer}, responses=ImportReportSerializer)
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        """Импорт таблицы реестра: проверка без записи (``dry_run``, по умолчанию) или запись. Каждая плохая строка
        в ``errors`` (строка, столбец, причина); при ошибках не записывается ничего, если не ``skip_bad_rows``."""
        from ridbook.registry.io import registry_import

        payload = ImportRequestSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        report = registry_import(
            upload,
            actor=request.user,
            organization=payload.validated_data["organization"],
            dry_run=payload.validated_data["dry_run"],
            skip_bad_rows=payload.validated_data["skip_bad_rows"],
            filename=upload.name,
        )
        return Response(ImportReportSerializer(report).data)

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH)],
        responses={(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): bytes},
    )
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<kind>[a-z_]+)")
    def document(self, request: Request, pk: str, kind: str) -> HttpResponse:
        """DOCX: уведомление о создании, заключение о возможности опубликования, акт экспортного контроля."""
        from ridbook.registry.documents import DOCUMENT_KINDS, render_document

        if kind not in DOCUMENT_KINDS:
            raise DomainError(
                (
                    _("Неизвестный документ: %(kind)s. Доступны: %(list)s.")
                    % {"kind": kind, "list": ", ".join(DOCUMENT_KINDS)}
                ),
                code="not_found",
                status=404,
            )
        rid = self.get_object()
        require_materials_access(request.user, rid)
        from ridbook.tradesecret.access import note_refusal

        note_refusal(request.user, rid, channel="api", what=kind, request=request)  # the register fields only
        content = render_document(rid=rid, kind=kind, viewer=request.user)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response["Content-Disposition"] = f'attachment; filename="{rid.pk}-{kind}.docx"'
        return response


class PersonViewSet(
    ObjectFirstMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Person],
):
    """Люди (авторы и содействующие) организаций пользователя: поиск по фамилии ``q``; персональные данные — только
    тем, кому они нужны (подразделение по ИС, бухгалтерия по своим полям, сам человек)."""

    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        if getattr(self, "swagger_fake_view", False):  # the schema: no user, no denial in the security log
            return Person.objects.none()
        require(self.request.user, Action.NOTICE_DRAFT)
        qs = people_visible_to(self.request.user).select_related("organization")
        q = self.request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(last_name__istartswith=q)
        return qs

    @extend_schema(parameters=[OpenApiParameter("q", str, description=gettext_lazy("начало фамилии"))])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer[Person]) -> None:
        serializer.instance = services.person_save(actor=self.request.user, **serializer.validated_data)
