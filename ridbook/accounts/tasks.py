"""Background work of accounts: an invitation goes out after the transaction that created it."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="ridbook.accounts.tasks.send_invitation")
def send_invitation(user_id: int, link: str) -> int:
    from ridbook.accounts import invitations
    from ridbook.accounts.models import User

    return invitations.send_invitation(User.objects.get(pk=user_id), link)
