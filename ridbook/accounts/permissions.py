"""Единственное место, где решается «можно ли». Every view, API endpoint and service asks here.

A role is assigned in an organization and grants its actions in that organization and every organization below.
The matrix :data:`GRANTS` is the whole rule set; ``tests/test_permission_matrix.py`` pins it role × action.
Object-level rules of later issues (an author sees only own notices, an expert never reviews own RID, the
trade-secret access list) narrow these grants in their own selectors; they never widen them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from ridbook.accounts.roles import Role
from ridbook.core.errors import DomainError, PermissionDeniedError

logger = logging.getLogger("ridbook.permissions")


class Action(StrEnum):
    # platform
    ORGANIZATION_VIEW = "organization.view"
    ORGANIZATION_MANAGE = "organization.manage"
    ROLE_ASSIGN = "role.assign"
    POLICY_VIEW = "policy.view"
    POLICY_ASSIGN = "policy.assign"
    AUDIT_VIEW = "audit.view"
    SECURITY_LOG_VIEW = "security_log.view"
    DEADLINES_VIEW = "deadlines.view"
    DEADLINES_OVERSEE = "deadlines.oversee"  # every deadline of the organization, not only one's own
    DEADLINES_ESCALATION = "deadlines.escalation"  # receives the overdue deadlines of the organization
    # registry and notice of creation (SPEC §1–3)
    RID_VIEW = "rid.view"
    NOTICE_DRAFT = "notice.draft"
    NOTICE_SUBMIT = "notice.submit"
    NOTICE_REVIEW = "notice.review"
    # IP commission (SPEC §4)
    COMMISSION_VIEW = "commission.view"
    MEETING_MANAGE = "meeting.manage"
    MEETING_VOTE = "meeting.vote"
    EXPERT_OPINION = "expert.opinion"
    PROTOCOL_SIGN = "protocol.sign"
    DECISION_APPROVE = "decision.approve"
    # filing, protection documents, valuation (SPEC §5–6)
    FILING_MANAGE = "filing.manage"
    VALUATION_CALCULATE = "valuation.calculate"
    # use and commercialization (SPEC §7, §11)
    USAGE_ACT_SIGN = "usage_act.sign"
    LICENSE_MANAGE = "license.manage"
    # rewards and points (SPEC §8–9)
    REWARD_VIEW = "reward.view"
    REWARD_CALCULATE = "reward.calculate"
    REWARD_PAY = "reward.pay"
    POINTS_ENTER = "points.enter"
    POINTS_VIEW = "points.view"
    # trade secrets (SPEC §10)
    TRADE_SECRET_PRESENT = "trade_secret.present"  # the division head presents a RID to the council
    TRADE_SECRET_APPROVE = "trade_secret.approve"  # the head or the deputy for science approves the regime
    TRADE_SECRET_KEEP = "trade_secret.keep"  # the IP department records the council's decision and keeps the RID
    TRADE_SECRET_JOURNAL_VIEW = "trade_secret_journal.view"  # the access journal (who, when, what; never the content)


R = Role
_EVERYONE = frozenset(Role)
_STAFF_READERS = frozenset(
    {
        R.IP_OFFICER,
        R.COMMISSION_SECRETARY,
        R.COMMISSION_CHAIR,
        R.COMMISSION_MEMBER,
        R.APPROVER,
        R.DIVISION_HEAD,
        R.AUDITOR,
        R.ADMINISTRATOR,
    }
)

GRANTS: dict[Action, frozenset[Role]] = {
    Action.ORGANIZATION_VIEW: _EVERYONE,
    Action.ORGANIZATION_MANAGE: frozenset({R.ADMINISTRATOR}),
    Action.ROLE_ASSIGN: frozenset({R.ADMINISTRATOR}),
    Action.POLICY_VIEW: _EVERYONE,
    Action.POLICY_ASSIGN: frozenset({R.ADMINISTRATOR}),
    Action.AUDIT_VIEW: frozenset({R.AUDITOR, R.ADMINISTRATOR, R.IP_OFFICER}),
    Action.SECURITY_LOG_VIEW: frozenset({R.AUDITOR, R.ADMINISTRATOR}),
    Action.DEADLINES_VIEW: _EVERYONE,
    Action.DEADLINES_OVERSEE: frozenset({R.IP_OFFICER}),
    Action.DEADLINES_ESCALATION: frozenset({R.IP_HEAD}),
    # an author, an expert and an accountant see RIDs only through object rules (own / assigned / paid)
    Action.RID_VIEW: _STAFF_READERS | {R.AUTHOR, R.EXPERT, R.ACCOUNTANT},
    Action.NOTICE_DRAFT: frozenset({R.AUTHOR, R.IP_OFFICER}),
    Action.NOTICE_SUBMIT: frozenset({R.AUTHOR}),
    Action.NOTICE_REVIEW: frozenset({R.IP_OFFICER}),
    # the commission's pages; what each sees inside is narrowed by commission.selectors (confidentiality)
    Action.COMMISSION_VIEW: frozenset(
        {R.COMMISSION_SECRETARY, R.COMMISSION_CHAIR, R.COMMISSION_MEMBER, R.EXPERT, R.APPROVER, R.IP_OFFICER, R.AUDITOR}
    ),
    Action.MEETING_MANAGE: frozenset({R.COMMISSION_SECRETARY}),
    Action.MEETING_VOTE: frozenset({R.COMMISSION_MEMBER, R.COMMISSION_CHAIR}),
    Action.EXPERT_OPINION: frozenset({R.EXPERT}),
    Action.PROTOCOL_SIGN: frozenset({R.COMMISSION_CHAIR, R.COMMISSION_SECRETARY}),
    Action.DECISION_APPROVE: frozenset({R.APPROVER}),
    Action.FILING_MANAGE: frozenset({R.IP_OFFICER}),
    Action.VALUATION_CALCULATE: frozenset({R.ACCOUNTANT}),
    Action.USAGE_ACT_SIGN: frozenset({R.DIVISION_HEAD}),
    Action.LICENSE_MANAGE: frozenset({R.IP_OFFICER}),
    Action.REWARD_VIEW: frozenset({R.ACCOUNTANT, R.IP_OFFICER, R.AUDITOR, R.AUTHOR}),
    Action.REWARD_CALCULATE: frozenset({R.ACCOUNTANT}),
    Action.REWARD_PAY: frozenset({R.ACCOUNTANT}),
    Action.POINTS_ENTER: frozenset({R.IP_OFFICER}),
    Action.POINTS_VIEW: frozenset({R.IP_OFFICER, R.DIVISION_HEAD, R.APPROVER, R.AUDITOR, R.AUTHOR}),
    Action.TRADE_SECRET_PRESENT: frozenset({R.DIVISION_HEAD}),
    Action.TRADE_SECRET_APPROVE: frozenset({R.APPROVER}),
    Action.TRADE_SECRET_KEEP: frozenset({R.IP_OFFICER}),
    Action.TRADE_SECRET_JOURNAL_VIEW: frozenset({R.IP_OFFICER, R.AUDITOR}),
}
# the head of the IP department may do whatever his officers may (and is the target of the escalations)
GRANTS = {action: roles | {R.IP_HEAD} if R.IP_OFFICER in roles else roles for action, roles in GRANTS.items()}
# the head's own signature (UZ app. 3 §7: the trade-secret regime and who may read it): a role in force grants it,
# the superuser flag does not — otherwise a technical account could put anyone on an access list
ROLE_BOUND: frozenset[Action] = frozenset({Action.TRADE_SECRET_APPROVE})

ACTION_LABELS: dict[Action, StrOrPromise] = {
    Action.ORGANIZATION_VIEW: gettext_lazy("просмотр организаций"),
    Action.ORGANIZATION_MANAGE: gettext_lazy("ведение организаций"),
    Action.ROLE_ASSIGN: gettext_lazy("назначение ролей"),
    Action.POLICY_VIEW: gettext_lazy("просмотр политик"),
    Action.POLICY_ASSIGN: gettext_lazy("выбор политики организации"),
    Action.AUDIT_VIEW: gettext_lazy("просмотр журнала изменений"),
    Action.SECURITY_LOG_VIEW: gettext_lazy("просмотр журнала безопасности"),
    Action.DEADLINES_VIEW: gettext_lazy("просмотр задач и сроков"),
    Action.DEADLINES_OVERSEE: gettext_lazy("просмотр всех сроков организации"),
    Action.DEADLINES_ESCALATION: gettext_lazy("получение писем о просроченных сроках"),
    Action.RID_VIEW: gettext_lazy("просмотр РИД"),
    Action.NOTICE_DRAFT: gettext_lazy("подготовка уведомления о создании РИД"),
    Action.NOTICE_SUBMIT: gettext_lazy("подача уведомления о создании РИД"),
    Action.NOTICE_REVIEW: gettext_lazy("проверка уведомления о создании РИД"),
    Action.COMMISSION_VIEW: gettext_lazy("просмотр работы комиссии по ИС"),
    Action.MEETING_MANAGE: gettext_lazy("подготовка заседаний комиссии"),
    Action.MEETING_VOTE: gettext_lazy("голосование на заседании комиссии"),
    Action.EXPERT_OPINION: gettext_lazy("экспертное заключение"),
    Action.PROTOCOL_SIGN: gettext_lazy("подписание протокола"),
    Action.DECISION_APPROVE: gettext_lazy("утверждение решения комиссии"),
    Action.FILING_MANAGE: gettext_lazy("подача заявок и переписка с патентным ведомством"),
    Action.VALUATION_CALCULATE: gettext_lazy("расчёт первоначальной стоимости"),
    Action.USAGE_ACT_SIGN: gettext_lazy("подписание актов использования"),
    Action.LICENSE_MANAGE: gettext_lazy("ведение лицензионных договоров"),
    Action.REWARD_VIEW: gettext_lazy("просмотр вознаграждений"),
    Action.REWARD_CALCULATE: gettext_lazy("начисление вознаграждений"),
    Action.REWARD_PAY: gettext_lazy("выплата вознаграждений"),
    Action.POINTS_ENTER: gettext_lazy("ввод баллов ПЭД"),
    Action.POINTS_VIEW: gettext_lazy("просмотр баллов ПЭД"),
    Action.TRADE_SECRET_PRESENT: gettext_lazy("представление РИД научно-техническому совету (коммерческая тайна)"),
    Action.TRADE_SECRET_APPROVE: gettext_lazy("утверждение режима коммерческой тайны и списка допуска"),
    Action.TRADE_SECRET_KEEP: gettext_lazy("хранение РИД в режиме коммерческой тайны"),
    Action.TRADE_SECRET_JOURNAL_VIEW: gettext_lazy("просмотр журнала учёта доступа к коммерческой тайне"),
}

READ_ONLY_ACTIONS = frozenset(a for a in Action if a.value.endswith(".view"))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def _assignments(user: Any) -> list[tuple[int, str]]:
    """(organization id, role) of the user's assignments in force today: one query, kept on the user object."""
    from ridbook.accounts.models import in_force_q

    cached = getattr(user, "_ridbook_roles", None)
    if cached is None:
        cached = list(user.role_assignments.filter(in_force_q()).values_list("organization_id", "role"))
        user._ridbook_roles = cached
    return cached


def forget_roles(user: Any) -> None:
    """Call after changing a user's roles within the same request."""
    if hasattr(user, "_ridbook_roles"):
        del user._ridbook_roles
    user.__dict__.pop("_ridbook_descendants", None)
    user.__dict__.pop("_ridbook_scope", None)
    user.__dict__.pop("_ridbook_personal_data", None)


def _org_chain_ids(organization: Any) -> set[int]:
    ids = set()
    node = organization
    while node is not None:
        ids.add(node.pk)
        node = node.parent
    return ids


def decide(user: Any, action: Action, organization: Any = None, *, log: bool = True) -> Decision:
    """Allowed or denied, with the reason in Russian. Denials are logged unless ``log=False`` (a mere probe)."""
    action = Action(action)
    decision = _decide(user, action, organization)
    if not decision.allowed and log:
        logger.warning(
            "permission denied: user=%s action=%s organization=%s reason=%s",
            getattr(user, "username", None) or "anonymous",
            action.value,
            getattr(organization, "pk", None),
            decision.reason,
        )
        from ridbook.security.events import permission_denied  # the security log (platform, imports this module)

        permission_denied(user, action, organization, decision.reason)
    return decision


def _decide(user: Any, action: Action, organization: Any) -> Decision:
    label = ACTION_LABELS[action]
    if user is None or not user.is_authenticated:
        return Decision(False, _("Требуется вход в систему."))
    if not user.is_active:
        return Decision(False, _("Учётная запись отключена."))
    if user.is_superuser and action not in ROLE_BOUND:
        return Decision(True, _("суперпользователь"))
    granted = GRANTS[action]
    roles = _assignments(user)
    if organization is None:
        matching = [role for _org, role in roles if role in granted]
    else:
        chain = _org_chain_ids(organization)
        matching = [role for org_id, role in roles if role in granted and org_id in chain]
    if matching:
        return Decision(True, _("роль «%(label)s»") % {"label": Role(matching[0]).label})
    needed = ", ".join(sorted(str(Role(r).label) for r in granted))
    # the organization is named only to a user who may see it: another tree's is not told, not even its name
    visible = organization_ids_for(user, Action.ORGANIZATION_VIEW) if organization is not None else set()
    named = organization is not None and (visible is None or organization.pk in visible)
    where = _(" в организации «%(organization)s»") % {"organization": organization} if named else ""
    return Decision(
        False,
        _("Действие «%(label)s» недоступно: нужна одна из ролей (%(needed)s)%(where)s.")
        % {"label": label, "needed": needed, "where": where},
    )


def can(user: Any, action: Action, organization: Any = None) -> bool:
    """A probe (to show a button, to choose a path): denials are not logged; ``require`` logs them."""
    return decide(user, action, organization, log=False).allowed


def require(user: Any, action: Action, organization: Any = None) -> None:
    decision = decide(user, action, organization)
    if not decision.allowed:
        raise PermissionDeniedError(decision.reason, details={"action": Action(action).value})


def users_who_may(action: Action, organization: Any) -> Any:
    """Active users with a role in force that may do ``action`` in ``organization`` (assigned there or above it):
    whom a task or a letter about the organization's work is for."""
    from ridbook.accounts.models import RoleAssignment, User, in_force_q

    assigned = RoleAssignment.objects.filter(
        in_force_q(), organization_id__in=_org_chain_ids(organization), role__in=GRANTS[Action(action)]
    )
    return User.objects.filter(pk__in=assigned.values("user_id"), is_active=True).order_by("last_name", "first_name")


def users_granted(action: Action) -> Any:
    """Active users with a role in force, anywhere, that may do ``action`` (e.g. every head of an IP department)."""
    from ridbook.accounts.models import RoleAssignment, User, in_force_q

    assigned = RoleAssignment.objects.filter(in_force_q(), role__in=GRANTS[Action(action)])
    return User.objects.filter(pk__in=assigned.values("user_id"), is_active=True).order_by("pk")


def organization_ids_for(user: Any, action: Action) -> set[int] | None:
    """Ids of organizations where ``user`` may do ``action`` (with descendants); ``None`` means everywhere."""
    from ridbook.organizations.selectors import descendant_ids

    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser and Action(action) not in ROLE_BOUND:
        return None
    granted = GRANTS[Action(action)]
    roots = frozenset(org_id for org_id, role in _assignments(user) if role in granted)
    if not roots:
        return set()
    # one tree walk per set of roots per user object (a request): a page asks for several actions
    cache: dict[frozenset[int], frozenset[int]] = user.__dict__.setdefault("_ridbook_descendants", {})
    if roots not in cache:
        cache[roots] = frozenset(descendant_ids(set(roots)))
    return set(cache[roots])


M = TypeVar("M", bound=Model)


def restrict(
    queryset: QuerySet[M], user: Any, action: Action, *, organization_field: str = "organization"
) -> QuerySet[M]:
    """The part of ``queryset`` whose organization lets ``user`` do ``action``."""
    ids = organization_ids_for(user, action)
    if ids is None:
        return queryset
    lookup = "pk__in" if organization_field == "self" else f"{organization_field}__in"
    return queryset.filter(**{lookup: ids})


# --- the boundary between organizations: people, colleagues and the targets of writes -----------------------------
#
# A role acts in its organization's subtree (``organization_ids_for``). People and colleagues are met in a wider but
# still bounded scope: the legal entity (university, research institute, company, holding) that the role's
# organization belongs to, with everything below it. A co-author of a RID is a person kept in the RID's legal
# entity (an outsider is recorded there as an external person); a commission member or an expert is a user with a
# role in the commission's legal entity. Nothing crosses from one legal entity's tree to another's.


def entity_of(organization: Any) -> Any:
    """The legal entity an organization belongs to: itself or its nearest legal-entity ancestor (else the root)."""
    from ridbook.organizations.selectors import ancestors

    chain = ancestors(organization)
    return next((org for org in chain if org.is_legal_entity), chain[-1])


def entity_scope(organization: Any) -> frozenset[int]:
    """Ids of the organizations of ``organization``'s legal entity (the entity and everything below it)."""
    from ridbook.organizations.selectors import descendant_ids

    return frozenset(descendant_ids({entity_of(organization).pk}))


def scope_ids_for(user: Any) -> set[int] | None:
    """Organizations whose people and colleagues ``user`` may meet: the legal entities of his roles, whole.

    ``None`` means everywhere (a superuser); an empty set, nowhere."""
    from ridbook.organizations.models import Organization

    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    cached = user.__dict__.get("_ridbook_scope")
    if cached is None:
        role_orgs = {org_id for org_id, _role in _assignments(user)}
        ids: set[int] = set()
        for org in Organization.objects.filter(pk__in=role_orgs).select_related("parent"):
            if org.pk not in ids:
                ids |= entity_scope(org)
        cached = frozenset(ids)
        user.__dict__["_ridbook_scope"] = cached
    return set(cached)


def in_scope_of(organization: Any, target_organization_id: int | None) -> bool:
    """Does ``target_organization_id`` belong to the legal entity of ``organization``?"""
    return target_organization_id is not None and target_organization_id in entity_scope(organization)


def require_target(user: Any, action: Action, organization: Any) -> None:
    """A write that moves or attaches something *to* ``organization`` (a RID's new organization, an organization's
    new parent, an import's organization): the user must hold ``action`` there too. Refused as «not found» so that a
    refused user learns nothing of the other tree."""
    if organization is None:
        return
    decision = decide(user, action, organization, log=False)  # the error raised below is what is recorded
    if not decision.allowed:
        visible = organization_ids_for(user, Action.ORGANIZATION_VIEW)
        if visible is not None and organization.pk not in visible:
            raise PermissionDeniedError(
                _("Организация не найдена среди доступных вам."), details={"action": Action(action).value}
            )
        raise PermissionDeniedError(decision.reason, details={"action": Action(action).value})


def is_colleague(user: Any, organization: Any) -> bool:
    """Does ``user`` work in ``organization``'s legal entity (has a role there)? A commission member, an expert, an
    invitee is chosen among them; a user of another tree is never a target."""
    from ridbook.accounts.models import RoleAssignment, in_force_q

    if user is None or getattr(user, "pk", None) is None:
        return False
    mine = RoleAssignment.objects.filter(in_force_q(), user=user, organization_id__in=entity_scope(organization))
    return mine.exists()


def require_colleague(user: Any, organization: Any) -> None:
    if not is_colleague(user, organization):
        raise DomainError(
            _("Пользователь не найден среди работников этой организации."),
            code="not_found",
            status=404,
            details={"fields": {"user": _("не найден")}},
        )


def colleagues_of(organization: Any) -> Any:
    """Active users with a role in ``organization``'s legal entity: whom a commission can seat or invite."""
    from ridbook.accounts.models import RoleAssignment, User, in_force_q

    ids = entity_scope(organization)
    in_force = RoleAssignment.objects.filter(in_force_q(), organization_id__in=ids).values("user_id")
    return User.objects.filter(is_active=True, pk__in=in_force)


def users_visible_to(user: Any) -> Any:
    """Users whose names ``user`` may see: those with a role in the legal entities of his roles."""
    from ridbook.accounts.models import User

    scope = scope_ids_for(user)
    if scope is None:
        return User.objects.all()
    return User.objects.filter(role_assignments__organization_id__in=scope).distinct()
