"""The access gate of trade-secret content: the one place every path asks before it shows, sends or copies it.

The content (``sealing.py`` says what that is) of a RID whose regime restricts (presented, council decided, in force)
is readable only by a user on the regime's access list *at the moment of reading*: a grant added on or before today
and not removed by today, the user active. No role widens that: not the IP department, an administrator, a
superuser, an auditor or a commission member. Everyone else sees the register fields and
«доступ ограничен: режим коммерческой тайны».

The interface (also for the numbered copies and the marking of issue 14's items 5–7):

``may_read_content(user, rid) -> Decision``
    A probe: may ``user`` read the content of ``rid`` now? Allowed for a RID without a restricting regime (the
    ordinary rules then apply). Journals nothing.

``read_content(user, regime, *, action, channel, request=None, what="", copy_number=None) -> dict``
    Checks the list at this moment, journals the attempt, granted or refused (``journal.record``), and returns the
    decrypted content ``{"rid": {field: value}, "authorships": {person id: text}, "export_control": {...}}``; a refusal
    raises :class:`ContentRefused` (a 403 of the API, the refusal page). ``action`` is a ``JournalAction`` (view,
    download, print, copy, export, document); ``channel`` names the path (page, api, search, export, document,
    admin, audit, mail, copy…); ``copy_number`` the numbered copy made.

``read_file(user, document, *, action, channel, request=None, copy_number=None) -> (name, bytes)``
    The same for one sealed packet file: its original name and decrypted bytes.

``refuse(user, regime, *, channel, what="", request=None)``
    Journals a refused attempt of a path that shows only the register fields (the RID page of someone not listed,
    the API, a document), once per request and path.

``edit_content(user, regime, changes, *, request=None)``
    A listed user changes the content: encrypted, journaled as ``edit``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ridbook.accounts.permissions import Decision, is_colleague
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.registry.models import PacketDocument, Rid
from ridbook.tradesecret import crypto, journal, sealing
from ridbook.tradesecret.models import AccessGrant, JournalAction, Regime, SealedFile

RESTRICTED_NOTE = gettext_lazy("доступ ограничен: режим коммерческой тайны")


class ContentRefused(PermissionDeniedError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason, code="trade_secret_refused")


def regime_of(rid: Rid) -> Regime | None:
    """The RID's regime when it restricts now (one query, kept on the object for the request)."""
    if rid.pk is None:
        return None
    cached = rid.__dict__.get("_tradesecret_regime", False)
    if cached is False:
        cached = Regime.objects.filter(rid_id=rid.pk).select_related("organization").first()
        rid.__dict__["_tradesecret_regime"] = cached
    return cached if cached is not None and cached.is_restricted else None


def forget(rid: Rid) -> None:
    rid.__dict__.pop("_tradesecret_regime", None)


def restricted_ids(rid_ids: list[int]) -> set[int]:
    """Which of these RIDs restrict their content now (one query: a list page, a search, an export)."""
    from ridbook.tradesecret.choices import RESTRICTED_STATES

    return set(Regime.objects.filter(rid_id__in=rid_ids, state__in=RESTRICTED_STATES).values_list("rid_id", flat=True))


def is_listed(user: Any, regime: Regime) -> bool:
    """On the access list at this moment (the date of today, the user active and still working in the regime's legal
    entity: one who left reads nothing even before the head closes his grant)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    today = timezone.localdate()
    grants = AccessGrant.objects.filter(regime=regime, user_id=user.pk, added_on__lte=today)
    open_now = grants.filter(removed_on__isnull=True).exists() or grants.filter(removed_on__gt=today).exists()
    return open_now and is_colleague(user, regime.organization)


def _decide(user: Any, regime: Regime | None) -> Decision:
    if regime is None or not regime.is_restricted:
        return Decision(True, "")
    if is_listed(user, regime):
        return Decision(True, _("в списке допуска"))
    return Decision(False, _("Доступ ограничен: режим коммерческой тайны, вас нет в списке допуска."))


def may_read_content(user: Any, rid: Rid) -> Decision:
    return _decide(user, regime_of(rid))


def kept_from_caches(request: Any) -> None:
    """The response of this request carries content: ``middleware.NoStoreAfterContent`` marks it «no-store», whatever
    path read it (a page, the RID API, a document, a copy)."""
    if request is not None:
        getattr(request, "_request", request).__dict__["_tradesecret_content"] = True


def _journal(
    regime: Regime,
    user: Any,
    *,
    action: str,
    granted: bool,
    channel: str,
    what: str,
    request: Any,
    reason: str,
    copy_number: int | None = None,
) -> None:
    if granted:
        kept_from_caches(request)
    # outside a refused write's transaction: a refusal is journaled even when the caller rolls back
    journal.record(
        regime,
        user=user,
        action=action,
        granted=granted,
        what=what,
        channel=channel,
        copy_number=copy_number,
        request=request,
        reason=reason,
    )


def read_content(
    user: Any,
    regime: Regime,
    *,
    action: str,
    channel: str,
    request: Any = None,
    what: str = "",
    copy_number: int | None = None,
) -> dict[str, Any]:
    decision = _decide(user, regime)
    what = what or _("содержание РИД")
    _journal(
        regime,
        user,
        action=action,
        granted=decision.allowed,
        channel=channel,
        what=what,
        request=request,
        reason=decision.reason,
        copy_number=copy_number,
    )
    if not decision.allowed:
        raise ContentRefused(decision.reason)
    if not regime.is_restricted:  # a refused or ended regime: the content is back in its columns
        rid = regime.rid
        return {
            "rid": {f: getattr(rid, f) for f in sealing.RID_CONTENT_FIELDS},
            "authorships": {str(a.person_id): a.contribution for a in rid.authorships.all()},
            "export_control": {},
            "commercial_value": regime.commercial_value,
        }
    return sealing.sealed_payload(regime)


def read_file(
    user: Any,
    document: PacketDocument,
    *,
    action: str,
    channel: str,
    request: Any = None,
    copy_number: int | None = None,
) -> tuple[str, bytes]:
    sealed = SealedFile.objects.select_related("regime").get(document=document)
    regime = sealed.regime
    decision = _decide(user, regime)
    label = str(document.get_kind_display())
    _journal(
        regime,
        user,
        action=action,
        granted=decision.allowed,
        channel=channel,
        what=_("файл: %(kind)s") % {"kind": label},
        request=request,
        reason=decision.reason,
        copy_number=copy_number,
    )
    if not decision.allowed:
        raise ContentRefused(decision.reason)
    name = crypto.decrypt(sealed.name_token.encode("ascii")).decode()
    with document.file.open("rb") as handle:
        data = crypto.decrypt(handle.read())
    return name, data


def refuse(user: Any, regime: Regime, *, channel: str, what: str = "", request: Any = None) -> None:
    """Journal a refused attempt of a path that shows only the register fields (once per request and path)."""
    if request is not None:
        seen: set[tuple[int, str]] = request.__dict__.setdefault("_tradesecret_refused", set())
        if (regime.pk, channel) in seen:
            return
        seen.add((regime.pk, channel))
    _journal(
        regime,
        user,
        action=JournalAction.VIEW,
        granted=False,
        channel=channel,
        what=what or _("содержание РИД"),
        request=request,
        reason=_("нет в списке допуска"),
    )


def note_refusal(user: Any, rid: Rid, *, channel: str, request: Any = None, what: str = "") -> bool:
    """For a path that would have shown the content: True (and a journaled refusal) when ``user`` may not read it."""
    regime = regime_of(rid)
    if regime is None or is_listed(user, regime):
        return False
    refuse(user, regime, channel=channel, what=what, request=request)
    return True


def edit_content(user: Any, regime: Regime, changes: dict[str, Any], *, request: Any = None) -> None:
    """A listed user changes the RID's content fields (``sealing.RID_CONTENT_FIELDS``): re-encrypted, journaled."""
    unknown = set(changes) - set(sealing.RID_CONTENT_FIELDS)
    if unknown:
        raise DomainError(_("Неизвестные поля содержания: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    decision = _decide(user, regime)
    _journal(
        regime,
        user,
        action=JournalAction.EDIT,
        granted=decision.allowed,
        channel="page" if request is not None else "service",
        what=", ".join(sorted(changes)) or _("содержание РИД"),
        request=request,
        reason=decision.reason,
    )
    if not decision.allowed:
        raise ContentRefused(decision.reason)
    if not regime.is_restricted:
        raise DomainError(_("Режим не ограничивает доступ: содержание изменяется в уведомлении о создании РИД."))
    with transaction.atomic():
        payload = sealing.sealed_payload(regime)
        for field, value in changes.items():
            if field == "keywords" and isinstance(value, str):
                value = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            payload["rid"][field] = value
        sealing.store_payload(regime, payload)
