"""The calendar feed's secret address: issued and renewed by its user (journaled), read without signing in."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from ridbook.accounts.permissions import Action, require
from ridbook.audit.context import acting_as
from ridbook.deadlines.models import FeedToken

TOKEN_BYTES = 32  # secrets.token_urlsafe: 43 characters


def feed_token_of(user: Any) -> FeedToken | None:
    if user is None or not user.is_authenticated:
        return None
    return FeedToken.objects.filter(user=user).first()


def renew_feed_token(*, actor: Any) -> FeedToken:
    """A new secret address of ``actor``'s calendar of deadlines; the earlier one stops working at once."""
    require(actor, Action.DEADLINES_VIEW)
    with transaction.atomic(), acting_as(actor):
        token, created = FeedToken.objects.select_for_update().get_or_create(
            user=actor, defaults={"token": secrets.token_urlsafe(TOKEN_BYTES)}
        )
        if not created:
            token.token = secrets.token_urlsafe(TOKEN_BYTES)
            token.created_at = timezone.now()
            token.save()
    return token


def user_of_feed(token: str) -> Any:
    """The active user whose feed ``token`` opens, or ``None`` (a wrong, renewed or disabled one)."""
    if not token or len(token) > 64:
        return None
    found = FeedToken.objects.filter(token=token).select_related("user").first()
    if found is None or not found.user.is_active or not secrets.compare_digest(found.token, token):
        return None
    return found.user
