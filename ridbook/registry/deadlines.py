"""Deadlines of the registry for «Мои задачи и сроки» (SPEC §13): the packet (RZD 6.2) and the decision (VGTU 5.1.1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action
from ridbook.deadlines.registry import Deadline, Owner, Scope, in_scope, organization_ids_in_scope
from ridbook.organizations.selectors import organization_policy
from ridbook.registry.choices import NoticeEventKind, RidStatus
from ridbook.registry.models import Rid
from ridbook.workdays.calendar import add_months

OPEN = [RidStatus.SUBMITTED, RidStatus.UNDER_CHECK, RidStatus.RETURNED, RidStatus.ACCEPTED]
# what the deadlines read of a RID (a RID has some seventy columns: the page asks these queries on every view)
FIELDS = ("id", "number", "title", "status", "organization", "received_on", "learned_on", "submitted_at")


def notice_deadlines(user: Any, today: date, scope: str = Scope.MINE) -> Iterator[Deadline]:
    """The IP department (and the secretary): the packet and the decision of every open notice; the department: the
    check of submitted notices; an author: his returned notices (in ``Scope.ORGANIZATION``, every author's)."""
    orgs = organization_ids_in_scope(user, scope, Action.NOTICE_REVIEW, Action.MEETING_MANAGE)
    if orgs is None or orgs:
        qs = in_scope(Rid.objects.filter(status__in=OPEN).select_related("organization").only(*FIELDS), orgs)
        for rid in qs:  # open notices: few (a server-side cursor costs more round trips than it saves)
            yield from rid_deadlines(rid)
    review_orgs = organization_ids_in_scope(user, scope, Action.NOTICE_REVIEW)
    if review_orgs is None or review_orgs:
        yield from review_deadlines(review_orgs, today)
    # authors: their returned notices; the IP department oversees them all
    returned = Rid.objects.filter(status=RidStatus.RETURNED).select_related("organization", "created_by")
    returned = returned.only(*FIELDS, "created_by")
    mine = returned.filter(authorships__person__user=user).distinct()
    oversee = organization_ids_in_scope(user, scope) if scope == Scope.ORGANIZATION else set()
    rids = list(mine)
    own = {rid.pk for rid in rids}
    if oversee is None or oversee:
        rids += [rid for rid in in_scope(returned, oversee) if rid.pk not in own]
    for rid in rids:
        last = rid.events.filter(kind=NoticeEventKind.RETURNED).last()
        yield Deadline(
            title=(_("Доработать уведомление %(number)s «%(title)s»") % {"number": rid.number, "title": rid.title}),
            due=last.at.date() if last else today,
            rule=(_("возвращено на доработку: %(value)s") % {"value": last.reasons if last else ""}),
            source="registry.notice",
            url=f"/registry/{rid.pk}/",
            organization=str(rid.organization),
            key=f"registry.notice:rid:{rid.pk}",
            kind=_("доработка уведомления"),
            owner=Owner.of(user) if rid.pk in own else Owner.of(rid.created_by),
            escalate=False,  # no term of its own: due since it was returned
            **_of(rid),
        )


def _of(rid: Rid) -> dict[str, Any]:
    return {"organization_id": rid.organization_id, "rid_id": rid.pk, "rid_number": rid.number}


def review_deadlines(orgs: set[int] | None, today: date) -> Iterator[Deadline]:
    """The IP department: submitted notices wait for its check (accept, or return with reasons). The check has no
    term of its own: it is due by the commission's decision term counted from the submission (VGTU 5.1.1)."""
    qs = Rid.objects.filter(status__in=[RidStatus.SUBMITTED, RidStatus.UNDER_CHECK]).select_related("organization")
    qs = qs.only(*FIELDS)
    if orgs is not None:
        qs = qs.filter(organization_id__in=orgs)
    for rid in qs:
        submitted = timezone.localtime(rid.submitted_at).date() if rid.submitted_at else today
        commission = organization_policy(rid.organization).commission
        months = commission.decision_months if commission is not None else 0
        names = {"number": rid.number, "title": rid.title}
        if rid.status == RidStatus.SUBMITTED:
            title = _("Проверить поданное уведомление %(number)s «%(title)s»") % names
        else:
            title = _("Завершить проверку уведомления %(number)s «%(title)s»: принять или вернуть") % names
        rule = _("подано %(date)s; решение комиссии — %(months)s мес. с подачи (%(rule)s)") % {
            "date": f"{submitted:%d.%m.%Y}",
            "months": months,
            "rule": "ВГТУ 5.1.1",  # i18n: ru-only (a clause of the policy: its code)
        }
        yield Deadline(
            title=title,
            due=add_months(submitted, months) if months else submitted,
            rule=rule,
            source="registry.review",
            url=f"/registry/{rid.pk}/",
            organization=str(rid.organization),
            key=f"registry.review:rid:{rid.pk}",
            kind=_("проверка уведомления"),
            **_of(rid),
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
            title=(
                _("Направить пакет документов по %(number)s «%(title)s»") % {"number": rid.number, "title": rid.title}
            ),
            due=add_months(learned, deadlines.packet_months),
            rule=(
                _("пакет — %(months)s мес. с момента, когда стало известно о РИД (%(rule)s)")
                % {
                    "months": deadlines.packet_months,
                    "rule": "РЖД 6.2",  # i18n: ru-only (a clause of the policy: its code)
                }
            ),
            source="registry.packet",
            url=url,
            organization=str(rid.organization),
            key=f"registry.packet:rid:{rid.pk}",
            kind=_("пакет документов"),
            **_of(rid),
        )
    commission = policy.commission
    if commission is not None and commission.decision_months:
        yield Deadline(
            title=(_("Решение комиссии по %(number)s «%(title)s»") % {"number": rid.number, "title": rid.title}),
            due=add_months(start, commission.decision_months),
            rule=(
                _("решение — %(months)s мес. с подачи в подразделение по ИС (%(rule)s)")
                % {
                    "months": commission.decision_months,
                    "rule": "ВГТУ 5.1.1",  # i18n: ru-only (a clause of the policy: its code)
                }
            ),
            source="registry.decision",
            url=url,
            organization=str(rid.organization),
            key=f"registry.decision:rid:{rid.pk}",
            kind=_("решение комиссии"),
            **_of(rid),
        )
