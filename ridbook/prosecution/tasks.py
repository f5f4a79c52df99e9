"""Daily: every application's docket re-computed, so a policy whose docket rules changed (a new version in force, or
an organization that moved to another policy) moves the open tasks within a day; done tasks are never touched."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext_noop

from ridbook.audit.context import acting_as


@shared_task(name="ridbook.prosecution.tasks.resync_dockets")
def resync_dockets() -> int:
    """Returns the number of tasks created, moved, closed or aborted."""
    from ridbook.prosecution.services import resync_all

    with acting_as(gettext_noop("задание: пересчёт задач по заявкам")):
        result = resync_all()
    return result.created + result.moved + result.done + result.aborted + result.reopened
