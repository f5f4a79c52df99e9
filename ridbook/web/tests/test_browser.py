"""Real browser (Debian's chromium via Playwright): a demo user logs in and sees the home page."""

import pytest

from ridbook.accounts.roles import Role
from ridbook.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_user_logs_in_and_sees_home(page, live_server, personas):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.fill("#id_username", personas[Role.IP_OFFICER].username)
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "Неверное имя пользователя или пароль" in page.inner_text("main")
    page.fill("#id_username", personas[Role.IP_OFFICER].username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Мои задачи и сроки')")
    assert personas[Role.IP_OFFICER].full_name in page.inner_text("[data-testid=current-user]")
    assert "Журнал изменений" in page.inner_text("nav")
    assert page.evaluate("typeof htmx") == "object"  # the static file is served and loaded
    page.click("nav >> text=Календарь")
    page.fill("#id_date", "2025-12-30")
    page.fill("#id_days", "1")
    page.click("button:has-text('Рассчитать')")
    page.wait_for_selector("[data-testid=calendar-result]")
    assert "2026" in page.inner_text("[data-testid=calendar-result]")
