from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ridbook.accounts.roles import Role
from ridbook.audit.models import ChangeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_openapi_schema_is_served_at_a_stable_url(api, personas):
    api.force_authenticate(personas[Role.AUTHOR])
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/organizations/", "/api/v1/policies/", "/api/v1/audit/", "/api/v1/working-days/"):
        assert path in schema["paths"]


def test_unauthenticated_requests_get_the_error_format(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.json()["error"]["message"]


def test_token_authentication(api, personas):
    from ridbook.testing.factories import PASSWORD

    token = api.post("/api/v1/auth/token/", {"username": "author", "password": PASSWORD}).json()["token"]
    assert Token.objects.get(user=personas[Role.AUTHOR]).key == token
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "author" and me["roles"][0]["role"] == "author"


def test_denial_is_403_with_code_and_reason(api, personas, org_tree):
    api.force_authenticate(personas[Role.AUTHOR])
    response = api.get("/api/v1/audit/")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "permission_denied"
    assert "просмотр журнала изменений" in error["message"]
    response = api.patch(f"/api/v1/organizations/{org_tree['institute'].pk}/", {"name": "X"}, format="json")
    assert response.status_code == 403


def test_create_through_the_api_is_validated_and_audited(api, personas, org_tree):
    api.force_authenticate(personas[Role.ADMINISTRATOR])
    bad = api.post(
        "/api/v1/organizations/",
        {
            "name": "Кафедра ИС",
            "short_name": "ИС",
            "kind": "department",
            "parent": org_tree["institute"].pk,
            "inn": "123",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "ИНН 123 неверен" in bad.json()["error"]["message"]
    good = api.post(
        "/api/v1/organizations/",
        {"name": "Кафедра ИС", "short_name": "ИС", "kind": "department", "parent": org_tree["institute"].pk},
        format="json",
    )
    assert good.status_code == 201, good.json()
    assert good.json()["effective_policy"].startswith("vgtu@")
    pk = good.json()["id"]
    record = ChangeRecord.objects.get(object_id=str(pk), content_type__model="organization")
    assert record.actor == personas[Role.ADMINISTRATOR] and record.action == "create"
    history = api.get("/api/v1/audit/", {"model": "organizations.organization", "object_id": pk}).json()
    assert history["count"] == 1 and history["results"][0]["after"]["short_name"] == "ИС"


def test_organizations_are_restricted_to_the_users_tree(api, personas, org_tree):
    api.force_authenticate(personas[Role.AUTHOR])
    names = {o["short_name"] for o in api.get("/api/v1/organizations/").json()["results"]}
    assert names == {"ВУЗ", "Институт", "Кафедра"}


def test_policies_and_working_days(api, personas):
    api.force_authenticate(personas[Role.AUTHOR])
    names = {p["name"] for p in api.get("/api/v1/policies/").json()}
    assert {"vgtu", "tpu", "rzd-2013", "uz-979", "ru-default"} <= names
    vgtu = api.get("/api/v1/policies/vgtu/").json()
    assert vgtu["commission"]["min_members"] == 7
    assert api.get("/api/v1/policies/nope/").status_code in (400, 404)
    result = api.get("/api/v1/working-days/", {"date": "2025-12-30", "days": 1, "country": "RU"}).json()
    assert result["result"] == "2026-01-12"
    bad = api.get("/api/v1/working-days/", {"date": "30.12.2025", "days": 1, "country": "KZ"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"
    assert set(bad.json()["error"]["details"]) == {"date", "country"}
