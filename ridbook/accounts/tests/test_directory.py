"""Sign-in through the organization's directory, against a real OpenLDAP server (Debian's slapd) that the tests
start and stop; skipped, with the reason, where slapd is not installed."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ridbook.accounts import services
from ridbook.accounts.directory import directory_password_ok
from ridbook.accounts.models import User
from ridbook.accounts.roles import Role
from ridbook.testing.slapd import USER_DN_TEMPLATE, running_slapd, slapd_missing

DIRECTORY = {"orlov": "Пароль-каталога-1", "stranger": "Пароль-каталога-2"}


@pytest.fixture(scope="module")
def slapd_uri(tmp_path_factory):
    reason = slapd_missing()
    if reason:
        pytest.skip(reason)
    with running_slapd(tmp_path_factory.mktemp("slapd"), DIRECTORY) as uri:
        yield uri


@pytest.fixture
def directory(settings, slapd_uri):
    settings.LDAP_SERVER_URI = slapd_uri
    settings.LDAP_USER_DN_TEMPLATE = USER_DN_TEMPLATE
    return slapd_uri


def _signs_in(username: str, password: str) -> bool:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_the_directory_checks_passwords(directory):
    assert directory_password_ok("orlov", DIRECTORY["orlov"])
    assert not directory_password_ok("orlov", "неверный")
    assert not directory_password_ok("orlov", "")  # an empty password would be an anonymous bind
    assert not directory_password_ok("orlov,ou=people", DIRECTORY["orlov"])  # the name is escaped


def test_a_colleague_added_by_the_administrator_signs_in_with_his_directory_password(directory, personas, org_tree):
    admin = personas[Role.ADMINISTRATOR]
    user = services.user_create(
        actor=admin,
        organization=org_tree["institute"],
        role=Role.IP_OFFICER,
        username="orlov",
        last_name="Орлов",
        first_name="Глеб",
    )  # no password, no e-mail: the directory has his password, no invitation is sent
    assert user.invited_at is None and not user.has_usable_password()
    assert _signs_in("orlov", DIRECTORY["orlov"])
    assert not _signs_in("orlov", "неверный")
    token = APIClient().post("/api/v1/auth/token/", {"username": "orlov", "password": DIRECTORY["orlov"]})
    assert token.status_code == 200 and token.json()["token"]
    services.user_deactivate(actor=admin, user=user)
    assert not _signs_in("orlov", DIRECTORY["orlov"])


def test_a_name_only_the_directory_knows_does_not_sign_in(directory, db):
    assert not _signs_in("stranger", DIRECTORY["stranger"])
    assert not User.objects.filter(username="stranger").exists()


def test_an_unreachable_directory_refuses_and_local_passwords_still_work(settings, personas):
    settings.LDAP_SERVER_URI = "ldap://127.0.0.1:9"
    settings.LDAP_USER_DN_TEMPLATE = USER_DN_TEMPLATE
    settings.LDAP_TIMEOUT_SECONDS = 1
    assert not directory_password_ok("orlov", "x")
    from ridbook.testing.factories import PASSWORD

    assert _signs_in(personas[Role.AUTHOR].username, PASSWORD)
