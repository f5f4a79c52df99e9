"""One-time invitation links: a signed token (Django's password-reset kind) that lets an invitee set his password.

The token signs the user and the time of his invitation (``User.invited_at``): a new invitation replaces the earlier
links; once he has set a password the link is spent. It expires after ``INVITATION_TTL_HOURS``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class LinkState(StrEnum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    INVALID = "invalid"


LINK_MESSAGES = {
    LinkState.USED: gettext_lazy(
        "Эта ссылка уже использована: пароль задан. Войдите со своим именем пользователя и паролем."
    ),
    LinkState.EXPIRED: gettext_lazy(
        "Срок действия ссылки-приглашения истёк. Попросите администратора прислать новое приглашение."
    ),
    LinkState.INVALID: gettext_lazy("Ссылка-приглашение недействительна. Проверьте, что она скопирована полностью."),
}


class InvitationTokens(PasswordResetTokenGenerator):
    key_salt = "ridbook.accounts.invitations"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        invited = "" if user.invited_at is None else f"{user.invited_at.timestamp():.6f}"
        return f"{user.pk}{invited}{timestamp}"

    def state(self, user: Any, token: str) -> LinkState:
        if user is None or not user.is_active or user.invited_at is None:
            return LinkState.INVALID
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return LinkState.INVALID
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(constant_time_compare(self._make_token_with_timestamp(user, timestamp, s), token) for s in secrets):
            return LinkState.INVALID  # a broken link, or one an invitation sent later has replaced
        if user.has_usable_password():
            return LinkState.USED
        if self._num_seconds(self._now()) - timestamp > settings.INVITATION_TTL_HOURS * 3600:
            return LinkState.EXPIRED
        return LinkState.VALID


invitation_tokens = InvitationTokens()


def invitation_path(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:invitation", kwargs={"uidb64": uid, "token": invitation_tokens.make_token(user)})


def user_from_uid(uidb64: str) -> Any:
    from ridbook.accounts.models import User

    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk).first()


def send_invitation(user: Any, link: str) -> int:
    hours = settings.INVITATION_TTL_HOURS
    body = _(
        "Здравствуйте, %(full_name)s!\n\n"
        "Для вас создана учётная запись в ridbook (учёт результатов интеллектуальной деятельности).\n"
        "Имя пользователя: %(username)s\n\n"
        "Задайте пароль по ссылке (она действует %(hours)s ч и только один раз):\n%(link)s\n"
    ) % {"full_name": user.full_name, "username": user.username, "hours": hours, "link": link}
    return EmailMessage(subject=_("Приглашение в ridbook"), body=body, to=[user.email]).send()
