"""Deadlines of the commission for «Мои задачи и сроки» (SPEC §13; VGTU §5.4.4, §6.1, §6.6, §6.9)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, organization_ids_for
from ridbook.commission.choices import VGTU, MeetingStatus
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
                    title=_("Разослать уведомления о заседании %(meeting)s") % {"meeting": meeting.label},
                    due=due,
                    rule=_("уведомление — не позднее чем за 7 рабочих дней до заседания (%(vgtu)s 6.6)")
                    % {"vgtu": VGTU},
                    source="commission.notice",
                    url=f"/commission/meetings/{meeting.pk}/",
                    organization=str(commission.organization),
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
            )
    # approver (and the secretary who forwards): protocols with a dissenting opinion
    for meeting in awaiting_approval(user):
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
            )
    # IP department: filing decided by the commission
    filing = _orgs(Rid.objects.filter(status=RidStatus.FILING), user, Action.FILING_MANAGE, "organization_id")
    for rid in filing.select_related("organization")[:200]:
        yield Deadline(
            title=_("Начать оформление прав на %(number)s «%(title)s»") % {"number": rid.number, "title": rid.title},
            due=rid.decided_on or today,
            rule=rid.next_step or _("решение комиссии — основание для подачи заявки (%(vgtu)s 6.9)") % {"vgtu": VGTU},
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
            title=_("Заседание комиссии %(date)s %(time)s, %(place)s")
            % {"date": f"{meeting.date:%d.%m.%Y}", "time": f"{meeting.time:%H:%M}", "place": meeting.place},
            due=meeting.date,
            rule=_("член комиссии участвует в заседаниях лично (%(vgtu)s 5.3)") % {"vgtu": VGTU},
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
            title=_("Заключение эксперта по «%(title)s»") % {"title": invitation.item.rid.title},
            due=meeting.date,
            rule=_("заключение эксперта — письменно, прилагается к протоколу (%(vgtu)s 3.4)") % {"vgtu": VGTU},
            source="commission.expert",
            url=f"/commission/meetings/{meeting.pk}/",
            organization=str(meeting.commission.organization),
        )
