"""Trade-secret API (/api/v1/trade-secrets/, /api/v1/trade-secret-inventories/): the services of the pages.

``trade-secrets``: the register (list, detail with the term of the know-how right), ``export`` (XLSX), ``copies``
(GET, POST a copy), ``copies/<copy>/return``, ``copies/<copy>/destroy``, ``copies/<copy>/document``
(``file_format=docx|pdf``), ``orders`` and ``contracts`` (GET, POST), ``disclose`` (POST), ``content``
(``file_format=txt|csv|xlsx``, for the people of the access list). ``trade-secret-inventories``: list, create
(``organization``, ``year``), detail with the entries, ``entries/<entry>`` (POST), ``close`` (POST), ``act`` (DOCX)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ridbook.accounts.models import User
from ridbook.accounts.permissions import Action, can, organization_ids_for
from ridbook.api.fields import VisibleIdField
from ridbook.api.permissions import ObjectFirstMixin
from ridbook.commission.api import ErrorSerializer
from ridbook.core.errors import PermissionDeniedError
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import organizations_visible_to
from ridbook.registry.selectors import rids_visible_to
from ridbook.tradesecret import documents, register
from ridbook.tradesecret.models import Copy, Inventory, InventoryEntry, Regime, TransferContract, UseOrder
from ridbook.tradesecret.services import copies as copy_services
from ridbook.tradesecret.services import inventory as inventory_services
from ridbook.tradesecret.services import use as use_services
from ridbook.tradesecret.services.disclosure import regime_disclose, regime_term

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def _require_reader(user: Any) -> None:
    if not (can(user, Action.TRADE_SECRET_KEEP) or can(user, Action.TRADE_SECRET_APPROVE)):
        raise PermissionDeniedError(_("Реестр коммерческой тайны ведёт подразделение по ИС."))


def _colleagues(user: Any) -> QuerySet[User]:
    from ridbook.accounts.permissions import users_visible_to

    return users_visible_to(user)


def _file(data: bytes, name: str, file_format: str) -> HttpResponse:
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


class RegisterSerializer(serializers.ModelSerializer[Regime]):
    rid = serializers.IntegerField(source="rid_id", read_only=True)
    number = serializers.CharField(source="rid.number", read_only=True)
    name = serializers.SerializerMethodField()
    authors = serializers.SerializerMethodField()
    created_on = serializers.SerializerMethodField()
    storage_medium_label = serializers.CharField(source="get_storage_medium_display", read_only=True)
    access_count = serializers.IntegerField(read_only=True)
    copies_in_existence = serializers.IntegerField(source="copies_count", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    expires_on = serializers.SerializerMethodField()
    expiry_note = serializers.SerializerMethodField()

    class Meta:
        model = Regime
        fields = [
            "id",
            "rid",
            "number",
            "name",
            "authors",
            "created_on",
            "organization",
            "storage_place",
            "storage_medium",
            "storage_medium_label",
            "access_count",
            "copy_limit",
            "copies_in_existence",
            "state",
            "state_label",
            "ended_on",
            "end_reason",
            "expires_on",
            "expiry_note",
        ]
        read_only_fields = fields

    def get_name(self, obj: Regime) -> str:
        return register.register_name(obj)

    def get_authors(self, obj: Regime) -> list[str]:
        return [a.person.short_name for a in obj.rid.authorships.all()]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_created_on(self, obj: Regime) -> Any:
        return register.creation_time(obj)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_expires_on(self, obj: Regime) -> Any:
        return regime_term(obj).expires_on

    def get_expiry_note(self, obj: Regime) -> str:
        return str(regime_term(obj).note)


class CopySerializer(serializers.ModelSerializer[Copy]):
    issued_to = VisibleIdField(visible=_colleagues, required=False, allow_null=True)
    use_order = serializers.PrimaryKeyRelatedField(queryset=UseOrder.objects.all(), required=False, allow_null=True)
    contract = serializers.PrimaryKeyRelatedField(
        queryset=TransferContract.objects.all(), required=False, allow_null=True
    )
    holder = serializers.CharField(source="holder_label", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Copy
        fields = [
            "id",
            "number",
            "made_on",
            "issued_to",
            "issued_to_name",
            "holder",
            "basis",
            "use_order",
            "contract",
            "medium",
            "purpose",
            "state",
            "state_label",
            "returned_on",
            "destroyed_on",
            "destruction_note",
        ]
        read_only_fields = ["id", "number", "basis", "state", "returned_on", "destroyed_on", "destruction_note"]
        extra_kwargs = {"made_on": {"required": False}}


class CopyCloseSerializer(serializers.Serializer[Any]):
    on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class OrderSerializer(serializers.ModelSerializer[UseOrder]):
    signed_by = VisibleIdField(visible=_colleagues)

    class Meta:
        model = UseOrder
        fields = ["id", "number", "signed_on", "signed_by", "use", "until"]
        read_only_fields = ["id"]


class ContractSerializer(serializers.ModelSerializer[TransferContract]):
    use_order = serializers.PrimaryKeyRelatedField(queryset=UseOrder.objects.all(), allow_null=True)
    confidentiality = serializers.CharField(allow_blank=True)

    class Meta:
        model = TransferContract
        fields = [
            "id",
            "use_order",
            "counterparty_name",
            "counterparty_inn",
            "counterparty_ogrn",
            "number",
            "signed_on",
            "registration_number",
            "confidentiality",
            "scope",
        ]
        read_only_fields = ["id"]


class DiscloseSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    details = serializers.CharField()


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    payload = serializer_class(data=request.data, context={"request": request})
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


FORMAT = OpenApiParameter(
    "file_format", str, enum=["docx", "pdf"], description=gettext_lazy("DOCX (по умолчанию) или PDF")
)
EXPORT = OpenApiParameter(
    "file_format", str, enum=list(documents.EXPORT_FORMATS), description=gettext_lazy("txt, csv или xlsx")
)


class TradeSecretViewSet(ObjectFirstMixin, viewsets.ReadOnlyModelViewSet[Regime]):
    """Реестр РИД в режиме коммерческой тайны (без содержания): копии, распоряжения, договоры, раскрытие."""

    serializer_class = RegisterSerializer

    def get_queryset(self) -> QuerySet[Regime]:
        if getattr(self, "swagger_fake_view", False):
            return Regime.objects.none()
        if self.action == "content":
            return Regime.objects.filter(rid__in=rids_visible_to(self.request.user)).select_related("rid")
        return register.register_queryset(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require_reader(request.user)
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={(200, documents.XLSX_TYPE): bytes, 403: ErrorSerializer})
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        """Реестр в XLSX (гриф — первой строкой)."""
        _require_reader(request.user)
        return _file(register.register_xlsx(request.user), "register.xlsx", "xlsx")

    @extend_schema(methods=["GET"], request=None, responses=CopySerializer(many=True))
    @extend_schema(methods=["POST"], request=CopySerializer, responses={201: CopySerializer, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def copies(self, request: Request, pk: str) -> Response:
        regime = self.get_object()
        if request.method == "GET":
            return Response(CopySerializer(regime.copies.select_related("issued_to"), many=True).data)
        data = _valid(CopySerializer, request)
        copy = copy_services.copy_make(
            actor=request.user,
            regime=regime,
            medium=data.get("medium", ""),
            purpose=data.get("purpose", ""),
            issued_to=data.get("issued_to"),
            issued_to_name=data.get("issued_to_name", ""),
            use_order=data.get("use_order"),
            contract=data.get("contract"),
            made_on=data.get("made_on"),
            channel="api",
            request=request,
        )
        return Response(CopySerializer(copy).data, status=status.HTTP_201_CREATED)

    def _copy(self, regime: Regime, copy: str) -> Copy:
        return get_object_or_404(regime.copies.select_related("regime__rid", "regime__organization"), pk=copy)

    @extend_schema(request=CopyCloseSerializer, responses={200: CopySerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"copies/(?P<copy>\d+)/return", url_name="copy-return")
    def copy_return(self, request: Request, pk: str, copy: str) -> Response:
        regime = self.get_object()
        data = _valid(CopyCloseSerializer, request)
        done = copy_services.copy_return(
            actor=request.user, copy=self._copy(regime, copy), on=data.get("on"), channel="api", request=request
        )
        return Response(CopySerializer(done).data)

    @extend_schema(request=CopyCloseSerializer, responses={200: CopySerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"copies/(?P<copy>\d+)/destroy", url_name="copy-destroy")
    def copy_destroy(self, request: Request, pk: str, copy: str) -> Response:
        regime = self.get_object()
        data = _valid(CopyCloseSerializer, request)
        done = copy_services.copy_destroy(
            actor=request.user,
            copy=self._copy(regime, copy),
            on=data.get("on"),
            note=data.get("note", ""),
            channel="api",
            request=request,
        )
        return Response(CopySerializer(done).data)

    @extend_schema(
        parameters=[FORMAT], responses={(200, documents.DOCX_TYPE): bytes, (200, "application/pdf"): bytes, **ERRORS}
    )
    @action(detail=True, methods=["get"], url_path=r"copies/(?P<copy>\d+)/document", url_name="copy-document")
    def copy_document(self, request: Request, pk: str, copy: str) -> HttpResponse:
        """Документ выданной копии — с грифом и номером экземпляра."""
        regime = self.get_object()
        file_format = request.query_params.get("file_format", "docx")
        data, name = documents.copy_document(
            actor=request.user, copy=self._copy(regime, copy), file_format=file_format, request=request
        )
        return _file(data, name, file_format)

    @extend_schema(methods=["GET"], request=None, responses=OrderSerializer(many=True))
    @extend_schema(methods=["POST"], request=OrderSerializer, responses={201: OrderSerializer, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def orders(self, request: Request, pk: str) -> Response:
        regime = self.get_object()
        if request.method == "GET":
            return Response(OrderSerializer(regime.use_orders.all(), many=True).data)
        data = _valid(OrderSerializer, request)
        order = use_services.order_record(actor=request.user, regime=regime, **data)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=ContractSerializer(many=True))
    @extend_schema(methods=["POST"], request=ContractSerializer, responses={201: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def contracts(self, request: Request, pk: str) -> Response:
        regime = self.get_object()
        if request.method == "GET":
            return Response(ContractSerializer(regime.contracts.all(), many=True).data)
        data = _valid(ContractSerializer, request)
        contract = use_services.contract_record(
            actor=request.user, regime=regime, channel="api", request=request, **data
        )
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DiscloseSerializer, responses={200: RegisterSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def disclose(self, request: Request, pk: str) -> Response:
        """Раскрытие: режим и исключительное право на секрет производства прекращаются с этой даты."""
        regime = self.get_object()
        data = _valid(DiscloseSerializer, request)
        regime_disclose(actor=request.user, regime=regime, on=data["on"], details=data["details"])
        return Response(self.get_serializer(register.register_queryset(request.user).get(pk=regime.pk)).data)

    @extend_schema(parameters=[EXPORT], responses={(200, "text/plain"): bytes, **ERRORS})
    @action(detail=True, methods=["get"], url_path="content-export", url_name="content-export")
    def content(self, request: Request, pk: str) -> HttpResponse:
        """Выгрузка содержания для лица из списка допуска (гриф — первой строкой)."""
        regime = self.get_object()
        file_format = request.query_params.get("file_format", "txt")
        data, name = documents.content_export(
            actor=request.user, regime=regime, file_format=file_format, request=request
        )
        return _file(data, name, file_format)


# --- inventories ----------------------------------------------------------------------------------------------------


def _kept_organizations(user: Any) -> QuerySet[Organization]:
    return organizations_visible_to(user)


class EntrySerializer(serializers.ModelSerializer[InventoryEntry]):
    number = serializers.CharField(source="regime.rid.number", read_only=True)

    class Meta:
        model = InventoryEntry
        fields = ["id", "regime", "number", "creation_place", "storage_place", "use_place", "result", "note"]
        read_only_fields = ["id", "regime", "number"]


class InventorySerializer(serializers.ModelSerializer[Inventory]):
    organization = VisibleIdField(queryset=Organization.objects.all(), visible=_kept_organizations)
    entries = EntrySerializer(many=True, read_only=True)
    due = serializers.SerializerMethodField()

    class Meta:
        model = Inventory
        fields = ["id", "organization", "year", "started_on", "closed_on", "act_number", "due", "changes", "entries"]
        read_only_fields = ["id", "started_on", "closed_on", "act_number", "due", "changes", "entries"]

    @extend_schema_field(serializers.DateField())
    def get_due(self, obj: Inventory) -> Any:
        return inventory_services.act_due(obj.year)


class CloseSerializer(serializers.Serializer[Any]):
    act_number = serializers.CharField(max_length=50)
    on = serializers.DateField(required=False, allow_null=True)


class InventoryViewSet(
    ObjectFirstMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Inventory],
):
    """Ежегодный учёт РИД в режиме коммерческой тайны и акты (в Министерство — до 15 декабря)."""

    serializer_class = InventorySerializer

    def get_queryset(self) -> QuerySet[Inventory]:
        if getattr(self, "swagger_fake_view", False):
            return Inventory.objects.none()
        ids = organization_ids_for(self.request.user, Action.TRADE_SECRET_KEEP)
        qs = Inventory.objects.select_related("organization").prefetch_related("entries__regime__rid")
        return qs if ids is None else qs.filter(organization_id__in=ids)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = inventory_services.inventory_open(
            actor=self.request.user, organization=data["organization"], year=data["year"]
        )

    @extend_schema(request=EntrySerializer, responses={200: EntrySerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"entries/(?P<entry>\d+)", url_name="entry")
    def entry(self, request: Request, pk: str, entry: str) -> Response:
        inventory = self.get_object()
        row = get_object_or_404(inventory.entries.all(), pk=entry)
        data = _valid(EntrySerializer, request)
        done = inventory_services.entry_record(
            actor=request.user,
            entry=row,
            result=data.get("result", ""),
            creation_place=data.get("creation_place", ""),
            storage_place=data.get("storage_place", ""),
            use_place=data.get("use_place", ""),
            note=data.get("note", ""),
        )
        return Response(EntrySerializer(done).data)

    @extend_schema(request=CloseSerializer, responses={200: InventorySerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        inventory = self.get_object()
        data = _valid(CloseSerializer, request)
        done = inventory_services.inventory_close(actor=request.user, inventory=inventory, **data)
        return Response(InventorySerializer(done, context={"request": request}).data)

    @extend_schema(responses={(200, documents.DOCX_TYPE): bytes, **ERRORS})
    @action(detail=True, methods=["get"])
    def act(self, request: Request, pk: str) -> HttpResponse:
        inventory = self.get_object()
        if not inventory.act_docx:
            raise Http404
        with inventory.act_docx.open("rb") as stored:
            data = stored.read()
        return _file(data, f"act-{inventory.year}-{inventory.act_number}.docx", "docx")
