"""The security log: permission denials (kept even when the transaction that asked rolls back), who sees what."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ridbook.accounts.permissions import Action, require
from ridbook.accounts.roles import Role
from ridbook.core.errors import PermissionDeniedError
from ridbook.security.events import collecting, record
from ridbook.security.models import EventKind, SecurityEvent

pytestmark = pytest.mark.django_db


def test_a_denial_outlives_the_transaction_it_rolled_back(personas, org_tree):
    author = personas[Role.AUTHOR]
    with collecting(RequestFactory().post("/commission/new/", REMOTE_ADDR="10.0.0.7")):
        with pytest.raises(PermissionDeniedError), transaction.atomic():
            require(author, Action.MEETING_MANAGE, org_tree["department"])
        assert not SecurityEvent.objects.exists()  # not yet: the request has not ended
    event = SecurityEvent.objects.get()
    assert event.kind == EventKind.PERMISSION_DENIED and event.user == author
    assert event.action == "meeting.manage" and event.ip_address == "10.0.0.7" and event.path == "/commission/new/"
    assert "нужна одна из ролей" in event.reason
    assert set(event.organizations.all()) == {org_tree["university"], org_tree["department"]}


def test_a_denied_request_is_recorded_and_an_allowed_one_costs_nothing(client, personas):
    client.force_login(personas[Role.AUTHOR])
    assert client.get(reverse("web:audit")).status_code == 403
    event = SecurityEvent.objects.get()
    assert (event.kind, event.username, event.action, event.path) == (
        EventKind.PERMISSION_DENIED,
        "author",
        "audit.view",
        "/audit/",
    )
    client.force_login(personas[Role.AUDITOR])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:audit")).status_code == 200
    assert not [q for q in queries.captured_queries if "security_" in q["sql"]]


def test_an_api_denial_is_recorded(personas):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(personas[Role.AUTHOR])
    assert api.get("/api/v1/audit/").status_code == 403
    assert SecurityEvent.objects.get().path == "/api/v1/audit/"


def test_each_sees_the_events_of_his_organizations(client, personas, org_tree, holding_admin):
    from ridbook.testing.factories import persona

    department_author = persona(Role.AUTHOR, org_tree["department"], username="dept-author")
    holding_author = persona(Role.AUTHOR, org_tree["holding"], username="holding-author")
    for user in (department_author, holding_author):
        record(EventKind.SIGN_IN_FAILED, user=user, reason="неверный пароль")
    record(EventKind.SIGN_IN_FAILED, username="stranger", reason="неизвестное имя пользователя")

    def seen(viewer):
        client.force_login(viewer)
        html = client.get(reverse("security:events")).content.decode()
        return {name for name in ("dept-author", "holding-author", "stranger") if name in html}

    assert seen(personas[Role.AUDITOR]) == {"dept-author"}  # the university's subtree
    assert seen(personas[Role.ADMINISTRATOR]) == {"dept-author"}
    assert seen(holding_admin) == {"holding-author"}
    superuser = persona(Role.AUTHOR, org_tree["holding"], username="root")
    superuser.is_superuser = True
    superuser.save()
    assert seen(superuser) == {"dept-author", "holding-author", "stranger"}  # an unknown name: superusers only
    client.force_login(personas[Role.IP_OFFICER])  # may read the change log, not the security log
    assert client.get(reverse("security:events")).status_code == 403


def test_the_page_filters_by_kind_user_and_period(client, personas):
    record(EventKind.SIGN_IN_FAILED, user=personas[Role.AUTHOR], reason="неверный пароль")
    record(EventKind.TOKEN_CREATED, user=personas[Role.EXPERT], reason="действует до")
    client.force_login(personas[Role.AUDITOR])
    url = reverse("security:events")
    html = client.get(url, {"kind": "token_created"}).content.decode()
    assert "выпущен токен API" in html and "неверный пароль" not in html
    html = client.get(url, {"user": "auth"}).content.decode()
    assert "неверный пароль" in html and "действует до" not in html
    assert "Событий нет" in client.get(url, {"since": "2001-01-01", "until": "2001-12-31"}).content.decode()
    assert (
        "Начало периода позже его конца"
        in client.get(url, {"since": "2030-01-02", "until": "2030-01-01"}).content.decode()
    )
    assert "Журнал безопасности" in client.get(reverse("web:home")).content.decode()  # in the menu
    client.force_login(personas[Role.AUTHOR])
    assert "Журнал безопасности" not in client.get(reverse("web:home")).content.decode()


def test_the_api_lists_the_viewers_events(personas, org_tree, holding_admin):
    from rest_framework.test import APIClient

    record(EventKind.SIGN_IN_FAILED, user=personas[Role.AUTHOR], reason="неверный пароль")
    api = APIClient()
    api.force_authenticate(personas[Role.AUDITOR])
    body = api.get("/api/v1/security-events/", {"kind": "sign_in_failed"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["kind"], row["kind_label"], row["username"]) == ("sign_in_failed", "неудачный вход", "author")
    assert row["organizations"] == [org_tree["university"].pk]
    assert api.get("/api/v1/security-events/", {"kind": "token_created"}).json()["count"] == 0
    assert api.get("/api/v1/security-events/", {"since": "вчера"}).json()["error"]["code"] == "invalid"
    api.force_authenticate(holding_admin)
    assert api.get("/api/v1/security-events/").json()["count"] == 0
    api.force_authenticate(personas[Role.AUTHOR])
    assert api.get("/api/v1/security-events/").json()["error"]["code"] == "permission_denied"


def test_the_log_is_append_only(personas):
    from ridbook.audit.models import RecordLocked

    record(EventKind.SIGN_IN_FAILED, user=personas[Role.AUTHOR])
    event = SecurityEvent.objects.get()
    with pytest.raises(RecordLocked):
        event.save()
    with pytest.raises(RecordLocked):
        event.delete()


def test_an_object_level_denial_is_recorded_and_a_required_one_once(personas, org_tree):
    from ridbook.audit.context import acting_as

    author = personas[Role.AUTHOR]
    with collecting(RequestFactory().post("/registry/1/edit/")):
        with acting_as(author), pytest.raises(PermissionDeniedError):
            raise PermissionDeniedError("Изменять уведомление могут только его авторы и подразделение по ИС.")
        with pytest.raises(PermissionDeniedError):
            require(author, Action.AUDIT_VIEW)  # recorded by the permission module, not again when raised
    object_rule, required = SecurityEvent.objects.order_by("id")
    assert (object_rule.user, object_rule.action) == (author, "")
    assert object_rule.reason.startswith("Изменять уведомление могут только его авторы")
    assert set(object_rule.organizations.all()) == {org_tree["university"]}
    assert (required.user, required.action) == (author, "audit.view")


def test_a_denial_before_the_api_knew_the_user_gets_the_requests_user(personas):
    request = RequestFactory().get("/api/v1/meetings/1/")
    with collecting(request):
        PermissionDeniedError("Материалы заседания конфиденциальны.")
        request.user = personas[Role.EXPERT]  # DRF sets it on the Django request once the token is checked
    event = SecurityEvent.objects.get()
    assert (event.user, event.username, event.path) == (personas[Role.EXPERT], "expert", "/api/v1/meetings/1/")


def test_outside_a_request_a_denial_is_written_at_once(personas):
    from ridbook.audit.context import acting_as

    with acting_as(personas[Role.AUTHOR]):
        PermissionDeniedError("Голос вносит секретарь комиссии или сам член комиссии.")
    assert SecurityEvent.objects.get().user == personas[Role.AUTHOR]
