"""API tokens: issued on sign-in, valid for ``API_TOKEN_TTL_HOURS`` (0: until revoked), revoked by their owner.
Each issue, revocation and expiry goes to the security log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from ridbook.security.events import record
from ridbook.security.models import EventKind

EXPIRED_MESSAGE = gettext_lazy("Срок действия токена истёк. Получите новый: POST /api/v1/auth/token/.")


class TokenExpired(exceptions.AuthenticationFailed):
    default_code = "token_expired"


def token_expires_at(token: Token) -> datetime | None:
    hours = settings.API_TOKEN_TTL_HOURS
    return token.created + timedelta(hours=hours) if hours > 0 else None


def token_is_expired(token: Token, *, now: datetime | None = None) -> bool:
    expires = token_expires_at(token)
    return expires is not None and expires <= (now or timezone.now())


def token_issue(*, user: Any, request: Any = None) -> Token:
    """The user's token: the valid one, or a new one (an expired one is replaced)."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and token_is_expired(token):
            _expire(token, request)
            token = None
        if token is None:
            token = Token.objects.create(user=user)
            record(EventKind.TOKEN_CREATED, request=request, user=user, reason=_validity(token))
    return token


def token_reissue(*, user: Any, request: Any = None) -> Token:
    """A new token in place of the current one (which stops working at once)."""
    token_revoke(user=user, request=request)
    return token_issue(user=user, request=request)


# a reason is stored in Russian; a fixed one is shown translated (``SecurityEvent.reason_shown``)
REVOKED_BY_OWNER = gettext_noop("отозван владельцем")


def token_revoke(*, user: Any, request: Any = None, reason: str = REVOKED_BY_OWNER) -> bool:
    """Revokes the user's token; False when there was none."""
    deleted, _by_model = Token.objects.filter(user=user).delete()
    if deleted:
        record(EventKind.TOKEN_REVOKED, request=request, user=user, reason=reason)
    return bool(deleted)


def _expire(token: Token, request: Any) -> None:
    Token.objects.filter(pk=token.pk).delete()
    reason = f"выпущен {_local(token.created)}"  # i18n: ru-only (security log record)
    record(EventKind.TOKEN_EXPIRED, request=request, user=token.user, reason=reason)


def _validity(token: Token) -> str:
    expires = token_expires_at(token)
    if expires:
        return f"действует до {_local(expires)}"  # i18n: ru-only (security log record)
    return gettext_noop("бессрочный (до отзыва)")


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; a token past its time is deleted and answered with 401."""

    def authenticate(self, request: Any) -> tuple[Any, Token] | None:
        result = super().authenticate(request)
        if result is not None and token_is_expired(result[1]):
            _expire(result[1], request)
            raise TokenExpired(EXPIRED_MESSAGE)
        return result
