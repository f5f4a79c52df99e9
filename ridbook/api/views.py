"""API v1: thin views that parse input, call services/selectors and render. No business rules here."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404
from django.utils import timezone
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
from ridbook.audit.selectors import change_records_visible_to
from ridbook.core.errors import DomainError
from ridbook.deadlines.registry import deadlines_for
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


@extend_schema(responses=DeadlineSerializer(many=True))
@api_view(["GET"])
def my_deadlines(request: Request) -> Response:
    require_api(request, Action.DEADLINES_VIEW)
    today = timezone.localdate()
    rows = [{**dataclasses.asdict(d), "urgency": d.urgency(today).value} for d in deadlines_for(request.user, today)]
    return Response(DeadlineSerializer(rows, many=True).data)


@extend_schema(
    responses=ChangeRecordSerializer(many=True),
    parameters=[
        OpenApiParameter("model", str, description="app_label.model, e.g. organizations.organization"),
        OpenApiParameter("object_id", str),
    ],
)
@api_view(["GET"])
def audit_list(request: Request) -> Response:
    """Журнал изменений: всё (аудитор, администратор) или одной записи (``model`` + ``object_id``)."""
    require_api(request, Action.AUDIT_VIEW)
    records = change_records_visible_to(request.user).select_related("content_type")
    model = request.query_params.get("model")
    if model:
        app_label, _, model_name = model.partition(".")
        ct = get_object_or_404(ContentType, app_label=app_label, model=model_name)
        records = records.filter(content_type=ct)
    object_id = request.query_params.get("object_id")
    if object_id:
        records = records.filter(object_id=object_id)
    paginator = Pagination()
    page = paginator.paginate_queryset(records, request)
    return paginator.get_paginated_response(ChangeRecordSerializer(page, many=True).data)


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
