from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.deadlines.registry import Deadline, register_provider, unregister_provider
from ridbook.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_login_page_is_russian_and_rejects_a_wrong_password(client, personas):
    page = client.get(reverse("web:login"))
    assert "Вход в ridbook" in page.content.decode()
    bad = client.post(reverse("web:login"), {"username": "author", "password": "wrong"})
    assert "Неверное имя пользователя или пароль" in bad.content.decode()


def test_home_lists_my_deadlines_from_registered_providers(client, personas):
    today = timezone.localdate()

    secretary = personas[Role.COMMISSION_SECRETARY]

    def provider(user, day):
        if user == secretary:
            yield Deadline(
                title="Разослать уведомления о заседании",
                due=day + timedelta(days=3),
                rule="≥ 7 рабочих дней до заседания (ВГТУ 6.6)",
                source="test",
            )

    register_provider("test.meeting", provider)
    try:
        client.force_login(secretary)
        html = client.get(reverse("web:home")).content.decode()
        assert "Мои задачи и сроки" in html
        assert "Разослать уведомления о заседании" in html
        assert (today + timedelta(days=3)).strftime("%d.%m.%Y") in html
        assert "скоро" in html
        client.force_login(personas[Role.AUTHOR])
        assert "Сроков нет" in client.get(reverse("web:home")).content.decode()
    finally:
        unregister_provider("test.meeting")


def test_home_shows_the_first_deadlines_overdue_first_and_leads_to_the_rest(client, personas):
    officer = personas[Role.IP_OFFICER]

    def provider(user, day):
        if user == officer:
            for n in range(60):
                yield Deadline(
                    title=f"Задача № {n:02d}", due=day + timedelta(days=n - 5), rule="тест", source="test", key=f"t:{n}"
                )

    register_provider("test.many", provider)
    try:
        client.force_login(officer)
        html = client.get(reverse("web:home")).content.decode()
        assert html.count("Задача № ") == 50
        assert "Задача № 00" in html and "Задача № 49" in html and "Задача № 50" not in html  # overdue first
        assert "Показаны первые 50 из 60." in html and "/deadlines/?scope=mine" in html
    finally:
        unregister_provider("test.many")


def test_navigation_follows_the_role(client, personas):
    client.force_login(personas[Role.AUDITOR])
    assert "Журнал изменений" in client.get(reverse("web:home")).content.decode()
    client.force_login(personas[Role.AUTHOR])
    html = client.get(reverse("web:home")).content.decode()
    assert "Журнал изменений" not in html and "Организации" in html


def test_denied_page_is_403_with_the_reason(client, personas):
    client.force_login(personas[Role.AUTHOR])
    response = client.get(reverse("web:audit"))
    assert response.status_code == 403
    assert "просмотр журнала изменений" in response.content.decode()


def test_bad_inn_in_the_form_is_explained_and_nothing_is_stored(client, personas, org_tree):
    client.force_login(personas[Role.ADMINISTRATOR])
    org = org_tree["university"]
    response = client.post(
        reverse("web:organization_edit", args=[org.pk]),
        {
            "name": "Новое имя",
            "short_name": org.short_name,
            "kind": org.kind,
            "country": "RU",
            "policy_name": "vgtu",
            "inn": "1234567890",
            "ogrn": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "ИНН 1234567890 неверен" in response.content.decode()
    assert Organization.objects.get(pk=org.pk).name == org.name


def test_history_tab_shows_the_change_and_htmx_gets_only_the_fragment(client, personas, org_tree):
    client.force_login(personas[Role.ADMINISTRATOR])
    org = org_tree["institute"]
    client.post(
        reverse("web:organization_edit", args=[org.pk]),
        {
            "name": "Институт энергетики",
            "short_name": org.short_name,
            "kind": org.kind,
            "country": "RU",
            "policy_name": "",
            "parent": org.parent_id,
            "inn": "",
            "ogrn": "",
            "is_active": "on",
        },
    )
    full = client.get(reverse("web:organization_tab", args=[org.pk, "history"])).content.decode()
    assert "Институт энергетики" in full and "<html" in full
    fragment = client.get(reverse("web:organization_tab", args=[org.pk, "history"]), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "Институт энергетики" in body and "<html" not in body
    admin = personas[Role.ADMINISTRATOR]
    assert admin.full_name in body and admin.username not in body  # who: the name, not the login


def test_policy_pages(client, personas):
    client.force_login(personas[Role.AUTHOR])
    html = client.get(reverse("web:policies")).content.decode()
    for name in ("vgtu", "tpu", "rzd-2013", "uz-979", "ru-default"):
        assert name in html
    assert client.get(reverse("web:policy", args=["vgtu", 1])).status_code == 200
    assert client.get(reverse("web:policy", args=["nope", 1])).status_code == 404


def test_calendar_page_counts_working_days(client, personas):
    client.force_login(personas[Role.AUTHOR])
    html = client.get(reverse("web:calendar"), {"date": "2025-12-30", "days": "1", "country": "RU"}).content.decode()
    assert "12.01.2026" in html or "2026-01-12" in html
    bad = client.get(reverse("web:calendar"), {"date": "31.02.2025", "days": "1", "country": "RU"}).content.decode()
    assert "Введите дату" in bad


def test_unreachable_database_gives_a_clear_page(client, personas, monkeypatch):
    client.force_login(personas[Role.AUTHOR])

    def broken(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("ridbook.web.views.deadlines_filtered", broken)
    response = client.get(reverse("web:home"))
    assert response.status_code == 503
    assert "База данных недоступна" in response.content.decode()


def test_unknown_page_is_a_russian_404(client, personas):
    client.force_login(personas[Role.AUTHOR])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Не найдено" in response.content.decode()


def test_russian_first_whatever_the_browser_says_and_english_on_request(client, personas):
    client.force_login(personas[Role.AUTHOR])
    html = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Мои задачи и сроки" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("web:home")).content.decode()
    assert "My tasks and deadlines" in html
