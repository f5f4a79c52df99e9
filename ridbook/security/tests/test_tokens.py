"""API tokens: they expire (``API_TOKEN_TTL_HOURS``), their owner revokes them (API and «Мой профиль»)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from ridbook.accounts.roles import Role
from ridbook.security.models import EventKind, SecurityEvent
from ridbook.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _token(api, username="author"):
    response = api.post(reverse("api:token"), {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_token_expires_after_the_configured_hours(api, personas):
    body = _token(api)
    assert body["expires_at"]
    token = Token.objects.get(key=body["token"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").status_code == 200
    Token.objects.filter(pk=token.pk).update(
        created=token.created - timedelta(hours=settings.API_TOKEN_TTL_HOURS, seconds=1)
    )
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"
    assert "Срок действия токена истёк" in response.json()["error"]["message"]
    assert not Token.objects.filter(pk=token.pk).exists()
    assert SecurityEvent.objects.filter(kind=EventKind.TOKEN_EXPIRED, user=personas[Role.AUTHOR]).count() == 1
    api.credentials()
    assert _token(api)["token"] != token.key  # a new one on the next sign-in


@override_settings(API_TOKEN_TTL_HOURS=0)
def test_a_zero_lifetime_means_until_revoked(api, personas):
    body = _token(api)
    assert body["expires_at"] is None
    Token.objects.update(created=Token.objects.get().created - timedelta(days=3650))
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.get("/api/v1/me/").status_code == 200


def test_the_owner_revokes_his_token_through_the_api(api, personas):
    key = _token(api)["token"]
    assert _token(api)["token"] == key  # the valid token is returned again, not a new one
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.delete(reverse("api:token")).status_code == 204
    response = api.get("/api/v1/me/")
    assert response.status_code == 401 and response.json()["error"]["code"] == "authentication_failed"
    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", "user__username"))
    assert kinds == [(EventKind.TOKEN_CREATED, "author"), (EventKind.TOKEN_REVOKED, "author")]
    api.credentials()
    assert api.delete(reverse("api:token")).status_code == 401


def test_the_owner_revokes_and_reissues_on_his_profile_page(client, api, personas):
    key = _token(api)["token"]
    client.force_login(personas[Role.AUTHOR])
    page = client.get(reverse("security:profile")).content.decode()
    assert "Мой профиль" in page and "Отозвать токен" in page and "действует до" in page
    response = client.post(reverse("security:token_revoke"), follow=True)
    assert "Токен API отозван" in response.content.decode()
    assert not Token.objects.exists()
    response = client.post(reverse("security:token_issue"), follow=True)
    new = Token.objects.get(user=personas[Role.AUTHOR])
    assert new.key != key and new.key in response.content.decode()
    assert SecurityEvent.objects.filter(kind=EventKind.TOKEN_REVOKED).count() == 1
    assert SecurityEvent.objects.filter(kind=EventKind.TOKEN_CREATED).count() == 2
