"""Real browser (Debian's chromium via Playwright), the acceptance of issue 12 (2): an administrator invites a
colleague, gives him the IP-officer role; the colleague sets his password from the e-mailed link, signs in and works
in the registry as the IP officer."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from ridbook.accounts.models import User
from ridbook.accounts.roles import Role
from ridbook.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Изобретатель-2026"


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Мои задачи и сроки')")


def test_an_administrator_invites_a_colleague_as_ip_officer_and_he_signs_in(page, live_server, personas, org_tree):
    base = live_server.url
    sign_in(page, base, personas[Role.ADMINISTRATOR].username, PASSWORD)
    page.click("nav >> text=Пользователи")
    page.click("[data-testid=user-new]")
    page.click("[data-testid=user-form] button[type=submit]")  # empty: the errors stand next to the fields
    assert "Обязательное поле" in page.inner_text("[data-testid=user-form]")
    assert page.locator("label.required[for=id_last_name]").count() == 1
    page.fill("#id_username", "orlov")
    page.fill("#id_last_name", "Орлов")
    page.fill("#id_first_name", "Глеб")
    page.fill("#id_middle_name", "Петрович")
    page.fill("#id_email", "orlov@example.org")
    page.select_option("#id_organization", label="Институт")
    page.select_option("#id_role", value="author")
    page.click("[data-testid=user-form] button[type=submit]")
    page.wait_for_selector("h1:has-text('Орлов Глеб Петрович')")
    assert "Приглашение отправлено на orlov@example.org" in page.inner_text("[data-testid=message]")
    assert "Приглашён: пароль ещё не задан" in page.inner_text("[data-testid=account-state]")

    # the IP-officer role, from today
    page.select_option("[data-testid=assign-form] #id_organization", label="Институт")
    page.select_option("[data-testid=assign-form] #id_role", value="ip_officer")
    page.click("[data-testid=assign-form] button[type=submit]")
    page.wait_for_selector("[data-testid=message]:has-text('специалист по ИС')")
    assert "специалист по ИС" in page.inner_text("[data-testid=roles-current]")
    page.click("header button:has-text('Выйти')")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["orlov@example.org"]
    found = re.search(r"http://\S+", mail.outbox[0].body)
    assert found and found.group(0).startswith(base)
    page.goto(found.group(0))
    assert "orlov" in page.inner_text("main")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("[data-testid=invitation-form] button[type=submit]")
    page.wait_for_selector("[data-testid=message]:has-text('Пароль задан')")

    sign_in(page, base, "orlov", NEW_PASSWORD)
    assert "Орлов Глеб Петрович" in page.inner_text("[data-testid=current-user]")
    assert "Пользователи" not in page.inner_text("nav")  # not an administrator
    page.click("nav >> text=Реестр РИД")
    page.click("a:has-text('Импорт')")  # the IP officer's tool
    page.wait_for_selector("h1")
    assert page.url.endswith("/registry/import/")

    page.goto(found.group(0))  # the link is spent
    assert "уже использована" in page.inner_text("[data-testid=invitation-message]")
    assert User.objects.get(username="orlov").role_assignments.filter(role=Role.IP_OFFICER).exists()
