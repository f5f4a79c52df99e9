"""Production mode (DEBUG=false): API errors keep the JSON format, tracebacks reach the log, check --deploy is clean
with the README's production settings, the API schema and docs are for signed-in users."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from ridbook.accounts.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

ROOT = Path(__file__).resolve().parents[3]

# the README's production settings (section «Production»)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-check-only-7f3a",
    "ALLOWED_HOSTS": "ridbook.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://ridbook.example.org",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "TRUSTED_PROXY_COUNT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _boom(*args, **kwargs):
    raise RuntimeError("boom: a bug nobody caught")


def _error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


@override_settings(DEBUG=False)
def test_an_unknown_api_address_is_a_json_404_and_a_page_is_html(client, personas):
    assert "не найден" in _error(client.get("/api/v1/no-such-thing/"), 404, "not_found")["message"]
    _error(client.get("/api/nothing"), 404, "not_found")
    client.force_login(personas[Role.AUTHOR])
    _error(client.get("/api/v1/rids/999999/"), 404, "not_found")
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "Страница не найдена" in page.content.decode()


@override_settings(DEBUG=False)
def test_an_uncaught_exception_is_a_json_500_and_its_traceback_is_logged(client, personas, monkeypatch, caplog):
    monkeypatch.setattr("ridbook.api.views.available_policies", _boom)
    client.force_login(personas[Role.AUTHOR])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        error = _error(client.get("/api/v1/policies/"), 500, "server_error")
    assert "записана в журнал" in error["message"] and "boom" not in error["message"]
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "boom: a bug nobody caught" in caplog.text and "Traceback" in caplog.text
    # and the log has a handler that writes it out (the process's console), not only mail to ADMINS
    assert any(isinstance(h, logging.StreamHandler) for h in logging.getLogger("django").handlers)


@override_settings(DEBUG=False)
def test_a_page_500_stays_a_page(client, personas, monkeypatch):
    monkeypatch.setattr("ridbook.web.views.available_policies", _boom)
    client.force_login(personas[Role.AUTHOR])
    response = client.get("/policies/")
    assert response.status_code == 500 and "Внутренняя ошибка" in response.content.decode()


@override_settings(DEBUG=False)
def test_403_405_and_401_keep_the_format(client, personas):
    _error(client.get("/api/v1/me/"), 401, "not_authenticated")
    client.force_login(personas[Role.AUTHOR])
    _error(client.post("/api/v1/me/"), 405, "method_not_allowed")
    _error(client.get("/api/v1/audit/"), 403, "permission_denied")


def test_the_schema_and_the_docs_need_a_signed_in_user(client, personas):
    _error(client.get("/api/v1/schema/"), 401, "not_authenticated")
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/?next=/api/v1/docs/")
    client.force_login(personas[Role.AUTHOR])
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200


def _manage(tmp_path: Path, env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    unset = (
        "DATABASE_URL",
        "DEBUG",
        "SECRET_KEY",
        "SECURE_",
        "TRUSTED_",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    )  # last: conftest's
    env = {k: v for k, v in os.environ.items() if not k.startswith(unset)}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="ridbook.settings", RIDBOOK_VAR_DIR=str(tmp_path))
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


# the settings that depend on the environment, then check --deploy, in one process
CHECK = (
    "from django.conf import settings as s; from django.core.management import call_command; "
    "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, flush=True); "
    "call_command('check', deploy=True, fail_level='WARNING')"
)


def test_check_deploy_is_clean_with_the_readmes_production_settings(tmp_path):
    result = _manage(tmp_path, PRODUCTION_ENV, "shell", "--no-imports", "-c", CHECK)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == "('HTTP_X_FORWARDED_PROTO', 'https') 31536000 True"
    assert "no issues (0 silenced)" in result.stdout


def test_hsts_and_the_proxy_header_only_when_configured(tmp_path):
    bare = {k: v for k, v in PRODUCTION_ENV.items() if not k.startswith("SECURE_")}
    result = _manage(tmp_path, bare, "shell", "--no-imports", "-c", CHECK)
    assert result.stdout.splitlines()[0] == "None 0 True"  # the HTTPS redirect is on by default
    assert "security.W004" in result.stderr  # check --deploy says HSTS is off, as it is
    assert "identified 1 issue" in result.stderr  # and nothing else
