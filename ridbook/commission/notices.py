"""Уведомления о заседании: e-mail членам комиссии, авторам и экспертам с приглашением в календарь (ICS, RFC 5545)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ridbook.commission.choices import MemberRole
from ridbook.commission.models import Meeting
from ridbook.commission.selectors import active_members
from ridbook.core.ics import calendar
from ridbook.core.ics import escape as _ics_text
from ridbook.core.ics import utc as _utc
from ridbook.notifications.models import LetterState
from ridbook.notifications.services import Addressee, Message, notify

Recipient = Addressee  # an invitee: a member, an author or an expert, with the capacity he is invited in


def recipients(meeting: Meeting) -> list[Recipient]:
    """Члены комиссии, авторы РИД из повестки и приглашённые эксперты (ВГТУ 6.6); у кого нет e-mail — пропущены
    (их называет :func:`unreachable`)."""
    return _invitees(meeting)[0]


def unreachable(meeting: Meeting) -> list[Recipient]:
    """Those who should be notified but have no e-mail: the page lists them as not notified."""
    return _invitees(meeting)[1]


def _invitees(meeting: Meeting) -> tuple[list[Recipient], list[Recipient]]:
    found: dict[str, Recipient] = {}
    missing: dict[str, Recipient] = {}

    def add(who: Recipient) -> None:
        if not who.email:
            missing.setdefault(who.key, who)
        elif who.email.lower() not in found:
            found[who.email.lower()] = who

    for member in active_members(meeting.commission):
        add(Addressee.of_user(member.user, MemberRole(member.role).label))  # lazy: in the letter's language
    for item in meeting.items.select_related("rid").prefetch_related("rid__authorships__person__user", "experts__user"):
        for authorship in item.rid.authorships.all():
            add(Addressee.of_person(authorship.person, gettext_lazy("автор")))
        for expert in item.experts.all():
            add(Addressee.of_user(expert.user, gettext_lazy("эксперт")))
    return list(found.values()), list(missing.values())


def build_ics(meeting: Meeting, attendees: list[Recipient], *, cancel: bool = False) -> bytes:
    """The calendar invitation (``METHOD:REQUEST``), or its cancellation (``METHOD:CANCEL``, the same UID, a later
    SEQUENCE, ``STATUS:CANCELLED``): calendars remove the event."""
    start = timezone.make_aware(datetime.combine(meeting.date, meeting.time))
    end = start + timedelta(minutes=meeting.duration_minutes)
    agenda = "\n".join(f"{item.order}. {item.title}" for item in meeting.items.order_by("order"))
    organizer = settings.DEFAULT_FROM_EMAIL
    summary = _("Заседание: %(commission)s (протокол № %(number)s)") % {
        "commission": meeting.commission.title,
        "number": meeting.number,
    }
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ridbook//commission//RU",
        f"METHOD:{'CANCEL' if cancel else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:ridbook-meeting-{meeting.pk}@{organizer.split('@')[-1]}",
        f"SEQUENCE:{meeting.revision + (1 if cancel else 0)}",
        *(["STATUS:CANCELLED"] if cancel else []),
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        "SUMMARY:" + _ics_text(summary),
        f"LOCATION:{_ics_text(meeting.place)}",
        "DESCRIPTION:" + _ics_text(_("Повестка:") + "\n" + agenda),
        f"ORGANIZER:mailto:{organizer}",
        *(f"ATTENDEE;CN={_ics_text(r.name)};ROLE=REQ-PARTICIPANT:mailto:{r.email}" for r in attendees),
        "CLASS:CONFIDENTIAL",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return calendar(lines)


def notice_body(meeting: Meeting, recipient: Recipient) -> str:
    agenda = "\n".join(f"  {item.order}. {item.title}" for item in meeting.items.order_by("order"))
    return _(
        "Уважаемый(ая) %(name)s!\n\n"
        "Заседание: %(commission)s\n"
        "Дата и время: %(date)s, %(time)s\n"
        "Место: %(place)s\n"
        "Вы приглашены как: %(capacity)s\n\n"
        "Повестка:\n%(agenda)s\n\n"
        "Материалы заявок конфиденциальны: они доступны в ridbook членам комиссии, приглашённым экспертам и "
        "подразделению по ИС. Приглашение в календарь — во вложении.\n"
    ) % {
        "name": recipient.name,
        "commission": meeting.commission.title,
        "date": f"{meeting.date:%d.%m.%Y}",
        "time": f"{meeting.time:%H:%M}",
        "place": meeting.place,
        "capacity": recipient.capacity,
        "agenda": agenda,
    }


def _send(
    meeting: Meeting,
    addresses: list[Recipient],
    subject: Callable[[], str],
    body: Callable[[Recipient], str],
    *,
    cancel: bool,
    event: str,
) -> int:
    """A letter to each address with the calendar's invitation (or its cancellation), once per ``event``; returns
    the number of letters recorded for sending (those who turned letters off are recorded, not sent)."""
    name = f"meeting-{meeting.year}-{meeting.number}{'-cancel' if cancel else ''}.ics"
    mime = f"text/calendar; method={'CANCEL' if cancel else 'REQUEST'}"
    letters = notify(
        event=f"commission.meeting:{meeting.pk}:{event}",
        about=f"commission.meeting:{meeting.pk}",
        kind="meeting_cancelled" if cancel else "meeting_notice",
        organization=meeting.commission.organization,
        addressees=addresses,
        # in the recipient's language, the calendar's text too
        compose=lambda who: Message(subject(), body(who), (name, build_ics(meeting, addresses, cancel=cancel), mime)),
        url=f"/commission/meetings/{meeting.pk}/",
    )
    return sum(1 for letter in letters if letter.state == LetterState.QUEUED)


def _when(meeting: Meeting) -> dict[str, str]:
    return {
        "date": f"{meeting.date:%d.%m.%Y}",
        "time": f"{meeting.time:%H:%M}",
        "place": meeting.place,
        "commission": meeting.commission.title,
    }


def send_cancellations(meeting: Meeting, addresses: list[Recipient], reason: str) -> int:
    """The meeting is cancelled: a letter to each invitee with the calendar's cancellation."""
    when = _when(meeting)

    def body(recipient: Recipient) -> str:
        return _(
            "Уважаемый(ая) %(name)s!\n\n"
            "Заседание «%(commission)s», назначенное на %(date)s %(time)s (%(place)s), отменено.\n"
            "Причина: %(reason)s\n\n"
            "Вопросы повестки переносятся на следующее заседание. Событие удалено из календаря (вложение).\n"
        ) % {**when, "name": recipient.name, "reason": reason}

    def subject() -> str:
        return _("Заседание комиссии %(date)s %(time)s отменено: %(commission)s") % when

    return _send(meeting, addresses, subject, body, cancel=True, event="cancelled")


def send_notices(meeting: Meeting, addresses: list[Recipient]) -> int:
    def subject() -> str:
        return _("Заседание комиссии %(date)s %(time)s: %(commission)s") % _when(meeting)

    sent_at = meeting.notices_sent_at.isoformat() if meeting.notices_sent_at else ""  # a resend is a new event
    return _send(
        meeting,
        addresses,
        subject,
        lambda recipient: notice_body(meeting, recipient),
        cancel=False,
        event=f"notice:{meeting.revision}:{sent_at}",
    )


def send_moved(meeting: Meeting, addresses: list[Recipient], previous: str, reason: str) -> int:
    """The meeting moved: a letter to each invitee with the updated invitation (the calendar moves the event)."""
    when = _when(meeting)

    def body(recipient: Recipient) -> str:
        return (
            recipient.greeting
            + "\n\n"
            + _(
                "Заседание «%(commission)s» перенесено.\nБыло: %(previous)s\nСтало: %(date)s %(time)s, %(place)s\n"
                "Причина: %(reason)s\n\nОбновлённое приглашение в календарь — во вложении."
            )
            % {**when, "previous": previous, "reason": reason}
        )

    def subject() -> str:
        return _("Заседание комиссии перенесено на %(date)s %(time)s: %(commission)s") % when

    return _send(meeting, addresses, subject, body, cancel=False, event=f"moved:{meeting.revision}")
