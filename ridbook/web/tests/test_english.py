"""The same pages in English when the user chose it (cookie): menus, forms, errors, messages; Russian stays default."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from ridbook.accounts import services
from ridbook.accounts.roles import Role
from ridbook.core.uploads import human_size
from ridbook.workdays.calendar import describe_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_home_page_and_the_menu_in_english(english, personas):
    english.force_login(personas[Role.ADMINISTRATOR])
    response = english.get(reverse("web:home"))
    html = response.content.decode()
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "My tasks and deadlines" in html and "Users" in html and "Log out" in html
    assert "Мои задачи и сроки" not in html


def test_a_denial_is_explained_in_english(english, personas):
    english.force_login(personas[Role.AUTHOR])
    response = english.get(reverse("web:audit"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "The action “viewing the change log” is not available" in html
    assert "Access denied" in html


def test_a_missing_page_in_english(english, personas):
    english.force_login(personas[Role.AUTHOR])
    response = english.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found." in response.content.decode()


def test_an_organization_page_and_a_form_error_in_english(english, personas, org_tree):
    english.force_login(personas[Role.ADMINISTRATOR])
    org = org_tree["university"]
    html = english.get(reverse("web:organization", args=[org.pk])).content.decode()
    assert "Short name" in html and "Policy in force" in html
    response = english.post(
        reverse("web:organization_edit", args=[org.pk]),
        {
            "name": "X",
            "short_name": org.short_name,
            "kind": org.kind,
            "country": "RU",
            "policy_name": "vgtu",
            "inn": "1234567890",
            "ogrn": "",
            "is_active": "on",
        },
    )
    assert "INN 1234567890 is invalid" in response.content.decode()


def test_the_users_page_in_english(english, personas):
    english.force_login(personas[Role.ADMINISTRATOR])
    html = english.get(reverse("accounts:users")).content.decode()
    assert "Add a user" in html and "Search by name" in html


def test_the_api_errors_in_english(personas):
    api = APIClient()
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert api.get("/api/v1/me/").json()["error"]["message"] == "Sign-in or a token is required."
    response = api.post("/api/v1/auth/token/", {"username": "nobody", "password": "wrong"})
    assert response.json()["error"]["message"] == "Invalid username or password."


def test_the_invitation_e_mail_in_english(personas, org_tree, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.user_create(
            actor=personas[Role.ADMINISTRATOR],
            username="newcomer",
            last_name="Smith",
            first_name="Ann",
            email="ann@example.org",
            organization=org_tree["university"],
            role=Role.AUTHOR,
        )
    message = mail.outbox[-1]
    assert message.subject == "Invitation to ridbook"
    assert message.body.startswith("Hello, Smith Ann")


def test_words_of_the_platform_in_english():
    with translation.override("en"):
        assert human_size(3 * 1024 * 1024) == "3 MB"
        assert describe_day(date(2026, 1, 1), "RU")["weekday"] == "Thursday"
        assert describe_day(date(2026, 5, 9), "RU")["name"] == "Victory Day"
    assert describe_day(date(2026, 1, 1), "RU")["weekday"] == "четверг"
    assert describe_day(date(2026, 5, 9), "RU")["name"] == "День Победы"


def test_the_api_schema_in_english_and_in_russian(personas):
    api = APIClient()
    api.force_authenticate(personas[Role.AUDITOR])
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["info"]["description"].startswith("JSON API учёта РИД")
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["info"]["description"].startswith("JSON API for IP result records")
    params = {p["name"]: p.get("description") for p in schema["paths"]["/api/v1/audit/"]["get"]["parameters"]}
    assert params["until"] == "until the date, inclusive"


def test_a_fixed_reason_of_the_security_log_is_shown_in_the_reader_s_language(english, personas):
    english.post(reverse("web:login"), {"username": personas[Role.AUTHOR].username, "password": "wrong"})
    english.force_login(personas[Role.ADMINISTRATOR])
    html = english.get(reverse("security:events")).content.decode()
    assert "wrong password" in html and "failed sign-in" in html
