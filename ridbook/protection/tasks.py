"""The daily job of protection documents (Celery; in-process eager by default)."""

from __future__ import annotations

from celery import shared_task

from ridbook.protection.services import expire_ended, lapse_unpaid


@shared_task(name="ridbook.protection.tasks.lapse_unpaid_documents")
def lapse_unpaid_documents() -> int:
    """Lapse the documents whose fee is unpaid after the grace period, then mark the patents whose term ended:
    the number lapsed today."""
    lapsed = lapse_unpaid()
    expire_ended()
    return len(lapsed)
