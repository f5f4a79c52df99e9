"""Deadlines of the registry for «Мои задачи и сроки» (SPEC §13): the packet (RZD 6.2) and the decision (VGTU 5.1.1)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action
from ridbook.deadlines.registry import Deadline, Owner, Scope, organization_ids_in_scope
from ridbook.organizations.selectors import organization_policy
from ridbook.registry.choices import NoticeEventKind, RidStatus
from ridbook.registry.models import Authorship, Rid
from ridbook.workdays.calendar import add_months

OPEN = [RidStatus.SUBMITTED, RidStatus.UNDER_CHECK, RidStatus.RETURNED, RidStatus.ACCEPTED]
# what the deadlines read of a RID (a RID has some seventy columns: the page asks these queries on every view)
FIELDS = ("id", "number", "title", "status", "organization", "received_on", "learned_on", "submitted_at")


def _within(ids: set[int] | None) -> Q:
    if ids is None:  # everywhere (not ``Q()``: an empty Q is dropped from an OR)
        return Q(organization_id__isnull=False)
    return Q(organization_id__in=sorted(ids)) if ids else Q(pk__in=[])


def notice_deadlines(user: Any, today: date, scope: str = Scope.MINE) -> Iterator[Deadline]:
    """The IP department (and the secretary): the packet and the decision of every open notice; the department: the
    check of submitted notices; an author: his returned notices (in ``Scope.ORGANIZATION``, every author's). One query
    reads every RID concerned (the page asks it on every view)."""
    orgs = organization_ids_in_scope(user, scope, Action.NOTICE_REVIEW, Action.MEETING_MANAGE)
    review_orgs = organization_ids_in_scope(user, scope, Action.NOTICE_REVIEW)
    oversee = organization_ids_in_scope(user, scope) if scope == Scope.ORGANIZATION else set()
    checked = [RidStatus.SUBMITTED, RidStatus.UNDER_CHECK]
    returned = Q(status=RidStatus.RETURNED)
    condition = _within(orgs) | (Q(status__in=checked) & _within(review_orgs)) | (returned & _within(oversee))
    mine = Exists(Authorship.objects.filter(rid=OuterRef("pk"), person__user_id=user.pk))
    condition |= returned & Q(mine=True)
    qs = Rid.objects.filter(status__in=OPEN).annotate(mine=mine).filter(condition)
    rids = list(qs.select_related("organization", "created_by").only(*FIELDS, "created_by"))
    for rid in rids:
        if orgs is None or rid.organization_id in orgs:
            yield from rid_deadlines(rid)
    yield from review_deadlines(review_orgs, today, rids)
    # authors: their returned notices; the IP department oversees them all
    own = [rid for rid in rids if rid.status == RidStatus.RETURNED and rid.mine]
    others = [
        rid
        for rid in rids
        if rid.status == RidStatus.RETURNED and not rid.mine and (oversee is None or rid.organization_id in oversee)
    ]
    for rid in own + others:
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
            owner=Owner.of(user) if rid.mine else Owner.of(rid.created_by),
            escalate=False,  # no term of its own: due since it was returned
            **_of(rid),
        )


def _of(rid: Rid) -> dict[str, Any]:
    return {"organization_id": rid.organization_id, "rid_id": rid.pk, "rid_number": rid.number}


def review_deadlines(orgs: set[int] | None, today: date, rids: Sequence[Rid] | None = None) -> Iterator[Deadline]:
    """The IP department: submitted notices wait for its check (accept, or return with reasons). The check has no
    term of its own: it is due by the commission's decision term counted from the submission (VGTU 5.1.1).
    ``rids``: RIDs read already (those of ``orgs`` being checked are taken from them)."""
    if orgs is not None and not orgs:
        return
    checked = [RidStatus.SUBMITTED, RidStatus.UNDER_CHECK]
    if rids is None:
        qs: Any = Rid.objects.filter(status__in=checked).select_related("organization").only(*FIELDS)
        if orgs is not None:
            qs = qs.filter(organization_id__in=orgs)
    else:
        qs = [rid for rid in rids if rid.status in checked and (orgs is None or rid.organization_id in orgs)]
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
