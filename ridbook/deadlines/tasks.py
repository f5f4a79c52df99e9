"""Scheduled job: remind every user of deadlines that are overdue or due within a week."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ridbook.audit.context import acting_as
from ridbook.deadlines.registry import URGENCY_LABELS, Urgency, deadlines_for


@shared_task(name="ridbook.deadlines.tasks.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Returns the number of reminder letters sent."""
    today = timezone.localdate()
    sent = 0
    with acting_as(gettext_noop("задание: напоминания о сроках")):  # stored in Russian, shown translated
        for user in get_user_model().objects.filter(is_active=True).exclude(email=""):
            due = [d for d in deadlines_for(user, today) if d.urgency(today) != Urgency.LATER]
            if not due:
                continue
            lines = [f"{d.due:%d.%m.%Y} — {d.title} ({URGENCY_LABELS[d.urgency(today)]}; {d.rule})" for d in due]
            send_mail(
                subject=_("ridbook: сроки на %(today)s (%(due)s)")
                % {"today": format(today, "%d.%m.%Y"), "due": len(due)},
                message=_("Ваши задачи и сроки:\n\n") + "\n".join(lines),
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
    return sent
