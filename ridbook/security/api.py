"""API: the token (POST: issue on a user name and password; DELETE: the owner revokes it) and the security log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ridbook.accounts.permissions import Action, require
from ridbook.core.errors import DomainError
from ridbook.security.forms import EventFilterForm
from ridbook.security.models import EventKind, SecurityEvent
from ridbook.security.selectors import security_events
from ridbook.security.signin import SignInLocked, SignInThrottle, is_locked_out
from ridbook.security.tokens import token_expires_at, token_issue, token_revoke


class CredentialsSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField(allow_null=True)


class TokenView(APIView):
    """POST: the user's token (a new one when he has none or it expired). DELETE: revoke the caller's token."""

    throttle_classes = [SignInThrottle]

    def get_permissions(self) -> list[Any]:
        return [permissions.AllowAny()] if self.request.method == "POST" else [permissions.IsAuthenticated()]

    def get_throttles(self) -> list[Any]:
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(request=CredentialsSerializer, responses={200: TokenSerializer})
    def post(self, request: Request) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        # the Django request: axes reads the address from it and marks it when the attempt is locked out
        http_request = request._request
        user = authenticate(http_request, **credentials.validated_data)
        if user is None:
            if is_locked_out(http_request):
                raise SignInLocked()
            raise DomainError(_("Неверное имя пользователя или пароль."), code="authentication_failed", status=400)
        token = token_issue(user=user, request=http_request)
        return Response({"token": token.key, "expires_at": token_expires_at(token)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        if not token_revoke(user=request.user, request=request._request):
            raise DomainError(_("У вас нет токена API."), code="not_found", status=404)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SecurityEventSerializer(serializers.ModelSerializer[SecurityEvent]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    organizations = serializers.SerializerMethodField()

    class Meta:
        model = SecurityEvent
        fields = [
            *("id", "at", "kind", "kind_label", "username", "user", "ip_address", "path", "action", "reason"),
            "organizations",
        ]

    def get_organizations(self, obj: SecurityEvent) -> list[int]:
        return [o.pk for o in obj.organizations.all()]


@extend_schema(
    responses=SecurityEventSerializer(many=True),
    parameters=[
        OpenApiParameter("kind", str, enum=EventKind.values),
        OpenApiParameter("user", str, description=gettext_lazy("часть имени пользователя")),
        OpenApiParameter("since", str, description=gettext_lazy("ГГГГ-ММ-ДД")),
        OpenApiParameter("until", str, description=gettext_lazy("ГГГГ-ММ-ДД (включительно)")),
    ],
)
class SecurityEventList(APIView):
    """Журнал безопасности организаций, где у пользователя есть право его читать (и нижестоящих)."""

    def get(self, request: Request) -> Response:
        require(request.user, Action.SECURITY_LOG_VIEW)
        form = EventFilterForm(request.query_params)
        if not form.is_valid():
            raise DomainError(_("Фильтр не прошёл проверку."), code="invalid", details=form.errors.get_json_data())
        data = form.cleaned_data
        rows = security_events(
            request.user, kind=data["kind"], username=data["user"], since=data["since"], until=data["until"]
        ).prefetch_related("organizations")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(SecurityEventSerializer(page, many=True).data)
