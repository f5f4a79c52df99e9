"""Signing in: the lockout after repeated failures (django-axes), a rate limit per address, and the record of
every failure in the security log. Shared by the login page and the API's token endpoint."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from rest_framework.throttling import SimpleRateThrottle

from ridbook.core.errors import DomainError
from ridbook.core.middleware import error_response
from ridbook.security.events import record
from ridbook.security.models import EventKind

THROTTLED_MESSAGE = gettext_lazy("Слишком много попыток входа с вашего адреса. Подождите минуту и повторите.")


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Слишком много неудачных попыток входа подряд (%(limit)s). Вход под этим именем с вашего адреса "
        "заблокирован на %(minutes)s мин. Повторите попытку позже или обратитесь к администратору."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


class SignInLocked(DomainError):
    code = "locked_out"
    status = 429

    def __init__(self) -> None:
        super().__init__(lockout_message())


def is_locked_out(request: Any) -> bool:
    """Whether axes refused (or has just locked) the sign-in attempt made with this request."""
    return bool(getattr(request, "axes_locked_out", False))


def client_address(request: Any) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the client's address. Behind ``TRUSTED_PROXY_COUNT`` proxies that each append
    the address they saw to X-Forwarded-For, it is the one the outermost proxy appended (what a client writes into
    the header itself stays to the left and is not believed); otherwise the connection's address."""
    remote: str | None = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    return hops[-proxies] if len(hops) >= proxies else remote


class SignInThrottle(SimpleRateThrottle):
    """Sign-in attempts per client address (``SIGN_IN_RATE_PER_MINUTE``; 0 turns it off); the Django cache."""

    scope = "sign-in"

    def get_rate(self) -> str | None:
        per_minute = settings.SIGN_IN_RATE_PER_MINUTE
        return f"{per_minute}/min" if per_minute > 0 else None

    def get_cache_key(self, request: Any, view: Any) -> str:
        # not DRF's get_ident: without NUM_PROXIES it believes any X-Forwarded-For a client sends
        return self.cache_format % {"scope": self.scope, "ident": client_address(request) or ""}


def sign_in_allowed(request: HttpRequest) -> bool:
    """The rate limit for the login page (the API's token view has it as its DRF throttle)."""
    return SignInThrottle().allow_request(request, None)  # type: ignore[arg-type]  # reads only request.META


class SignInForm(AuthenticationForm):
    """The login form; a locked-out attempt says so instead of «неверный пароль»."""

    locked_out = False

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            if is_locked_out(self.request):
                self.locked_out = True
                raise ValidationError(lockout_message(), code="locked_out") from None
            raise


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: Any) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the page or JSON error already made for the refusal, or one of ours."""
    if original_response is not None and original_response.status_code == SignInLocked.status:
        return original_response
    error = SignInLocked()
    return error_response(request, error.status, error.code, error.message)


@receiver(user_login_failed)
def _record_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any) -> None:
    """After axes has counted the failure (its receiver is connected first: ``axes`` precedes us in INSTALLED_APPS)."""
    username = str(credentials.get("username") or "")[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    if not is_locked_out(request):
        if user is None:
            reason = gettext_noop("неизвестное имя пользователя")
        elif not user.is_active:
            reason = gettext_noop("учётная запись отключена")
        else:
            reason = gettext_noop("неверный пароль")
        record(EventKind.SIGN_IN_FAILED, request=request, user=user, username=username, reason=reason)
        return
    failures = getattr(request, "axes_failures_since_start", None)
    reason = (
        f"{failures}-я неудачная попытка подряд: вход заблокирован"  # i18n: ru-only (security log record)
        if failures is not None
        else gettext_noop("попытка входа во время блокировки отклонена")
    )
    record(EventKind.LOCKED_OUT, request=request, user=user, username=username, reason=reason)
