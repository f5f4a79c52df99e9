"""«Сроки» and ``/api/v1/deadlines/``: scope, filters, ordering and pages; the page in English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from ridbook.deadlines import views
from ridbook.deadlines.registry import Scope, deadlines_for
from ridbook.deadlines.tests.conftest import keys

pytestmark = pytest.mark.django_db

ALL = ["test.notice:rid:5", "test.meeting:1", "test.decision:rid:7", "test.done:1"]


def _page_keys(client, **query):
    html = client.get(reverse("deadlines:list"), query).content.decode()
    return [
        key for key in (line.split('data-key="')[1].split('"')[0] for line in html.split("\n") if 'data-key="' in line)
    ]


def _api_keys(client, **query):
    response = client.get(reverse("api:deadlines"), query)
    assert response.status_code == 200, response.content
    return keys(response.json()["results"])


def test_scope_mine_and_organization(board, ip_head):
    officer = board.officer
    # overdue first, then by due date, what is done last; never the other tree's
    assert keys(deadlines_for(officer, board.today, Scope.ORGANIZATION)) == ALL
    assert keys(deadlines_for(ip_head, board.today, Scope.ORGANIZATION)) == ALL
    assert keys(deadlines_for(officer, board.today)) == ["test.decision:rid:7"]  # his role's own
    # an author may not oversee: «organization» is «mine» for him
    assert keys(deadlines_for(board.author, board.today, Scope.ORGANIZATION)) == ["test.notice:rid:5", "test.done:1"]
    assert keys(deadlines_for(board.outsider, board.today, Scope.ORGANIZATION)) == ["test.holding:1"]


def test_page_filters_and_ordering(client, board):
    client.force_login(board.officer)
    html = client.get(reverse("deadlines:list")).content.decode()
    assert "Сроки" in html and "/registry/5/" in html and "Срок холдинга" not in html
    assert "Доработать уведомление" in html and "просрочено" in html and "выполнено" in html
    assert _page_keys(client) == ALL
    assert _page_keys(client, scope="mine") == ["test.decision:rid:7"]
    assert _page_keys(client, kind="test.notice") == ["test.notice:rid:5", "test.decision:rid:7"]
    assert _page_keys(client, owner=board.author.pk) == ["test.notice:rid:5", "test.done:1"]
    assert _page_keys(client, owner="none") == ["test.decision:rid:7"]
    assert _page_keys(client, rid="00005") == ["test.notice:rid:5"]
    assert _page_keys(client, rid="РИД-2026-00007") == ["test.decision:rid:7"]
    today = board.today
    assert _page_keys(client, since=f"{today:%Y-%m-%d}") == ["test.meeting:1", "test.decision:rid:7"]
    assert _page_keys(client, until=f"{today + timedelta(days=3):%d.%m.%Y}") == [
        "test.notice:rid:5",
        "test.meeting:1",
        "test.done:1",
    ]
    assert _page_keys(client, state="overdue") == ["test.notice:rid:5"]
    assert _page_keys(client, state="soon") == ["test.meeting:1"]
    assert _page_keys(client, state="later") == ["test.decision:rid:7"]
    assert _page_keys(client, state="done") == ["test.done:1"]
    # the filter offers the kinds and the owners found
    assert 'value="test.meeting"' in html and f'value="{board.secretary.pk}"' in html


def test_page_is_paged(client, board, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.force_login(board.officer)
    assert _page_keys(client) == ALL[:3]
    assert _page_keys(client, page=2) == ALL[3:]
    html = client.get(reverse("deadlines:list"), {"kind": "test.notice", "page": 1}).content.decode()
    assert "page=2" not in html


def test_an_author_sees_his_own_only(client, board):
    client.force_login(board.author)
    assert _page_keys(client) == ["test.notice:rid:5", "test.done:1"]
    assert _page_keys(client, scope="organization") == ["test.notice:rid:5", "test.done:1"]
    assert 'name="scope"' not in client.get(reverse("deadlines:list")).content.decode()


def test_api_filters(client, board):
    client.force_login(board.officer)
    assert _api_keys(client) == ALL
    assert _api_keys(client, scope="mine") == ["test.decision:rid:7"]
    assert _api_keys(client, kind="test.meeting") == ["test.meeting:1", "test.done:1"]
    assert _api_keys(client, owner=board.secretary.pk) == ["test.meeting:1"]
    assert _api_keys(client, rid="00007") == ["test.decision:rid:7"]
    assert _api_keys(client, state="overdue") == ["test.notice:rid:5"]
    assert _api_keys(client, since=f"{board.today + timedelta(days=10):%Y-%m-%d}") == ["test.decision:rid:7"]
    first = client.get(reverse("api:deadlines"), {"rid": "00005"}).json()
    assert first["count"] == 1
    row = first["results"][0]
    assert row["owner"] == {"user_id": board.author.pk, "name": board.author.full_name}
    assert row["provider"] == "test.notice" and row["kind"] == "доработка" and row["status"] == "overdue"
    assert row["rid_number"] == "РИД-2026-00005" and row["state"] == "open" and row["url"] == "/registry/5/"
    bad = client.get(reverse("api:deadlines"), {"owner": "someone"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    reversed_period = client.get(reverse("api:deadlines"), {"since": "2030-01-02", "until": "2030-01-01"})
    assert reversed_period.status_code == 400
    assert "Начало периода позже его конца" in reversed_period.json()["error"]["message"]


def test_menu_and_page_in_english(client, board):
    client.cookies["django_language"] = "en"
    client.force_login(board.officer)
    html = client.get(reverse("deadlines:list")).content.decode()
    assert "Deadlines" in html and "overdue" in html and "Calendar" in html
    for russian in ("Сроки", "Ответственный", "Состояние", "просрочено", "Календарь", "Выдать новый адрес"):
        assert russian not in html, russian
