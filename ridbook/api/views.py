"""API v1: thin views that parse input, call services/selectors and render. No business rules here."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, cast

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from ridbook.accounts.models import User
from ridbook.accounts.permissions import Action, restrict
from ridbook.api.pagination import Pagination
from ridbook.api.permissions import ObjectFirstMixin, require_api
from ridbook.api.serializers import (
    ChangeRecordSerializer,
    DeadlineSerializer,
    MeSerializer,
    OrganizationSerializer,
    WorkingDaysQuerySerializer,
)
from ridbook.audit.export import FORMATS, export_response
from ridbook.audit.filters import ChangeRecordFilter
from ridbook.audit.models import ChangeAction
from ridbook.audit.presentation import model_choices, present
from ridbook.audit.selectors import change_records_visible_to
from ridbook.core import xlsx
from ridbook.core.errors import DomainError
from ridbook.deadlines.selectors import DeadlineFilterForm, deadlines_filtered, filter_error
from ridbook.organizations import services as org_services
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import organizations_qs
from ridbook.policies.loader import available_policies, get_policy
from ridbook.workdays.calendar import add_working_days, describe_day


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema (YAML or JSON, as asked) for signed-in users; its errors in the API's JSON format."""

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response


@extend_schema(responses={200: dict})
@api_view(["GET"])
def api_root(request: Request) -> Response:
    names = ["me", "organizations", "policies", "deadlines", "audit", "security-events", "working-days", "schema"]
    return Response(
        {n: reverse(f"api:{n}" if n != "organizations" else "api:organization-list", request=request) for n in names}
    )


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    return Response(MeSerializer(cast(User, request.user)).data)


class OrganizationViewSet(
    ObjectFirstMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Organization],
):
    """Организации, доступные пользователю. Изменения — через сервисы (права, проверка, журнал)."""

    serializer_class = OrganizationSerializer
    filterset_fields = ["country", "kind", "parent", "is_active"]

    def get_queryset(self) -> Any:
        return restrict(organizations_qs(), self.request.user, Action.ORGANIZATION_VIEW, organization_field="self")

    def perform_create(self, serializer: serializers.BaseSerializer[Organization]) -> None:
        data = dict(serializer.validated_data)
        parent = data.pop("parent", None)
        serializer.instance = org_services.organization_create(actor=self.request.user, parent=parent, **data)

    def perform_update(self, serializer: serializers.BaseSerializer[Organization]) -> None:
        assert serializer.instance is not None
        serializer.instance = org_services.organization_update(
            actor=self.request.user, organization=serializer.instance, **serializer.validated_data
        )


@extend_schema(responses={200: dict}, operation_id="policies_list")
@api_view(["GET"])
def policy_list(request: Request) -> Response:
    require_api(request, Action.POLICY_VIEW)
    return Response(
        [{**dataclasses.asdict(info), "ref": f"{info.name}@{info.version}"} for info in available_policies()]
    )


@extend_schema(
    responses={200: dict},
    parameters=[
        OpenApiParameter("version", int, required=False),
        OpenApiParameter("on", str, required=False),
    ],
)
@api_view(["GET"])
def policy_detail(request: Request, name: str) -> Response:
    require_api(request, Action.POLICY_VIEW)
    version = request.query_params.get("version")
    on = request.query_params.get("on")
    try:
        policy = get_policy(
            name,
            version=int(version) if version else None,
            on=date.fromisoformat(on) if on else None,
        )
    except LookupError as exc:
        raise DomainError(str(exc), code="not_found", status=404) from None
    except ValueError as exc:
        raise DomainError(str(exc), code="invalid") from None
    return Response(policy.as_dict())


DEADLINE_FILTERS = [
    OpenApiParameter("scope", str, enum=["mine", "organization"], description=_("мои или все сроки моих организаций")),
    OpenApiParameter("kind", str, description=_("вид срока: код поставщика (provider), например registry.decision")),
    OpenApiParameter("owner", str, description=_("ответственный: id пользователя; none — сроки роли, без имени")),
    OpenApiParameter("rid", str, description=_("учётный номер РИД или его окончание («00005»)")),
    OpenApiParameter("since", date, description=_("срок с даты (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ), включительно")),
    OpenApiParameter("until", date, description=_("срок по дату, включительно")),
    OpenApiParameter("state", str, enum=["overdue", "soon", "later", "done"], description=_("состояние")),
]


@extend_schema(parameters=DEADLINE_FILTERS, responses=DeadlineSerializer(many=True))
@api_view(["GET"])
def my_deadlines(request: Request) -> Response:
    """Сроки пользователя по всем модулям (для специалиста и руководителя подразделения по ИС — все сроки его
    организаций): просроченные первыми, затем по дате; постранично."""
    require_api(request, Action.DEADLINES_VIEW)
    today = timezone.localdate()
    form = DeadlineFilterForm(request.query_params)
    if not form.is_valid():
        raise filter_error(form)
    found = deadlines_filtered(request.user, today, form.cleaned_data)
    paginator = Pagination()
    page: list[Any] = paginator.paginate_queryset(found.items, request) or []
    rows = [
        {
            **dataclasses.asdict(d),
            "kind": str(d.kind),
            "urgency": d.urgency(today).value,
            "status": d.status(today),
            "owner": dataclasses.asdict(d.owner) if d.owner else None,
        }
        for d in page
    ]
    return paginator.get_paginated_response(DeadlineSerializer(rows, many=True).data)


AUDIT_FILTERS = [
    OpenApiParameter(
        "model", str, enum=[key for key, _ in model_choices()], description=_("вид записи: app_label.model")
    ),
    OpenApiParameter("object_id", str, description=_("id записи (вместе с model — история одной записи)")),
    OpenApiParameter("actor", int, description=_("кто изменил: id пользователя")),
    OpenApiParameter("organization", int, description=_("организация записи (и подразделения ниже): id")),
    OpenApiParameter("since", date, description=_("с даты (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ), включительно")),
    OpenApiParameter("until", date, description=_("по дату, включительно")),
    OpenApiParameter("action", str, enum=ChangeAction.values, description=_("создание, изменение, удаление")),
]


def _audit_records(request: Request) -> Any:
    """The visible log narrowed by the query's filters; a bad filter is a 400 naming it."""
    require_api(request, Action.AUDIT_VIEW)
    filters = ChangeRecordFilter(
        request.query_params, queryset=change_records_visible_to(request.user), user=request.user
    )
    if not filters.is_valid():
        raise serializers.ValidationError(filters.errors)
    return filters.qs


@extend_schema(responses=ChangeRecordSerializer(many=True), parameters=AUDIT_FILTERS)
@api_view(["GET"])
def audit_list(request: Request) -> Response:
    """Журнал изменений организаций пользователя: по фильтрам, постранично; каждая запись — сохранённые значения
    (``before``, ``after``) и то же словами (``sentence``, ``changes``: поле по-русски, было, стало)."""
    records = _audit_records(request)
    paginator = Pagination()
    page: list[Any] = paginator.paginate_queryset(records, request) or []
    return paginator.get_paginated_response(ChangeRecordSerializer(present(page), many=True).data)


@extend_schema(
    parameters=[
        *AUDIT_FILTERS,
        # not «format»: DRF reads that one to choose its renderer
        OpenApiParameter("file_format", str, enum=list(FORMATS), description=_("CSV (по умолчанию) или XLSX")),
    ],
    responses={(200, "text/csv"): bytes, (200, xlsx.CONTENT_TYPE): bytes},
)
@api_view(["GET"])
def audit_export(request: Request) -> StreamingHttpResponse:
    """Выгрузка журнала изменений с теми же фильтрами в CSV или XLSX, потоком: строка на изменённое поле."""
    return export_response(_audit_records(request), request.query_params.get("file_format", "csv"))


@extend_schema(parameters=[WorkingDaysQuerySerializer], responses={200: dict})
@api_view(["GET"])
def working_days(request: Request) -> Response:
    """Добавить N рабочих дней по производственному календарю страны (N < 0 — назад)."""
    query = WorkingDaysQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    start, n, country = (query.validated_data[k] for k in ("date", "days", "country"))
    result = add_working_days(start, n, country)
    return Response(
        {
            "date": start,
            "days": n,
            "country": country,
            "result": result,
            "result_day": describe_day(result, country),
        },
        status=status.HTTP_200_OK,
    )
