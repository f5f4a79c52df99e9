"""Writes for users and roles: an organization's administrator adds users (or invites them), assigns and ends roles
with dates, deactivates accounts. Every write asks the permission module first, then validates, in a transaction,
signed by the actor (the change log journals each save)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.directory import directory_configured
from ridbook.accounts.invitations import invitation_path
from ridbook.accounts.models import RoleAssignment, User, in_force_q
from ridbook.accounts.permissions import Action, forget_roles, require, require_target
from ridbook.accounts.roles import Role
from ridbook.accounts.selectors import require_managed
from ridbook.audit.context import acting_as
from ridbook.core.errors import DomainError, invalid
from ridbook.security.tokens import token_revoke


def _check_period(valid_from: date, valid_until: date | None) -> dict[str, str]:
    errors = {}
    if valid_from < timezone.localdate():
        errors["valid_from"] = _("Роль не назначается задним числом: укажите сегодняшний день или позже.")
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("Последний день роли не может быть раньше первого.")
    return errors


def _overlapping(user: User, organization: Any, role: str, valid_from: date, valid_until: date | None) -> bool:
    same = RoleAssignment.objects.filter(user=user, organization=organization, role=role)
    same = same.exclude(valid_until__lt=valid_from)
    if valid_until is not None:
        same = same.exclude(valid_from__gt=valid_until)
    return same.exists()


def _new_assignment(
    user: User, organization: Any, role: str, valid_from: date | None, valid_until: date | None
) -> RoleAssignment:
    """Validates and creates (inside the caller's transaction)."""
    start = valid_from or timezone.localdate()
    errors = {} if role in Role.values else {"role": _("Выберите роль из списка.")}
    errors |= _check_period(start, valid_until)
    if errors:
        raise invalid(errors, _("Роль не назначена"))
    if _overlapping(user, organization, role, start, valid_until):
        raise invalid(
            {
                "role": _("У пользователя уже есть роль «%(label)s» в организации «%(organization)s» на эти даты.")
                % {"label": Role(role).label, "organization": organization}
            },
            _("Роль не назначена"),
        )
    try:
        with transaction.atomic():
            return RoleAssignment.objects.create(
                user=user, organization=organization, role=role, valid_from=start, valid_until=valid_until
            )
    except IntegrityError:
        raise invalid({"role": _("Такая роль у пользователя уже есть.")}, _("Роль не назначена")) from None


def _invite_on_commit(user: User, base_url: str) -> None:
    from ridbook.accounts.tasks import send_invitation

    user.invited_at = timezone.now()  # signed into the link: earlier links are replaced
    user.save(update_fields=["invited_at"])
    link = base_url.rstrip("/") + invitation_path(user)
    user_id = user.pk
    transaction.on_commit(lambda: send_invitation.delay(user_id, link))


def user_create(
    *,
    actor: Any,
    organization: Any,
    role: str,
    username: str,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    email: str = "",
    password: str | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    base_url: str = "",
) -> User:
    """A new user with his first role (no user is left without an organization). With a password that meets
    ``AUTH_PASSWORD_VALIDATORS`` he can sign in at once; without one he gets an invitation by e-mail, or, where the
    organization's directory is configured (``LDAP_SERVER_URI``), signs in with his directory password."""
    require(actor, Action.ROLE_ASSIGN)
    require_target(actor, Action.ROLE_ASSIGN, organization)
    username, email = username.strip(), email.strip()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = _("Укажите имя пользователя (логин).")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("Это имя пользователя уже занято.")
    if not last_name.strip():
        errors["last_name"] = _("Укажите фамилию.")
    if not first_name.strip():
        errors["first_name"] = _("Укажите имя.")
    invite = not password and not directory_configured()  # a directory checks the password itself
    if invite and not email:
        errors["email"] = _("Без пароля нужен адрес электронной почты: на него придёт приглашение.")
    if password:
        candidate = User(username=username, last_name=last_name, first_name=first_name, email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            errors["password"] = " ".join(exc.messages)
    if errors:
        raise invalid(errors, _("Пользователь не добавлен"))
    with transaction.atomic(), acting_as(actor):
        user = User(
            username=username,
            email=email,
            last_name=last_name.strip(),
            first_name=first_name.strip(),
            middle_name=middle_name.strip(),
        )
        user.set_password(password or None)
        user.first_organization_id = organization.pk  # its change record belongs to the organization of its role
        user.save()
        _new_assignment(user, organization, role, valid_from, valid_until)
        if invite:
            _invite_on_commit(user, base_url)
    return user


def user_invite(*, actor: Any, user: User, base_url: str = "") -> None:
    """A new one-time link (the earlier ones stop working) for a user who has not set his password yet."""
    require(actor, Action.ROLE_ASSIGN)
    require_managed(actor, user)
    if user.has_usable_password():
        raise DomainError(
            _("%(full_name)s уже задал пароль: приглашение не нужно.") % {"full_name": user.full_name}, code="invalid"
        )
    if not user.is_active:
        raise DomainError(_("Учётная запись отключена: сначала включите её."), code="invalid")
    if not user.email:
        raise DomainError(_("У пользователя нет адреса электронной почты."), code="invalid")
    with transaction.atomic(), acting_as(actor):
        _invite_on_commit(user, base_url)


def role_assign(
    *,
    actor: Any,
    user: User,
    organization: Any,
    role: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> RoleAssignment:
    require(actor, Action.ROLE_ASSIGN)
    require_target(actor, Action.ROLE_ASSIGN, organization)
    require_managed(actor, user)
    with transaction.atomic(), acting_as(actor):
        assignment = _new_assignment(user, organization, role, valid_from, valid_until)
    forget_roles(user)
    return assignment


def role_end(*, actor: Any, assignment: RoleAssignment, on: date) -> RoleAssignment:
    """Ends a role: ``on`` is its last day (yesterday ends it at once). The assignment stays, for the history."""
    require(actor, Action.ROLE_ASSIGN)
    require_target(actor, Action.ROLE_ASSIGN, assignment.organization)
    earliest = max(timezone.localdate() - timedelta(days=1), assignment.valid_from - timedelta(days=1))
    if on < earliest:
        raise invalid(
            {"on": _("Последний день роли — не раньше %(earliest)s.") % {"earliest": format(earliest, "%d.%m.%Y")}},
            _("Роль не завершена"),
        )
    if assignment.valid_until is not None and assignment.valid_until <= on:
        raise invalid(
            {
                "on": _("Роль уже завершается %(valid_until)s.")
                % {"valid_until": format(assignment.valid_until, "%d.%m.%Y")}
            },
            _("Роль не завершена"),
        )
    if assignment.user_id == actor.pk and assignment.role == Role.ADMINISTRATOR:
        others = RoleAssignment.objects.filter(in_force_q(on + timedelta(days=1)), user=actor, role=Role.ADMINISTRATOR)
        if not others.exclude(pk=assignment.pk).exists():
            raise DomainError(
                _(
                    "Нельзя завершить свою последнюю роль администратора: организация останется без администратора. "
                    "Пусть это сделает другой администратор."
                ),
                code="last_administrator",
            )
    with transaction.atomic(), acting_as(actor):
        assignment.valid_until = on
        assignment.save(update_fields=["valid_until"])
    forget_roles(assignment.user)
    return assignment


def user_deactivate(*, actor: Any, user: User) -> User:
    """The user can no longer sign in; his API token is revoked. His roles and history stay."""
    require(actor, Action.ROLE_ASSIGN)
    require_managed(actor, user)
    if user.pk == actor.pk:
        raise DomainError(_("Нельзя отключить собственную учётную запись."), code="invalid")
    with transaction.atomic(), acting_as(actor):
        user.is_active = False
        user.save(update_fields=["is_active"])
        reason = f"учётная запись отключена ({actor.get_username()})"  # i18n: ru-only (security log record)
        token_revoke(user=user, reason=reason)
    return user


def user_activate(*, actor: Any, user: User) -> User:
    require(actor, Action.ROLE_ASSIGN)
    require_managed(actor, user)
    with transaction.atomic(), acting_as(actor):
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user
