"""Deadlines of the commission for «Мои задачи и сроки» (SPEC §13; VGTU §5.4.4, §6.1, §6.6, §6.9)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from ridbook.accounts.permissions import Action, organization_ids_for
from ridbook.commission.choices import MeetingStatus
from ridbook.commission.models import Commission, ExpertInvitation, Meeting
from ridbook.deadlines.registry import Deadline
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Rid


def _orgs(qs: Any, user: Any, action: Action, field: str) -> Any:
    ids = organization_ids_for(user, action)
    if ids is None:
        return qs
    if not ids:
        return qs.none()
    return qs.filter(**{f"{field}__in": ids})


def commission_deadlines(user: Any, today: date) -> Iterator[Deadline]:
    from ridbook.commission.selectors import awaiting_approval, quarter_bounds, quarter_of, quarters_without_meeting
    from ridbook.commission.services import dissent_due, notice_due

    # secretary: notices, quarters without a meeting, protocols with dissent to forward
    commissions = _orgs(Commission.objects.filter(is_active=True), user, Action.MEETING_MANAGE, "organization_id")
    for commission in commissions.select_related("organization"):
        meetings = commission.meetings.select_related("commission__organization")
        for meeting in meetings.filter(status=MeetingStatus.PLANNED, date__gte=today, entered_after_fact=False):
            due = notice_due(meeting)
            if due is not None:
                yield Deadline(
                    title=f"Разослать уведомления о заседании {meeting.label}",
                    due=due,
                    rule="уведомление — не позднее чем за 7 рабочих дней до заседания (ВГТУ 6.6)",
                    source="commission.notice",
                    url=f"/commission/meetings/{meeting.pk}/",
                    organization=str(commission.organization),
                )
        year, number = quarter_of(today)
        current = [q for q in quarters_without_meeting(commission, today) if (q.year, q.number) == (year, number)]
        if current:
            yield Deadline(
                title=f"Провести заседание комиссии в {current[0].label}",
                due=quarter_bounds(year, number)[1],
                rule="заседания — не реже одного раза в квартал (ВГТУ 6.1)",
                source="commission.quarter",
                url=f"/commission/{commission.pk}/",
                organization=str(commission.organization),
            )
    # approver (and the secretary who forwards): protocols with a dissenting opinion
    for meeting in awaiting_approval(user):
        due = dissent_due(meeting)
        if due is not None:
            yield Deadline(
                title=f"Утвердить решение по протоколу {meeting.label} (есть особое мнение)",
                due=due,
                rule="протокол с особым мнением — утверждающему в течение 2 рабочих дней (ВГТУ 5.4.4)",
                source="commission.dissent",
                url=f"/commission/meetings/{meeting.pk}/",
                organization=str(meeting.commission.organization),
            )
    # IP department: filing decided by the commission
    filing = _orgs(Rid.objects.filter(status=RidStatus.FILING), user, Action.FILING_MANAGE, "organization_id")
    for rid in filing.select_related("organization")[:200]:
        yield Deadline(
            title=f"Начать оформление прав на {rid.number} «{rid.title}»",
            due=rid.decided_on or today,
            rule=rid.next_step or "решение комиссии — основание для подачи заявки (ВГТУ 6.9)",
            source="commission.filing",
            url=f"/registry/{rid.pk}/",
            organization=str(rid.organization),
        )
    # members: upcoming meetings; experts: opinions
    upcoming = Meeting.objects.filter(
        commission__members__user=user,
        commission__members__is_active=True,
        status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTIFIED],
        date__gte=today,
        entered_after_fact=False,  # it has taken place already
    ).select_related("commission__organization")
    for meeting in upcoming.distinct():
        yield Deadline(
            title=f"Заседание комиссии {meeting.date:%d.%m.%Y} {meeting.time:%H:%M}, {meeting.place}",
            due=meeting.date,
            rule="член комиссии участвует в заседаниях лично (ВГТУ 5.3)",
            source="commission.meeting",
            url=f"/commission/meetings/{meeting.pk}/",
            organization=str(meeting.commission.organization),
        )
    invitations = ExpertInvitation.objects.filter(
        user=user, opinion_at=None, item__meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTIFIED]
    ).select_related("item__meeting__commission__organization", "item__rid")
    for invitation in invitations:
        meeting = invitation.item.meeting
        yield Deadline(
            title=f"Заключение эксперта по «{invitation.item.rid.title}»",
            due=meeting.date,
            rule="заключение эксперта — письменно, прилагается к протоколу (ВГТУ 3.4)",
            source="commission.expert",
            url=f"/commission/meetings/{meeting.pk}/",
            organization=str(meeting.commission.organization),
        )
