"""Background work of the commission: the meeting notices go out after the transaction that recorded them."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="ridbook.commission.tasks.send_meeting_notices")
def send_meeting_notices(meeting_id: int) -> int:
    """Sends the notices of a meeting to its current recipients; returns the number of letters sent."""
    from ridbook.commission.models import Meeting
    from ridbook.commission.notices import recipients, send_notices

    meeting = Meeting.objects.select_related("commission").get(pk=meeting_id)
    return send_notices(meeting, recipients(meeting))


@shared_task(name="ridbook.commission.tasks.send_meeting_cancellations")
def send_meeting_cancellations(meeting_id: int, reason: str) -> int:
    """Tells the invitees of a notified meeting that it is cancelled (ICS METHOD:CANCEL); returns letters sent."""
    from ridbook.commission.models import Meeting
    from ridbook.commission.notices import recipients, send_cancellations

    meeting = Meeting.objects.select_related("commission").get(pk=meeting_id)
    return send_cancellations(meeting, recipients(meeting), reason)


@shared_task(name="ridbook.commission.tasks.send_meeting_moved")
def send_meeting_moved(meeting_id: int, previous: str, reason: str) -> int:
    """Tells the invitees of a notified meeting its new date, time or place (ICS with the next SEQUENCE)."""
    from ridbook.commission.models import Meeting
    from ridbook.commission.notices import recipients, send_moved

    meeting = Meeting.objects.select_related("commission").get(pk=meeting_id)
    return send_moved(meeting, recipients(meeting), previous, reason)
