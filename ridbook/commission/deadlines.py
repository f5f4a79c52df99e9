"""Deadlines of the commission for «Мои задачи и сроки» (SPEC §13; VGTU §5.4.4, §6.1, §6.6, §6.9)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action
from ridbook.commission.choices import VGTU, MeetingStatus
from ridbook.commission.models import Commission, ExpertInvitation, Meeting
from ridbook.deadlines.registry import Deadline, Owner, Scope, in_scope, organization_ids_in_scope
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Rid


def _orgs(qs: Any, user: Any, action: Action, field: str, scope: str = Scope.MINE) -> Any:
    return in_scope(qs, organization_ids_in_scope(user, scope, action), field)


def commission_deadlines(user: Any, today: date, scope: str = Scope.MINE) -> Iterator[Deadline]:
    """The secretary's, the approver's, the IP department's, a member's and an expert's deadlines; in
    ``Scope.ORGANIZATION`` those of the overseen organizations too (members' meetings and experts' opinions without a
    named owner but the expert)."""
    from ridbook.commission.selectors import awaiting_approval, quarter_bounds, quarter_of, quarters_without_meeting
    from ridbook.commission.services import dissent_due, notice_due

    # secretary: notices, quarters without a meeting, protocols with dissent to forward
    commissions = _orgs(
        Commission.objects.filter(is_active=True), user, Action.MEETING_MANAGE, "organization_id", scope
    )
    for commission in commissions.select_related("organization"):
        meetings = commission.meetings.select_related("commission__organization")
        for meeting in meetings.filter(status=MeetingStatus.PLANNED, date__gte=today, entered_after_fact=False):
            due = notice_due(meeting)
            if due is not None:
                yield Deadline(
                    title=_("Разослать уведомления о заседании %(meeting)s") % {"meeting": meeting.label},
                    due=due,
                    rule=_("уведомление — не позднее чем за 7 рабочих дней до заседания (%(vgtu)s 6.6)")
                    % {"vgtu": VGTU},
                    source="commission.notice",
                    url=f"/commission/meetings/{meeting.pk}/",
                    organization=str(commission.organization),
                    key=f"commission.notice:meeting:{meeting.pk}",
                    kind=_("уведомления о заседании"),
                    organization_id=commission.organization_id,
                )
        year, number = quarter_of(today)
        current = [q for q in quarters_without_meeting(commission, today) if (q.year, q.number) == (year, number)]
        if current:
            yield Deadline(
                title=_("Провести заседание комиссии в %(quarter)s") % {"quarter": current[0].label},
                due=quarter_bounds(year, number)[1],
                rule=_("заседания — не реже одного раза в квартал (%(vgtu)s 6.1)") % {"vgtu": VGTU},
                source="commission.quarter",
                url=f"/commission/{commission.pk}/",
                organization=str(commission.organization),
                key=f"commission.quarter:commission:{commission.pk}:{year}-{number}",
                kind=_("заседание в квартале"),
                organization_id=commission.organization_id,
            )
    # approver (and the secretary who forwards): protocols with a dissenting opinion
    approval = awaiting_approval(user)
    if scope == Scope.ORGANIZATION:
        approval = (
            approval
            | in_scope(
                Meeting.objects.filter(
                    status=MeetingStatus.SIGNED, items__dissents__isnull=False, resolution__isnull=True
                ),
                organization_ids_in_scope(user, scope),
                "commission__organization_id",
            ).distinct()
        )
    ids = list(approval.order_by().values_list("pk", flat=True).distinct())  # the ids first (see below)
    approval = Meeting.objects.filter(pk__in=ids).select_related("commission__organization").order_by("date")
    for meeting in approval if ids else []:
        due = dissent_due(meeting)
        if due is not None:
            yield Deadline(
                title=_("Утвердить решение по протоколу %(meeting)s (есть особое мнение)") % {"meeting": meeting.label},
                due=due,
                rule=_("протокол с особым мнением — утверждающему в течение 2 рабочих дней (%(vgtu)s 5.4.4)")
                % {"vgtu": VGTU},
                source="commission.dissent",
                url=f"/commission/meetings/{meeting.pk}/",
                organization=str(meeting.commission.organization),
                key=f"commission.dissent:meeting:{meeting.pk}",
                kind=_("резолюция по особому мнению"),
                organization_id=meeting.commission.organization_id,
            )
    # IP department: filing decided by the commission
    filing = _orgs(Rid.objects.filter(status=RidStatus.FILING), user, Action.FILING_MANAGE, "organization_id", scope)
    filing = filing.only("id", "number", "title", "organization", "decided_on", "next_step")
    for rid in filing.select_related("organization")[:200]:
        yield Deadline(
            title=_("Начать оформление прав на %(number)s «%(title)s»") % {"number": rid.number, "title": rid.title},
            due=rid.decided_on or today,
            rule=rid.next_step or _("решение комиссии — основание для подачи заявки (%(vgtu)s 6.9)") % {"vgtu": VGTU},
            source="commission.filing",
            url=f"/registry/{rid.pk}/",
            organization=str(rid.organization),
            key=f"commission.filing:rid:{rid.pk}",
            kind=_("оформление прав"),
            escalate=False,  # the decision starts the work; its terms are the filing's
            organization_id=rid.organization_id,
            rid_id=rid.pk,
            rid_number=rid.number,
        )
    # members: upcoming meetings; experts: opinions
    planned = Meeting.objects.filter(
        status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTIFIED],
        date__gte=today,
        entered_after_fact=False,  # it has taken place already
    )
    upcoming = planned.filter(commission__members__user=user, commission__members__is_active=True)
    oversee = organization_ids_in_scope(user, scope) if scope == Scope.ORGANIZATION else set()
    if oversee is None or oversee:
        upcoming = upcoming | in_scope(planned, oversee, "commission__organization_id")
    # the ids first: a DISTINCT over the whole select_related join costs more to plan than to run
    ids = list(upcoming.order_by().values_list("pk", flat=True).distinct())
    upcoming = Meeting.objects.filter(pk__in=ids).select_related("commission__organization")
    for meeting in upcoming if ids else []:
        yield Deadline(
            title=_("Заседание комиссии %(date)s %(time)s, %(place)s")
            % {"date": f"{meeting.date:%d.%m.%Y}", "time": f"{meeting.time:%H:%M}", "place": meeting.place},
            due=meeting.date,
            rule=_("член комиссии участвует в заседаниях лично (%(vgtu)s 5.3)") % {"vgtu": VGTU},
            source="commission.meeting",
            url=f"/commission/meetings/{meeting.pk}/",
            organization=str(meeting.commission.organization),
            key=f"commission.meeting:meeting:{meeting.pk}",
            kind=_("заседание комиссии"),
            organization_id=meeting.commission.organization_id,
        )
    waiting = ExpertInvitation.objects.filter(
        opinion_at=None, item__meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTIFIED]
    )
    invitations = waiting.filter(user=user)
    if oversee is None or oversee:
        invitations = invitations | in_scope(waiting, oversee, "item__meeting__commission__organization_id")
    related = ("item__meeting__commission__organization", "item__rid", "user")
    ids = list(invitations.order_by().values_list("pk", flat=True).distinct())
    invitations = ExpertInvitation.objects.filter(pk__in=ids).select_related(*related)
    for invitation in invitations if ids else []:
        meeting = invitation.item.meeting
        yield Deadline(
            title=_("Заключение эксперта по «%(title)s»") % {"title": invitation.item.rid.title},
            due=meeting.date,
            rule=_("заключение эксперта — письменно, прилагается к протоколу (%(vgtu)s 3.4)") % {"vgtu": VGTU},
            source="commission.expert",
            url=f"/commission/meetings/{meeting.pk}/",
            organization=str(meeting.commission.organization),
            key=f"commission.expert:invitation:{invitation.pk}",
            kind=_("заключение эксперта"),
            owner=Owner.of(invitation.user),
            organization_id=meeting.commission.organization_id,
            rid_id=invitation.item.rid_id,
            rid_number=invitation.item.rid.number,
        )
