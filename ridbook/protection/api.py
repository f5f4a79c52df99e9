"""Protection documents API (/api/v1/protection-documents/, /fee-payments/, /fee-rates/): the services of the pages.

A document gives its expiry computed by the organization's policy: ``expires_on`` (null when it cannot be
determined — e.g. a program whose author's death date is unknown), ``expiry_note`` (why, with the rule's source) and
``latest_possible`` (with every renewal or extension)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ridbook.api.fields import VisibleIdField
from ridbook.api.permissions import ObjectFirstMixin
from ridbook.commission.api import ErrorSerializer
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import organizations_visible_to
from ridbook.protection import services
from ridbook.protection.choices import DocumentKind, EventKind
from ridbook.protection.models import DocumentEvent, FeeDueRecord, FeePayment, FeeRate, Holder, ProtectionDocument
from ridbook.protection.portfolio import portfolio_import
from ridbook.registry.selectors import rids_visible_to

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def _organizations(user: Any) -> QuerySet[Organization]:
    return organizations_visible_to(user)


def _dues(user: Any) -> QuerySet[FeeDueRecord]:
    return FeeDueRecord.objects.filter(document__in=services.documents_visible_to(user))


class HolderSerializer(serializers.ModelSerializer[Holder]):
    class Meta:
        model = Holder
        fields = ["id", "kind", "name", "inn", "ogrn", "share"]
        read_only_fields = ["id"]


class DocumentEventSerializer(serializers.ModelSerializer[DocumentEvent]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DocumentEvent
        fields = ["id", "kind", "kind_label", "on", "years", "note", "restoration_until"]
        read_only_fields = ["id", "restoration_until"]


class PaymentSerializer(serializers.ModelSerializer[FeePayment]):
    due = VisibleIdField(visible=_dues)

    class Meta:
        model = FeePayment
        fields = ["id", "due", "paid_on", "amount", "surcharge", "order_number"]
        read_only_fields = ["id", "surcharge"]


class DueSerializer(serializers.ModelSerializer[FeeDueRecord]):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = FeeDueRecord
        fields = [
            "id",
            "number",
            "basis",
            "period_start",
            "period_end",
            "due_on",
            "grace_until",
            "amount",
            "surcharge",
            "note",
            "state",
            "state_label",
            "payments",
        ]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer[ProtectionDocument]):
    rid = VisibleIdField(visible=rids_visible_to)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    holders = HolderSerializer(many=True, required=False)
    expires_on = serializers.SerializerMethodField()
    expiry_note = serializers.SerializerMethodField()
    latest_possible = serializers.SerializerMethodField()

    class Meta:
        model = ProtectionDocument
        fields = [
            "id",
            "rid",
            "organization",
            "kind",
            "kind_label",
            "number",
            "application_number",
            "application_ref",
            "filing_date",
            "priority_date",
            "granted_on",
            "published_on",
            "country",
            "office",
            "original_location",
            "status",
            "status_label",
            "restoration_until",
            "renewals",
            "extension_years",
            "holders",
            "expires_on",
            "expiry_note",
            "latest_possible",
        ]
        read_only_fields = ["id", "organization", "status", "restoration_until", "renewals", "extension_years"]

    def _expiry(self, obj: ProtectionDocument) -> Any:
        cache: dict[Any, Any] = self.__dict__.setdefault("_expiry_cache", {})
        if obj.pk not in cache:
            cache[obj.pk] = services.document_expiry(obj)
        return cache[obj.pk]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_expires_on(self, obj: ProtectionDocument) -> Any:
        return self._expiry(obj).expires_on

    @extend_schema_field(serializers.CharField())
    def get_expiry_note(self, obj: ProtectionDocument) -> str:
        return str(self._expiry(obj).note)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_latest_possible(self, obj: ProtectionDocument) -> Any:
        return self._expiry(obj).latest_possible


class UpkeepSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=1990, max_value=2200)
    keep = serializers.BooleanField()
    on = serializers.DateField()
    protocol = serializers.CharField(required=False, allow_blank=True, max_length=200)


class FeeRateSerializer(serializers.ModelSerializer[FeeRate]):
    organization = VisibleIdField(queryset=Organization.objects.all(), visible=_organizations)

    class Meta:
        model = FeeRate
        fields = [
            "id",
            "organization",
            "kind",
            "basis",
            "first",
            "last",
            "amount",
            "valid_from",
            "valid_until",
            "source",
            "verified",
        ]
        read_only_fields = ["id"]


def _valid(serializer_class: Any, request: Request, **kwargs: Any) -> Any:
    payload = serializer_class(data=request.data, context={"request": request}, **kwargs)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


def _holders(rows: list[dict[str, Any]]) -> list[services.HolderInput]:
    return [
        services.HolderInput(
            share=r["share"],
            kind=r.get("kind", "organization"),
            name=r.get("name", ""),
            inn=r.get("inn", ""),
            ogrn=r.get("ogrn", ""),
        )
        for r in rows
    ]


class PortfolioSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    organization = VisibleIdField(queryset=Organization.objects.all(), visible=_organizations)
    dry_run = serializers.BooleanField(default=True)


class PortfolioReportSerializer(serializers.Serializer[Any]):
    rows = serializers.IntegerField()
    documents = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    problems = serializers.ListField(source="errors", child=serializers.CharField())


class DocumentViewSet(
    ObjectFirstMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[ProtectionDocument],
):
    """Охранные документы РИД, видимых пользователю: данные, правообладатели, события, график пошлин, срок."""

    serializer_class = DocumentSerializer
    filterset_fields = ["rid", "kind", "status", "organization"]

    def get_queryset(self) -> QuerySet[ProtectionDocument]:
        if getattr(self, "swagger_fake_view", False):
            return ProtectionDocument.objects.none()
        return services.documents_visible_to(self.request.user).prefetch_related("holders").order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        holders = _holders(data.pop("holders", []))
        rid = data.pop("rid")
        kind = data.pop("kind")
        number = data.pop("number")
        serializer.instance = services.document_create(
            actor=self.request.user, rid=rid, kind=kind, number=number, holders=holders, **data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("rid", None)
        data.pop("kind", None)
        holders = data.pop("holders", None)
        document = services.document_update(actor=self.request.user, document=serializer.instance, **data)
        if holders is not None:
            services.holders_set(actor=self.request.user, document=document, holders=_holders(holders))
        serializer.instance = document

    @extend_schema(
        request={"multipart/form-data": PortfolioSerializer}, responses={200: PortfolioReportSerializer, **ERRORS}
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        """Импорт портфеля охранных документов из XLSX/CSV: сначала проверка (``dry_run`` — по умолчанию), затем
        запись всех строк или ни одной."""
        data = _valid(PortfolioSerializer, request)
        report = portfolio_import(
            data["file"], actor=request.user, organization=data["organization"], dry_run=data["dry_run"]
        )
        return Response(PortfolioReportSerializer(report).data)

    @extend_schema(methods=["GET"], request=None, responses=HolderSerializer(many=True))
    @extend_schema(
        methods=["PUT"], request=HolderSerializer(many=True), responses={200: HolderSerializer(many=True), **ERRORS}
    )
    @action(detail=True, methods=["get", "put"])
    def holders(self, request: Request, pk: str) -> Response:
        """Правообладатели (GET) или их новый состав (PUT; доли в сумме 100 %, ИНН/ОГРН с контрольными цифрами)."""
        document = self.get_object()
        if request.method == "PUT":
            rows = _valid(HolderSerializer, request, many=True)
            services.holders_set(actor=request.user, document=document, holders=_holders(list(rows)))
        return Response(HolderSerializer(document.holders.all(), many=True).data)

    @extend_schema(methods=["GET"], request=None, responses=DocumentEventSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=DocumentEventSerializer, responses={201: DocumentEventSerializer, **ERRORS}
    )
    @action(detail=True, methods=["get", "post"])
    def events(self, request: Request, pk: str) -> Response:
        """История статуса (GET) или новое событие (POST: lapsed, restored, surrendered, invalidated, renewed,
        extended, expired — только событие меняет статус документа)."""
        document = self.get_object()
        if request.method == "GET":
            return Response(DocumentEventSerializer(document.events.all(), many=True).data)
        data = _valid(DocumentEventSerializer, request)
        event = services.event_record(
            actor=request.user,
            document=document,
            kind=data["kind"],
            on=data["on"],
            years=data.get("years", 0),
            note=data.get("note", ""),
        )
        return Response(DocumentEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=DueSerializer(many=True))
    @extend_schema(methods=["POST"], request=None, responses={200: DueSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def schedule(self, request: Request, pk: str) -> Response:
        """График пошлин с платежами (GET) или его пересчёт (POST: неоплаченные строки, оплаченные — никогда)."""
        document = self.get_object()
        if request.method == "POST":
            services.refresh_schedule(document, actor=request.user)
        dues = document.fees.prefetch_related("payments")
        return Response(DueSerializer(dues, many=True).data)

    @extend_schema(request=UpkeepSerializer, responses={201: None, **ERRORS})
    @action(detail=True, methods=["post"])
    def upkeep(self, request: Request, pk: str) -> Response:
        """Решение комиссии о поддержании документа в силе на год (keep: поддерживать / не поддерживать)."""
        document = self.get_object()
        data = _valid(UpkeepSerializer, request)
        services.upkeep_decide(
            actor=request.user,
            document=document,
            year=data["year"],
            keep=data["keep"],
            on=data["on"],
            label=data.get("protocol", ""),
        )
        return Response(status=status.HTTP_201_CREATED)


class PaymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[FeePayment]
):
    """Платежи пошлин: в льготный срок платёж должен включать доплату."""

    serializer_class = PaymentSerializer
    filterset_fields = ["due", "due__document"]

    def get_queryset(self) -> QuerySet[FeePayment]:
        if getattr(self, "swagger_fake_view", False):
            return FeePayment.objects.none()
        return FeePayment.objects.filter(due__in=_dues(self.request.user)).order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.payment_record(
            actor=self.request.user,
            due=data["due"],
            paid_on=data["paid_on"],
            amount=data["amount"],
            order_number=data["order_number"],
        )


class FeeRateViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet[FeeRate]):
    """Строки таблицы пошлин, внесённые подразделением по ИС (с источником); строки политики — на странице таблицы."""

    serializer_class = FeeRateSerializer
    filterset_fields = ["kind", "organization"]

    def get_queryset(self) -> QuerySet[FeeRate]:
        if getattr(self, "swagger_fake_view", False):
            return FeeRate.objects.none()
        return services.fee_rates_visible_to(self.request.user).order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.fee_rate_add(actor=self.request.user, **data)


__all__ = ["DocumentKind", "DocumentViewSet", "EventKind", "FeeRateViewSet", "PaymentViewSet"]
