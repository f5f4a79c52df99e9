"""Writing the security log.

Denials come from the permission module (``require``, with the organization acted on) and from every other
``PermissionDeniedError`` made (object-level rules). A denial is noted while the request runs and written when it
ends: the service that asked may be inside a transaction that its own ``PermissionDeniedError`` rolls back, and the
record must outlive it. Outside a request (commands, jobs) it is written at once. Nothing is read or written for a
request that was not denied.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, transaction
from django.http import HttpRequest

from ridbook.audit.context import current_actor
from ridbook.core.errors import PermissionDeniedError
from ridbook.security.models import EventKind, SecurityEvent

logger = logging.getLogger("ridbook.security")


@dataclass
class _Pending:
    request: HttpRequest
    events: list[tuple[dict[str, Any], Any, set[int]]] = field(default_factory=list)  # fields, user, organizations


_pending: ContextVar[_Pending | None] = ContextVar("ridbook_security_pending", default=None)
# the last denial the permission module recorded: ``require`` raises it next, and it is not recorded twice
_last_denial: ContextVar[tuple[str, str] | None] = ContextVar("ridbook_security_last_denial", default=None)


@contextlib.contextmanager
def collecting(request: HttpRequest) -> Iterator[None]:
    """Denials inside are written when the block ends, after any transaction of the request has ended."""
    token = _pending.set(_Pending(request))
    _last_denial.set(None)
    try:
        yield
    finally:
        pending = _pending.get()
        _pending.reset(token)
        for fields, user, organization_ids in pending.events if pending else ():
            if fields["user_id"] is None:  # DRF sets the token's user on the request too, once it has authenticated
                user = getattr(request, "user", None)
                if user is not None and user.is_authenticated:
                    fields.update(user_id=user.pk, username=user.get_username()[:150])
            _write(fields, organization_ids | role_organization_ids(user))


def client_ip(request: Any) -> str | None:
    """The client's address as the lockout sees it (axes: ``AXES_CLIENT_IP_CALLABLE`` or ``REMOTE_ADDR``)."""
    from axes.helpers import get_client_ip_address

    raw = get_client_ip_address(request) if request is not None else None
    try:
        return str(ipaddress.ip_address(raw)) if raw else None
    except ValueError:
        return None


def role_organization_ids(user: Any) -> set[int]:
    """The organizations of the user's roles (the permission module's cache when it has read them)."""
    if user is None or not getattr(user, "pk", None):
        return set()
    roles = getattr(user, "_ridbook_roles", None)
    if roles is None:
        roles = user.role_assignments.values_list("organization_id", "role")
    return {org_id for org_id, _ in roles}


def record(
    kind: EventKind,
    *,
    request: Any = None,
    user: Any = None,
    username: str = "",
    action: str = "",
    reason: str = "",
    organization_ids: Iterable[int] = (),
) -> None:
    fields = _fields(kind, request, user, username, action, reason)
    _write(fields, role_organization_ids(user) | set(organization_ids))


def permission_denied(user: Any, action: str, organization: Any, reason: str) -> None:
    """Called by the permission module for every denial it logs (``require``'s, with the organization acted on)."""
    _last_denial.set((reason, str(action)))
    # the organization acted on, when it is of the user's own legal entities: an attempt on another tree is kept
    # with the user's organizations only (his name is not shown to the other tree)
    target = {organization.pk} if getattr(organization, "pk", None) else set()
    from ridbook.accounts.permissions import scope_ids_for

    scope = scope_ids_for(user)
    if scope is not None and not target <= scope:
        target = set()
    _denial(user, str(action), reason, target)


def denial_raised(error: PermissionDeniedError) -> None:
    """Every ``PermissionDeniedError`` made: an object-level rule's denial (the one ``require`` raises is recorded
    by :func:`permission_denied` already). The user is the acting one, or the request's when it ends."""
    action = str(error.details.get("action", ""))
    if _last_denial.get() == (error.message, action):
        _last_denial.set(None)
        return
    _denial(current_actor().user, action, error.message, set())


def _denial(user: Any, action: str, reason: str, organization_ids: set[int]) -> None:
    pending = _pending.get()
    fields = _fields(EventKind.PERMISSION_DENIED, pending.request if pending else None, user, "", action, reason)
    if pending is not None:  # nothing read now: the transaction around may be failing
        pending.events.append((fields, user, organization_ids))
    else:
        _write(fields, organization_ids | role_organization_ids(user))


def _fields(kind: EventKind, request: Any, user: Any, username: str, action: str, reason: str) -> dict[str, Any]:
    known = user if getattr(user, "pk", None) else None
    return {
        "kind": kind,
        "user_id": known.pk if known else None,
        "username": (username or (known.get_username() if known else ""))[:150],
        "ip_address": client_ip(request),
        "path": (request.path if request is not None else "")[:300],
        "action": str(action)[:50],
        "reason": reason,
    }


def _write(fields: dict[str, Any], organization_ids: set[int]) -> None:
    try:
        with transaction.atomic():
            event = SecurityEvent.objects.create(**fields)
            through = SecurityEvent.organizations.through
            through.objects.bulk_create(
                [through(securityevent_id=event.pk, organization_id=o) for o in organization_ids]
            )
    except DatabaseError:  # the log must never turn an answer into a 500; the line below keeps the event
        logger.exception("security event not written: %s", fields)
