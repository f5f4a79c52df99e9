"""The calendar feed: a secret address, no sign-in, the user's own deadlines as all-day events; a renewed address
stops the old one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from ridbook.audit.models import ChangeRecord
from ridbook.deadlines.models import FeedToken
from ridbook.deadlines.services import renew_feed_token

pytestmark = pytest.mark.django_db


def parse_ics(data: bytes) -> list[dict[str, list[tuple[str, str]]]]:
    """A small RFC 5545 reader: unfolds the lines, returns the components (VCALENDAR, VEVENT, VALARM) in order, each a
    map of property name → [(parameters, unescaped value)]."""
    text = data.decode()
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    components: list[dict[str, list[tuple[str, str]]]] = []
    stack: list[dict[str, list[tuple[str, str]]]] = []
    for line in lines:
        head, _, value = line.partition(":")
        name, _, params = head.partition(";")
        if name == "BEGIN":
            stack.append({"BEGIN": [("", value)]})
            components.append(stack[-1])
            continue
        if name == "END":
            assert stack.pop()["BEGIN"][0][1] == value
            continue
        unescaped = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
        stack[-1].setdefault(name, []).append((params, unescaped))
    assert not stack
    return components


def _events(data: bytes) -> list[dict[str, list[tuple[str, str]]]]:
    return [c for c in parse_ics(data) if c["BEGIN"][0][1] == "VEVENT"]


def test_the_feed_without_signing_in(client, board):
    token = renew_feed_token(actor=board.author).token
    anonymous = Client()
    response = anonymous.get(reverse("deadlines:feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    components = parse_ics(response.content)
    assert components[0]["VERSION"] == [("", "2.0")]
    events = _events(response.content)
    # his open deadlines only: the done one is not in the calendar, nobody else's ever
    assert [e["UID"][0][1].split("@")[0] for e in events] == ["test.notice:rid:5"]
    event = events[0]
    assert event["SUMMARY"] == [("", "Доработать уведомление")]
    assert event["DTSTART"] == [("VALUE=DATE", f"{board.today - timedelta(days=2):%Y%m%d}")]
    assert event["DTEND"] == [("VALUE=DATE", f"{board.today - timedelta(days=1):%Y%m%d}")]
    assert event["URL"][0][1].endswith("/registry/5/")
    assert "возвращено на доработку" in event["DESCRIPTION"][0][1]
    alarms = [c for c in components if c["BEGIN"][0][1] == "VALARM"]
    assert alarms and alarms[0]["TRIGGER"] == [("", "-P1D")] and alarms[0]["ACTION"] == [("", "DISPLAY")]


def test_uids_stay_when_the_date_moves_and_long_lines_fold(board):
    token = renew_feed_token(actor=board.secretary).token
    url = reverse("deadlines:feed", args=[token])
    first = _events(Client().get(url).content)
    moved = board.items[1]
    board.items[1] = replace(
        moved, due=moved.due + timedelta(days=10), title="Разослать уведомления; о заседании, " + "очень длинное " * 8
    )
    second = _events(Client().get(url).content)
    assert first[0]["UID"] == second[0]["UID"]
    assert second[0]["SUMMARY"][0][1].startswith("Разослать уведомления; о заседании, очень")
    assert second[0]["DTSTART"][0][1] == f"{moved.due + timedelta(days=10):%Y%m%d}"


def test_a_renewed_address_stops_the_old_one(client, board):
    first = renew_feed_token(actor=board.author).token
    second = renew_feed_token(actor=board.author).token
    assert first != second and len(second) >= 43
    assert Client().get(reverse("deadlines:feed", args=[first])).status_code == 404
    assert Client().get(reverse("deadlines:feed", args=[second])).status_code == 200
    assert Client().get(reverse("deadlines:feed", args=["not-a-token"])).status_code == 404
    assert Client().get(f"/deadlines/feed/{second}x.ics").status_code == 404
    # journaled, but the secret is not copied into the log
    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(FeedToken),
        object_id=str(FeedToken.objects.get(user=board.author).pk),
    )
    assert records.count() == 2
    assert not any(first in str(r.before) + str(r.after) or second in str(r.after) for r in records)


def test_renewing_on_the_page(client, board):
    client.force_login(board.author)
    page = client.get(reverse("deadlines:list")).content.decode()
    assert 'data-testid="feed-url"' not in page
    response = client.post(reverse("deadlines:feed_renew"), follow=True)
    token = FeedToken.objects.get(user=board.author).token
    assert f"/deadlines/feed/{token}.ics" in response.content.decode()
    client.post(reverse("deadlines:feed_renew"))
    assert FeedToken.objects.get(user=board.author).token != token
    assert Client().get(reverse("deadlines:feed_renew")).status_code in (302, 405)


def test_a_deactivated_user_has_no_feed(board):
    token = renew_feed_token(actor=board.author).token
    board.author.is_active = False
    board.author.save()
    assert Client().get(reverse("deadlines:feed", args=[token])).status_code == 404
