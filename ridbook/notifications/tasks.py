"""Letters go out after the transaction that recorded them; a periodic run picks up any that were left queued."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone


@shared_task(name="ridbook.notifications.tasks.send_letters")
def send_letters(letter_ids: list[int]) -> int:
    from ridbook.notifications.services import send

    return send(letter_ids)


@shared_task(name="ridbook.notifications.tasks.send_queued_letters")
def send_queued_letters() -> int:
    """Letters still queued a few minutes after they were recorded (the broker was down, the process stopped)."""
    from ridbook.notifications.models import Letter, LetterState
    from ridbook.notifications.services import send

    before = timezone.now() - timedelta(minutes=5)
    ids = Letter.objects.filter(state=LetterState.QUEUED, created_at__lt=before).values_list("pk", flat=True)
    return send(list(ids[:1000]))
