"""API: the letters written to me, and my e-mail setting (``/api/v1/notifications/``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ridbook.core.errors import DomainError
from ridbook.notifications.models import Letter
from ridbook.notifications.services import letters_of, preference_of, preference_save


class LetterSerializer(serializers.ModelSerializer[Letter]):
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Letter
        fields = ["id", "created_at", "kind", "subject", "body", "url", "state", "state_label", "sent_at"]
        read_only_fields = fields


class PreferenceSerializer(serializers.Serializer[Any]):
    email_enabled = serializers.BooleanField()
    language = serializers.ChoiceField(choices=settings.LANGUAGES)


class MyLetters(APIView):
    """Письма-уведомления, адресованные мне (новые сверху)."""

    @extend_schema(responses={200: LetterSerializer(many=True)})
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(letters_of(request.user), request, view=self)
        return paginator.get_paginated_response(LetterSerializer(page, many=True).data)


class MyPreference(APIView):
    """Мои настройки уведомлений: письма можно отключить (задачи остаются) и выбрать их язык."""

    @extend_schema(responses={200: PreferenceSerializer})
    def get(self, request: Request) -> Response:
        preference = preference_of(request.user)
        return Response({"email_enabled": preference.email_enabled, "language": preference.language})

    @extend_schema(request=PreferenceSerializer, responses={200: PreferenceSerializer})
    def put(self, request: Request) -> Response:
        serializer = PreferenceSerializer(data=request.data)
        if not serializer.is_valid():
            raise DomainError(_("Настройки не сохранены."), code="invalid", details=serializer.errors)
        preference = preference_save(actor=request.user, **serializer.validated_data)
        return Response({"email_enabled": preference.email_enabled, "language": preference.language})
