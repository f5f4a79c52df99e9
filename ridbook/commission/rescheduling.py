"""Перенос заседания: другая дата, время или место.

A meeting that was not yet notified just changes. A notified one changes too, and everyone invited gets one letter
with the updated calendar invitation (the same UID, the next SEQUENCE: calendars move the event); a move that
leaves fewer than the policy's working days before the meeting needs a confirmation and marks the notices late.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, require
from ridbook.audit.context import acting_as
from ridbook.commission.models import Meeting
from ridbook.commission.services import OPEN_MEETING, _invalid, _lock_meeting, _require_status, notice_warning
from ridbook.core.errors import DomainError


def meeting_move(
    *,
    actor: Any,
    meeting: Meeting,
    on: date,
    at: time,
    place: str = "",
    reason: str,
    confirm_late: bool = False,
) -> Meeting:
    today = timezone.localdate()
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Укажите причину переноса: её прочтут все приглашённые.")
    if on < today:
        errors["date"] = _("Дата заседания %(date)s уже прошла.") % {"date": f"{on:%d.%m.%Y}"}
    if errors:
        raise _invalid(errors, _("Заседание не перенесено"))
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, OPEN_MEETING, _("перенести заседание"))
        if meeting.entered_after_fact:
            raise DomainError(
                _(
                    "Заседание внесено после проведения: его не переносят. Если дата или место внесены с ошибкой, "
                    "отмените его и внесите заново."
                ),
                code="entered_after_fact",
            )
        place = place.strip() or meeting.place
        if on.year != meeting.year:
            raise DomainError(
                _(
                    "Номера протоколов ведутся в пределах года: заседание %(year)s года нельзя перенести на "
                    "%(other)s год. Отмените его и назначьте новое."
                )
                % {"year": meeting.year, "other": on.year},
                code="other_year",
            )
        if (on, at, place) == (meeting.date, meeting.time.replace(second=0, microsecond=0), meeting.place):
            raise DomainError(_("Дата, время и место не изменились: переносить нечего."), code="unchanged")
        previous = f"{meeting.date:%d.%m.%Y} {meeting.time:%H:%M}, {meeting.place}"
        meeting.date, meeting.time, meeting.place = on, at, place
        meeting.moved_reason = reason.strip()[:300]
        notified = meeting.notices_sent_at is not None
        if notified:
            warning = notice_warning(meeting, today)
            if warning and not confirm_late:
                raise DomainError(
                    warning + " " + _("Подтвердите перенос: уведомления о новой дате придут с опозданием."),
                    code="notice_late",
                )
            meeting.notices_late = bool(warning)
            meeting.revision += 1
        meeting.save()
        if notified:
            from ridbook.commission.tasks import send_meeting_moved

            meeting_id, why = meeting.pk, reason.strip()
            transaction.on_commit(lambda: send_meeting_moved.delay(meeting_id, previous, why))
    return meeting
