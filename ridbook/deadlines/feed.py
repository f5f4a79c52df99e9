"""The user's deadlines as an iCalendar feed (RFC 5545) that calendar programs subscribe to: one all-day event per
open deadline, its UID made of the deadline's key (a moved date updates the same event), a reminder the day before."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ridbook.core.ics import calendar, escape, utc
from ridbook.deadlines.registry import Scope, deadlines_for


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "ridbook"


def build_feed(user: Any, today: date) -> bytes:
    """The feed of ``user``'s own deadlines (``Scope.MINE``), in the language of his letters."""
    from ridbook.notifications.services import preference_of

    with translation.override(preference_of(user).language):
        return _build(user, today)


def _build(user: Any, today: date) -> bytes:
    site = settings.SITE_URL.rstrip("/")
    host = _host()
    stamp = utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ridbook//deadlines//RU",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape(_("Сроки ridbook: %(name)s") % {"name": user.full_name}),
        "X-PUBLISHED-TTL:PT6H",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
    ]
    for d in deadlines_for(user, today, Scope.MINE):
        if not d.is_open():
            continue
        description = [str(d.rule)]
        if d.organization:
            description.append(_("Организация: %(name)s") % {"name": d.organization})
        if d.owner:
            description.append(_("Ответственный: %(name)s") % {"name": d.owner.name})
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(d.key)}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{d.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{d.due + timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + escape(str(d.title)),
            "DESCRIPTION:" + escape("\n".join(description)),
            "CATEGORIES:" + escape(str(d.kind)),
            *([f"URL:{site}{d.url}"] if d.url else []),
            "TRANSP:TRANSPARENT",
            "CLASS:PRIVATE",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:" + escape(str(d.title)),
            "TRIGGER:-P1D",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return calendar(lines)
