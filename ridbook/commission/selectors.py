"""Reads of the commission: the governing rules, the queue, who may see what, quarters without a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, can, organization_ids_for
from ridbook.commission.choices import Absence, MeetingStatus, MemberRole
from ridbook.commission.models import AgendaItem, Commission, CommissionMember, ExpertInvitation, Meeting
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.organizations.selectors import descendant_ids, organization_policy
from ridbook.policies.schema import Commission as CommissionRules
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Rid


def commission_rules(commission: Commission, on: date | None = None) -> CommissionRules:
    """The policy's ``commission`` section for this commission's organization, or a clear error."""
    policy = organization_policy(commission.organization, on=on)
    rules = policy.commission
    if rules is None:
        raise DomainError(
            _("Политика «%(policy)s» организации «%(organization)s» не описывает работу комиссии.")
            % {"policy": policy.meta.title, "organization": commission.organization},
            code="policy_not_covered",
        )
    return rules


def policy_of(commission: Commission, on: date | None = None) -> Any:
    """The policy the commission's organization follows (its page names it by title and links to it)."""
    return organization_policy(commission.organization, on=on)


def active_members(commission: Commission) -> QuerySet[CommissionMember]:
    return commission.members.filter(is_active=True).select_related("user")


def sorted_members(members: Any) -> list[Any]:
    """Chair, deputy, secretary, then members by surname (the order of the protocol's «В составе»)."""
    from ridbook.commission.choices import MEMBER_ROLE_ORDER

    def key(m: Any) -> tuple[int, str, int]:  # a CommissionMember or an Attendance row (role snapshot)
        user = m.member.user if hasattr(m, "member") else m.user
        return MEMBER_ROLE_ORDER[MemberRole(m.role)], user.last_name, m.pk

    return sorted(members, key=key)


def seat_of(user: Any, commission: Commission) -> CommissionMember | None:
    if user is None or not user.is_authenticated:
        return None
    return commission.members.filter(user=user, is_active=True).first()


def queue(commission: Commission) -> QuerySet[Rid]:
    """Принятые уведомления, ещё не включённые в повестку незавершённого заседания (очередь комиссии)."""
    org_ids = descendant_ids({commission.organization_id})
    on_agenda = AgendaItem.objects.filter(
        meeting__commission=commission,
        meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTIFIED, MeetingStatus.OPEN, MeetingStatus.CLOSED],
    ).values("rid_id")
    return (
        Rid.objects.filter(organization_id__in=org_ids, status=RidStatus.ACCEPTED)
        .exclude(pk__in=on_agenda)
        .select_related("organization")
        .order_by("received_on", "pk")
    )


def commissions_visible_to(user: Any) -> QuerySet[Commission]:
    qs = Commission.objects.select_related("organization")
    if user.is_superuser:
        return qs
    staff_orgs: set[int] = set()
    for action in (Action.MEETING_MANAGE, Action.NOTICE_REVIEW, Action.DECISION_APPROVE, Action.AUDIT_VIEW):
        ids = organization_ids_for(user, action)
        if ids is None:
            return qs
        staff_orgs |= ids
    return qs.filter(
        Q(organization_id__in=staff_orgs)
        | Q(members__user=user, members__is_active=True)
        | Q(meetings__items__experts__user=user)
    ).distinct()


def _sits_on(user: Any, meeting: Meeting) -> bool:
    """A member now, or a member on that meeting's attendance list (a former member keeps his own meetings)."""
    return (
        meeting.commission.members.filter(user=user, is_active=True).exists()
        or meeting.attendance.filter(member__user=user).exists()
    )


def can_see_meeting(user: Any, meeting: Meeting) -> bool:
    """Материалы заседания — членам комиссии, приглашённым экспертам, подразделению по ИС (конфиденциальность)."""
    org = meeting.commission.organization
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if _sits_on(user, meeting):
        return True
    if ExpertInvitation.objects.filter(item__meeting=meeting, user=user).exists():
        return True
    if can(user, Action.NOTICE_REVIEW, org) or can(user, Action.MEETING_MANAGE, org):
        return True
    # the approver sees a protocol routed to him; the auditor reads signed protocols
    signed = meeting.status == MeetingStatus.SIGNED
    return signed and (can(user, Action.DECISION_APPROVE, org) or can(user, Action.AUDIT_VIEW, org))


def sees_whole_meeting(user: Any, meeting: Meeting) -> bool:
    """Every item, every vote, the protocol: members, the IP department, the secretary, the approver (and the
    auditor once signed). An invited expert is not among them: he sees his own items only."""
    if user.is_superuser or _sits_on(user, meeting):
        return True
    org = meeting.commission.organization
    if any(can(user, a, org) for a in (Action.NOTICE_REVIEW, Action.MEETING_MANAGE, Action.DECISION_APPROVE)):
        return True
    return meeting.status == MeetingStatus.SIGNED and can(user, Action.AUDIT_VIEW, org)


def require_whole_meeting(user: Any, meeting: Meeting) -> None:
    if not sees_whole_meeting(user, meeting):
        raise PermissionDeniedError(
            _(
                "Протокол целиком доступен членам комиссии, подразделению по ИС и утверждающему; эксперт видит только "
                "вопросы, по которым приглашён."
            )
        )


def items_visible_to(user: Any, meeting: Meeting) -> QuerySet[AgendaItem]:
    """An expert who is not a member sees only the items he was invited to."""
    items = meeting.items.select_related("rid", "rid__organization").order_by("order")
    if sees_whole_meeting(user, meeting):
        return items
    return items.filter(experts__user=user)


def sees_queue(user: Any, commission: Commission) -> bool:
    """The queue of accepted notices (what the commission will consider): its members and the IP department and
    secretary, not an expert invited to one item."""
    org = commission.organization
    if user.is_superuser or commission.members.filter(user=user, is_active=True).exists():
        return True
    return any(can(user, a, org) for a in (Action.NOTICE_REVIEW, Action.MEETING_MANAGE, Action.DECISION_APPROVE))


def materials_guard(user: Any, rid: Rid) -> str | None:
    """The registry's hook: the reason to refuse a RID's materials while it is on an open agenda, or ``None``."""
    if can_see_materials(user, rid):
        return None
    return _(
        "Материалы заявки на рассмотрении комиссии конфиденциальны: их видят члены комиссии, приглашённые эксперты "
        "и подразделение по ИС."
    )


def can_see_materials(user: Any, rid: Rid) -> bool:
    """Пакет РИД, стоящего в повестке, видят только члены комиссии, приглашённые эксперты и подразделение по ИС."""
    open_items = AgendaItem.objects.filter(
        rid=rid, meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTIFIED, MeetingStatus.OPEN]
    )
    if not open_items.exists():
        return True
    if user.is_superuser or can(user, Action.NOTICE_REVIEW, rid.organization):
        return True
    if open_items.filter(meeting__commission__members__user=user, meeting__commission__members__is_active=True):
        return True
    return open_items.filter(experts__user=user).exists()


def meetings_for_member(user: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(Q(commission__members__user=user) | Q(items__experts__user=user))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("commission", "commission__organization")
        .distinct()
        .order_by("-date")
    )


def awaiting_approval(user: Any) -> QuerySet[Meeting]:
    """Протоколы с особым мнением, ожидающие резолюции утверждающего."""
    qs = Meeting.objects.filter(status=MeetingStatus.SIGNED, items__dissents__isnull=False, resolution__isnull=True)
    orgs = organization_ids_for(user, Action.DECISION_APPROVE)
    if orgs is not None:
        qs = qs.filter(commission__organization_id__in=orgs)
    return qs.select_related("commission", "commission__organization").distinct().order_by("date")


def unexcused_absences(commission: Commission) -> dict[int, int]:
    """Member id → number of unexcused absences at signed meetings (VGTU §5.7)."""
    rows = (
        CommissionMember.objects.filter(commission=commission)
        .annotate(
            n=Count(
                "attendance",
                filter=Q(attendance__absence=Absence.UNEXCUSED, attendance__meeting__status=MeetingStatus.SIGNED),
            )
        )
        .values_list("pk", "n")
    )
    return dict(rows)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int
    start: date
    end: date
    meetings: int

    @property
    def label(self) -> str:
        return _("%(number)s квартал %(year)s г.") % {"number": self.number, "year": self.year}


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, number: int) -> tuple[date, date]:
    start = date(year, 3 * number - 2, 1)
    end = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    from datetime import timedelta

    return start, end - timedelta(days=1)


def quarters(commission: Commission, year: int, today: date) -> list[Quarter]:
    """The year's quarters up to today's, with the number of held (or scheduled) meetings in each."""
    result = []
    for n in range(1, 5):
        start, end = quarter_bounds(year, n)
        if start > today:
            break
        held = (
            commission.meetings.exclude(status=MeetingStatus.CANCELLED).filter(date__gte=start, date__lte=end).count()
        )
        result.append(Quarter(year, n, start, end, held))
    return result


def quarters_without_meeting(commission: Commission, today: date) -> list[Quarter]:
    """Кварталы без заседания (VGTU §6.1: не реже раза в квартал), начиная с квартала приказа о составе."""
    rules = commission_rules(commission, on=today)
    if not rules.meeting_interval_months:
        return []
    first = quarter_of(commission.order_date)
    return [q for q in quarters(commission, today.year, today) if q.meetings == 0 and (q.year, q.number) >= first]
