"""Sign-in: the lockout after repeated failures on the login page and the token endpoint, the rate limit, and
every failure in the security log."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from ridbook.accounts.roles import Role
from ridbook.security.models import EventKind, SecurityEvent
from ridbook.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def _login(client, password, username="author", **extra):
    return client.post(reverse("web:login"), {"username": username, "password": password}, **extra)


def _after_cool_off():
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME)


def test_login_page_locks_out_after_the_limit_and_opens_after_the_cool_off(client, personas):
    for _ in range(LIMIT - 1):
        response = _login(client, "wrong")
        assert response.status_code == 200
        assert "Неверное имя пользователя или пароль" in response.content.decode()
    locked = _login(client, "wrong")
    assert locked.status_code == 429
    assert f"Слишком много неудачных попыток входа подряд ({LIMIT})" in locked.content.decode()

    refused = _login(client, PASSWORD)  # the right password is refused while locked
    assert refused.status_code == 429 and "заблокирован" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    _after_cool_off()
    assert _login(client, PASSWORD).status_code == 302
    assert int(client.session["_auth_user_id"]) == personas[Role.AUTHOR].pk
    assert not AccessAttempt.objects.exists()  # a success resets the count

    kinds = list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [EventKind.SIGN_IN_FAILED] * (LIMIT - 1) + [EventKind.LOCKED_OUT] * 2
    events = list(SecurityEvent.objects.order_by("id"))
    first, lock, refusal = events[0], events[-2], events[-1]
    assert first.user == personas[Role.AUTHOR] and first.ip_address == "127.0.0.1" and first.path == "/login/"
    assert first.reason == "неверный пароль"
    assert lock.reason == f"{LIMIT}-я неудачная попытка подряд: вход заблокирован"
    assert refusal.reason == "попытка входа во время блокировки отклонена"


def test_the_lockout_is_for_the_name_from_that_address(client, personas):
    for _ in range(LIMIT):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 429
    assert _login(client, PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302  # another address
    client.logout()
    assert _login(client, PASSWORD, username="ip_officer").status_code == 302  # another name, same address


def test_token_endpoint_locks_out_with_the_json_error(api, personas):
    url = reverse("api:token")
    for _ in range(LIMIT - 1):
        response = api.post(url, {"username": "author", "password": "wrong"})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "authentication_failed"
    locked = api.post(url, {"username": "author", "password": "wrong"})
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"
    assert "заблокирован" in locked.json()["error"]["message"]
    refused = api.post(url, {"username": "author", "password": PASSWORD})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "locked_out"
    assert "token" not in refused.json()

    _after_cool_off()
    assert api.post(url, {"username": "author", "password": PASSWORD}).json()["token"]
    assert SecurityEvent.objects.filter(kind=EventKind.SIGN_IN_FAILED, path="/api/v1/auth/token/").count() == LIMIT - 1
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKED_OUT, user=personas[Role.AUTHOR]).count() == 2


def test_an_unknown_user_name_is_recorded_as_typed(client, personas):
    _login(client, "whatever", username="nobody-here")
    event = SecurityEvent.objects.get()
    assert (event.kind, event.username, event.user, event.reason) == (
        EventKind.SIGN_IN_FAILED,
        "nobody-here",
        None,
        "неизвестное имя пользователя",
    )
    assert not event.organizations.exists()


@override_settings(SIGN_IN_RATE_PER_MINUTE=3)
def test_sign_in_attempts_from_one_address_are_rate_limited(client, api, personas):
    for username in ("a", "b", "c"):
        assert _login(client, "wrong", username=username).status_code == 200
    throttled = _login(client, PASSWORD)
    assert throttled.status_code == 429 and "Подождите минуту" in throttled.content.decode()
    response = api.post(reverse("api:token"), {"username": "author", "password": PASSWORD})
    assert response.status_code == 429 and response.json()["error"]["code"] == "throttled"


def test_failures_reach_the_administrators_security_log(client, personas, holding_admin):
    _login(client, "wrong")
    client.force_login(personas[Role.ADMINISTRATOR])
    html = client.get(reverse("security:events")).content.decode()
    assert "неудачный вход" in html and "author" in html and "неверный пароль" in html
    client.force_login(holding_admin)  # another organization: not his user
    assert "неверный пароль" not in client.get(reverse("security:events")).content.decode()


def test_the_admin_login_is_locked_out_too(client, personas):
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": "author", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "author", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Слишком много неудачных попыток входа подряд" in locked.content.decode()


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_client_is_the_address_it_appended(client, personas):
    # what the client wrote into the header itself (left) is not believed; the proxy appended the real one
    forwarded = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}
    for _ in range(LIMIT):
        _login(client, "wrong", **forwarded)
    assert SecurityEvent.objects.filter(ip_address="198.51.100.7").count() == LIMIT
    assert _login(client, PASSWORD, **forwarded).status_code == 429
    other = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.8"}  # another client, same proxy
    assert _login(client, PASSWORD, **other).status_code == 302


@override_settings(SIGN_IN_RATE_PER_MINUTE=2)
def test_a_forged_forwarded_header_does_not_escape_the_rate_limit(client, personas):
    for n in range(2):
        _login(client, "wrong", username=f"u{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert _login(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
