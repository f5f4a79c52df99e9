"""Reads of the registry, restricted by the permission module and by the object rules of the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, entity_scope, organization_ids_for, scope_ids_for
from ridbook.core.errors import PermissionDeniedError
from ridbook.registry.choices import RidKind
from ridbook.registry.models import Authorship, Person, Rid
from ridbook.registry.validation import filing_blockers
from ridbook.workdays.calendar import add_months

# Roles whose RID_VIEW covers every RID of their organizations; others (authors) see only their own RIDs.
_ORG_WIDE_ACTIONS = (
    Action.NOTICE_REVIEW,
    Action.MEETING_MANAGE,
    Action.MEETING_VOTE,
    Action.DECISION_APPROVE,
    Action.AUDIT_VIEW,
    Action.USAGE_ACT_SIGN,
)


def person_of(user: Any) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def is_author(user: Any, rid: Rid) -> bool:
    return Authorship.objects.filter(rid=rid, person__user=user).exists() if user.is_authenticated else False


def organizations_seen_whole(user: Any) -> set[int] | None:
    """Organizations every RID of which the user sees (None: every organization)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    wide: set[int] = set()
    for action in _ORG_WIDE_ACTIONS:
        ids = organization_ids_for(user, action)
        if ids is None:
            return None
        wide |= ids
    return wide


def rids_visible_to(user: Any) -> QuerySet[Rid]:
    """РИД, которые пользователь может видеть: всё в своих организациях (специалист по ИС, комиссия, руководитель,
    аудитор) или только свои (автор)."""
    return rids_visible_with(user, organizations_seen_whole(user))


def rids_visible_with(user: Any, wide: set[int] | None) -> QuerySet[Rid]:
    """``rids_visible_to`` for a caller that has ``organizations_seen_whole(user)`` already."""
    qs = Rid.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if wide is None:
        return qs
    own = Exists(Authorship.objects.filter(rid=OuterRef("pk"), person__user=user))
    return qs.filter(Q(organization_id__in=wide) | own | Q(created_by=user))


@dataclass(frozen=True)
class NoveltyRisk:
    """Риск утраты новизны (RZD §4.2.1; ГК РФ ст. 1350–1352): РИД раскрыт до подачи заявки."""

    publication_date: date | None
    grace_months: int | None
    deadline: date | None
    expired: bool
    policy_ref: str
    message: str


def novelty_risk(rid: Rid, today: date) -> NoveltyRisk | None:
    if not rid.published:
        return None
    from ridbook.organizations.selectors import organization_policy
    from ridbook.policies.loader import get_policy

    policy = organization_policy(rid.organization)
    periods = policy.grace_period_months
    if periods is None:  # the organization's rules are silent: the law's terms (Civil Code 1350–1352) apply
        policy = get_policy("ru-default")
        periods = policy.grace_period_months
    months = getattr(periods, rid.kind, None) if periods is not None else None
    if rid.publication_date is None:
        return NoveltyRisk(
            None,
            months,
            None,
            False,
            policy.ref,
            _("РИД опубликован, дата публикации не указана: льготный срок посчитать нельзя."),
        )
    if months is None:
        return NoveltyRisk(
            rid.publication_date,
            None,
            None,
            False,
            policy.ref,
            (
                _(
                    "РИД опубликован %(publication_date)s; для вида «%(label)s» льготного срока нет: раскрытие может препятствовать охране."
                )
                % {"publication_date": f"{rid.publication_date:%d.%m.%Y}", "label": RidKind(rid.kind).label}
            ),
        )
    deadline = add_months(rid.publication_date, months)
    expired = deadline < today
    state = _("истёк") if expired else _("истекает")
    return NoveltyRisk(
        rid.publication_date,
        months,
        deadline,
        expired,
        policy.ref,
        (
            _(
                "Риск утраты новизны: РИД опубликован %(publication_date)s; льготный срок %(months)s мес. %(state)s %(deadline)s — заявку нужно подать до этой даты."
            )
            % {
                "publication_date": f"{rid.publication_date:%d.%m.%Y}",
                "months": months,
                "state": state,
                "deadline": f"{deadline:%d.%m.%Y}",
            }
        ),
    )


def rid_filing_blockers(rid: Rid) -> list[str]:
    state_secret = getattr(rid, "state_secret", None)  # a missing one-to-one raises AttributeError
    export = getattr(rid, "export_control", None)
    return filing_blockers(
        state_secret_outcome=state_secret.outcome if state_secret else None,
        export_conclusion=export.conclusion if export else None,
    )


# --- confidentiality of the application materials (the commission registers its rule; SPEC §4) -------------------

MaterialsGuard = Callable[[Any, Rid], str | None]
_materials_guards: list[MaterialsGuard] = []


def register_materials_guard(guard: MaterialsGuard) -> None:
    """A later app narrows who may open a RID's materials (packet files, generated documents); never widens."""
    if guard not in _materials_guards:
        _materials_guards.append(guard)


def materials_refusal(user: Any, rid: Rid) -> str | None:
    """The reason a registered guard refuses ``rid``'s materials to ``user`` (packet files, clearances, generated
    documents), or ``None``."""
    for guard in _materials_guards:
        reason = guard(user, rid)
        if reason:
            return reason
    return None


def require_materials_access(user: Any, rid: Rid) -> None:
    """Raises :class:`PermissionDeniedError` with the guard's reason when a registered guard says no."""
    for guard in _materials_guards:
        reason = guard(user, rid)
        if reason:
            raise PermissionDeniedError(reason)


def people_of_rid(rid: Rid) -> QuerySet[Person]:
    """The people who may be named on ``rid``: those its legal entity keeps (an outsider is kept there too)."""
    return Person.objects.filter(organization_id__in=entity_scope(rid.organization))


def people_visible_to(user: Any) -> QuerySet[Person]:
    """Люди, которых пользователь может видеть: те, кого ведут юридические лица его ролей, и он сам.

    What of a person's personal data he sees is ``accounts.personal_data``'s rule."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    scope = scope_ids_for(user)
    if scope is None:
        return Person.objects.all()
    return Person.objects.filter(Q(organization_id__in=scope) | Q(user=user))
