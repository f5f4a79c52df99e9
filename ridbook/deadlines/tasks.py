"""Scheduled job: remind every user of deadlines that are overdue or due within a week — one letter a day, however
often the job runs, and none to someone who turned letters off (his tasks stay on his page)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ridbook.audit.context import acting_as
from ridbook.deadlines.registry import URGENCY_LABELS, Deadline, Urgency, deadlines_for


def _due(user: Any) -> list[Deadline]:
    today = timezone.localdate()
    return [d for d in deadlines_for(user, today) if d.urgency(today) != Urgency.LATER]


@shared_task(name="ridbook.deadlines.tasks.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Returns the number of reminder letters sent."""
    from ridbook.accounts.models import RoleAssignment
    from ridbook.notifications.models import LetterState
    from ridbook.notifications.services import Addressee, Message, notify

    today = timezone.localdate()
    sent = 0
    with acting_as(gettext_noop("задание: напоминания о сроках")):  # stored in Russian, shown translated
        for user in get_user_model().objects.filter(is_active=True).exclude(email=""):
            if not _due(user):
                continue
            first_role = RoleAssignment.objects.filter(user=user).order_by("id").select_related("organization").first()
            if first_role is None:
                continue

            def compose(who: Addressee, user: Any = user) -> Message:
                due = _due(user)  # again, in the language of the letter
                lines = [f"{d.due:%d.%m.%Y} — {d.title} ({URGENCY_LABELS[d.urgency(today)]}; {d.rule})" for d in due]
                return Message(
                    subject=_("ridbook: сроки на %(today)s (%(due)s)")
                    % {"today": f"{today:%d.%m.%Y}", "due": len(due)},
                    body=_("Ваши задачи и сроки:\n\n") + "\n".join(lines),
                )

            letters = notify(
                event=f"deadlines.digest:{today.isoformat()}",
                about=f"accounts.user:{user.pk}",
                kind="deadline_digest",
                organization=first_role.organization,
                addressees=[Addressee.of_user(user)],
                compose=compose,
            )
            sent += sum(1 for letter in letters if letter.state == LetterState.QUEUED)
    return sent
