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

from ridbook.accounts.roles import Role
from ridbook.core.errors import PermissionDeniedError

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
    TRADE_SECRET_APPROVE = "trade_secret.approve"
    TRADE_SECRET_KEEP = "trade_secret.keep"


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
    Action.TRADE_SECRET_APPROVE: frozenset({R.DIVISION_HEAD}),
    Action.TRADE_SECRET_KEEP: frozenset({R.IP_OFFICER}),
}

ACTION_LABELS: dict[Action, str] = {
    Action.ORGANIZATION_VIEW: "просмотр организаций",
    Action.ORGANIZATION_MANAGE: "ведение организаций",
    Action.ROLE_ASSIGN: "назначение ролей",
    Action.POLICY_VIEW: "просмотр политик",
    Action.POLICY_ASSIGN: "выбор политики организации",
    Action.AUDIT_VIEW: "просмотр журнала изменений",
    Action.SECURITY_LOG_VIEW: "просмотр журнала безопасности",
    Action.DEADLINES_VIEW: "просмотр задач и сроков",
    Action.RID_VIEW: "просмотр РИД",
    Action.NOTICE_DRAFT: "подготовка уведомления о создании РИД",
    Action.NOTICE_SUBMIT: "подача уведомления о создании РИД",
    Action.NOTICE_REVIEW: "проверка уведомления о создании РИД",
    Action.COMMISSION_VIEW: "просмотр работы комиссии по ИС",
    Action.MEETING_MANAGE: "подготовка заседаний комиссии",
    Action.MEETING_VOTE: "голосование на заседании комиссии",
    Action.EXPERT_OPINION: "экспертное заключение",
    Action.PROTOCOL_SIGN: "подписание протокола",
    Action.DECISION_APPROVE: "утверждение решения комиссии",
    Action.FILING_MANAGE: "подача заявок и переписка с патентным ведомством",
    Action.VALUATION_CALCULATE: "расчёт первоначальной стоимости",
    Action.USAGE_ACT_SIGN: "подписание актов использования",
    Action.LICENSE_MANAGE: "ведение лицензионных договоров",
    Action.REWARD_VIEW: "просмотр вознаграждений",
    Action.REWARD_CALCULATE: "начисление вознаграждений",
    Action.REWARD_PAY: "выплата вознаграждений",
    Action.POINTS_ENTER: "ввод баллов ПЭД",
    Action.POINTS_VIEW: "просмотр баллов ПЭД",
    Action.TRADE_SECRET_APPROVE: "утверждение режима коммерческой тайны",
    Action.TRADE_SECRET_KEEP: "хранение РИД в режиме коммерческой тайны",
}

READ_ONLY_ACTIONS = frozenset(a for a in Action if a.value.endswith(".view"))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def _assignments(user: Any) -> list[tuple[int, str]]:
    cached = getattr(user, "_ridbook_roles", None)
    if cached is None:
        cached = list(user.role_assignments.values_list("organization_id", "role"))
        user._ridbook_roles = cached
    return cached


def forget_roles(user: Any) -> None:
    """Call after changing a user's roles within the same request."""
    if hasattr(user, "_ridbook_roles"):
        del user._ridbook_roles
    user.__dict__.pop("_ridbook_descendants", None)


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
        return Decision(False, "Требуется вход в систему.")
    if not user.is_active:
        return Decision(False, "Учётная запись отключена.")
    if user.is_superuser:
        return Decision(True, "суперпользователь")
    granted = GRANTS[action]
    roles = _assignments(user)
    if organization is None:
        matching = [role for _, role in roles if role in granted]
    else:
        chain = _org_chain_ids(organization)
        matching = [role for org_id, role in roles if role in granted and org_id in chain]
    if matching:
        return Decision(True, f"роль «{Role(matching[0]).label}»")
    needed = ", ".join(sorted(Role(r).label for r in granted))
    where = f" в организации «{organization}»" if organization is not None else ""
    return Decision(False, f"Действие «{label}» недоступно: нужна одна из ролей ({needed}){where}.")


def can(user: Any, action: Action, organization: Any = None) -> bool:
    """A probe (to show a button, to choose a path): denials are not logged; ``require`` logs them."""
    return decide(user, action, organization, log=False).allowed


def require(user: Any, action: Action, organization: Any = None) -> None:
    decision = decide(user, action, organization)
    if not decision.allowed:
        raise PermissionDeniedError(decision.reason, details={"action": Action(action).value})


def organization_ids_for(user: Any, action: Action) -> set[int] | None:
    """Ids of organizations where ``user`` may do ``action`` (with descendants); ``None`` means everywhere."""
    from ridbook.organizations.selectors import descendant_ids

    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
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
