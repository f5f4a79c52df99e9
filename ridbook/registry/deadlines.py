"""Deadlines of the registry for «Мои задачи и сроки» (SPEC §13): the packet (RZD 6.2) and the decision (VGTU 5.1.1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, organization_ids_for
from ridbook.deadlines.registry import Deadline
from ridbook.organizations.selectors import organization_policy
from ridbook.registry.choices import NoticeEventKind, RidStatus
from ridbook.registry.models import Rid
from ridbook.workdays.calendar import add_months

OPEN = [RidStatus.SUBMITTED, RidStatus.UNDER_CHECK, RidStatus.RETURNED, RidStatus.ACCEPTED]


def notice_deadlines(user: Any, today: date) -> Iterator[Deadline]:
    review_orgs = organization_ids_for(user, Action.NOTICE_REVIEW)
    secretary_orgs = organization_ids_for(user, Action.MEETING_MANAGE)
    orgs = None if review_orgs is None or secretary_orgs is None else review_orgs | secretary_orgs
    if orgs is None or orgs:
        qs = Rid.objects.filter(status__in=OPEN).select_related("organization")
        if orgs is not None:
            qs = qs.filter(organization_id__in=orgs)
        for rid in qs.iterator(chunk_size=500):
            yield from rid_deadlines(rid)
    if review_orgs is None or review_orgs:
        yield from review_deadlines(review_orgs, today)
    # authors: their returned notices
    for rid in Rid.objects.filter(status=RidStatus.RETURNED, authorships__person__user=user).distinct():
        last = rid.events.filter(kind=NoticeEventKind.RETURNED).last()
        yield Deadline(
            title=f"Доработать уведомление {rid.number} «{rid.title}»",
            due=last.at.date() if last else today,
            rule=f"возвращено на доработку: {last.reasons if last else ''}",
            source="registry.notice",
            url=f"/registry/{rid.pk}/",
            organization=str(rid.organization),
        )


def review_deadlines(orgs: set[int] | None, today: date) -> Iterator[Deadline]:
    """The IP department: submitted notices wait for its check (accept, or return with reasons). The check has no
    term of its own: it is due by the commission's decision term counted from the submission (VGTU 5.1.1)."""
    qs = Rid.objects.filter(status__in=[RidStatus.SUBMITTED, RidStatus.UNDER_CHECK]).select_related("organization")
    if orgs is not None:
        qs = qs.filter(organization_id__in=orgs)
    for rid in qs.iterator(chunk_size=500):
        submitted = timezone.localtime(rid.submitted_at).date() if rid.submitted_at else today
        commission = organization_policy(rid.organization).commission
        months = commission.decision_months if commission is not None else 0
        names = {"number": rid.number, "title": rid.title}
        if rid.status == RidStatus.SUBMITTED:
            title = _("Проверить поданное уведомление %(number)s «%(title)s»") % names
        else:
            title = _("Завершить проверку уведомления %(number)s «%(title)s»: принять или вернуть") % names
        rule = _("подано %(date)s; решение комиссии — %(months)s мес. с подачи (ВГТУ 5.1.1)") % {
            "date": f"{submitted:%d.%m.%Y}",
            "months": months,
        }
        yield Deadline(
            title=title,
            due=add_months(submitted, months) if months else submitted,
            rule=rule,
            source="registry.review",
            url=f"/registry/{rid.pk}/",
            organization=str(rid.organization),
        )


def rid_deadlines(rid: Rid) -> Iterator[Deadline]:
    policy = organization_policy(rid.organization)
    start = rid.received_on
    if start is None:
        return
    url = f"/registry/{rid.pk}/"
    deadlines = policy.deadlines
    if deadlines is not None and deadlines.packet_months and rid.status != RidStatus.ACCEPTED:
        learned = rid.learned_on or start
        yield Deadline(
            title=f"Направить пакет документов по {rid.number} «{rid.title}»",
            due=add_months(learned, deadlines.packet_months),
            rule=f"пакет — {deadlines.packet_months} мес. с момента, когда стало известно о РИД ({policy.ref}; РЖД 6.2)",
            source="registry.packet",
            url=url,
            organization=str(rid.organization),
        )
    commission = policy.commission
    if commission is not None and commission.decision_months:
        yield Deadline(
            title=f"Решение комиссии по {rid.number} «{rid.title}»",
            due=add_months(start, commission.decision_months),
            rule=f"решение — {commission.decision_months} мес. с подачи в подразделение по ИС ({policy.ref}; ВГТУ 5.1.1)",
            source="registry.decision",
            url=url,
            organization=str(rid.organization),
        )
