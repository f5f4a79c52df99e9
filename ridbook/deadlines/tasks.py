"""Scheduled job: reminders before each open deadline, and the escalation of an overdue one.

* **Reminders** go to the deadline's owner — the named user, or, for a deadline of a role (``owner`` is ``None``),
  everyone whose own deadlines (``Scope.MINE``) include it — when ``settings.DEADLINE_REMINDER_DAYS`` (30, 7 and 1 by
  default) or fewer days are left: one letter for the smallest threshold reached, so a deadline first seen 5 days
  before gets the 7-day letter and later the 1-day one, never the 30-day one after the 7-day one.
* **Escalation**: an overdue open deadline is told once to the heads of the IP department
  (``Action.DEADLINES_ESCALATION``) of the deadline's organization or above it — not a task without a term of its own
  (``Deadline.escalate`` false: a returned notice, a filing to start).

Exactly one letter per deadline per threshold and person, however often the job runs: the outbox refuses a second
letter for the event ``deadline:<key>:<threshold>`` (``deadline:<key>:overdue``). This replaces the earlier daily
digest: a digest every day besides the reminders would be too many letters; everything due stays on «Сроки».
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from ridbook.audit.context import acting_as
from ridbook.deadlines.registry import Deadline, Scope, State, deadlines_for

OVERDUE = "overdue"


def thresholds() -> list[int]:
    return sorted({int(days) for days in settings.DEADLINE_REMINDER_DAYS}, reverse=True)


def threshold_reached(deadline: Deadline, today: date) -> int | None:
    """The smallest reminder threshold (in days) not later than the days left; ``None`` when too early or overdue."""
    left = (deadline.due - today).days
    if left < 0:
        return None
    reached = [days for days in thresholds() if left <= days]
    return min(reached) if reached else None


def _reminded_closer(deadline: Deadline, user: Any, threshold: int, sent: set[str] | None = None) -> bool:
    """Was ``user`` reminded of ``deadline`` at a smaller threshold (its date moved later since)? Then not again.
    ``sent``: the events of the letters he has (:func:`_sent`), else asked of the database."""
    from ridbook.notifications.models import Letter

    closer = [f"deadline:{deadline.key}:{days}" for days in thresholds() if days < threshold]
    if sent is not None:
        return any(event in sent for event in closer)
    return bool(closer) and Letter.objects.filter(event__in=closer, recipient_key=f"user:{user.pk}").exists()


def _sent(events: set[str], recipient_keys: set[str]) -> set[tuple[str, str]]:
    """Which of ``events`` already have a letter to which of ``recipient_keys``: a few queries for the whole run
    rather than one per deadline."""
    from ridbook.notifications.models import Letter

    found: set[tuple[str, str]] = set()
    wanted = sorted(events)
    for start in range(0, len(wanted), 1000):
        rows = Letter.objects.filter(event__in=wanted[start : start + 1000], recipient_key__in=recipient_keys)
        found.update(rows.values_list("event", "recipient_key"))
    return found


def _letter(deadline: Deadline, today: date, overdue: bool) -> Any:
    def compose(who: Any) -> Any:
        from ridbook.notifications.services import Message

        names = {"title": deadline.title, "date": f"{deadline.due:%d.%m.%Y}"}
        if overdue:
            subject = _("Просрочен срок: %(title)s (%(date)s)") % names
            lead = _("Срок «%(title)s» истёк %(date)s, задача не выполнена.") % names
        else:
            subject = _("Срок %(date)s: %(title)s") % names
            lead = _("Напоминание: срок «%(title)s» — %(date)s (осталось дней: %(days)s).") % {
                **names,
                "days": (deadline.due - today).days,
            }
        lines = [who.greeting, "", lead, _("Правило: %(rule)s") % {"rule": deadline.rule}]
        if deadline.organization:
            lines.append(_("Организация: %(name)s") % {"name": deadline.organization})
        if deadline.owner is not None:
            lines.append(_("Ответственный: %(name)s") % {"name": deadline.owner.name})
        return Message(subject=subject, body="\n".join(lines))

    return compose


def _organization(deadline: Deadline, user: Any, cache: dict[Any, Any]) -> Any:
    from ridbook.accounts.models import RoleAssignment
    from ridbook.organizations.models import Organization

    if deadline.organization_id is not None:
        key: Any = ("org", deadline.organization_id)
        if key not in cache:
            cache[key] = Organization.objects.filter(pk=deadline.organization_id).first()
        if cache[key] is not None:
            return cache[key]
    key = ("user", user.pk if user is not None else None)
    if key not in cache:
        first = RoleAssignment.objects.filter(user=user).order_by("id").select_related("organization").first()
        cache[key] = first.organization if first else None
    return cache[key]


@shared_task(name="ridbook.deadlines.tasks.refresh_deadlines")
def refresh_deadlines(on: str | None = None) -> int:
    """The daily refresh of the stored deadlines (fees, upkeep, the docket) as of ``on`` (today by default): the
    number of rows."""
    from ridbook.deadlines.store import refresh_all

    return refresh_all(date.fromisoformat(on) if on else timezone.localdate())


def _candidates(user: Any, today: date, scope: Scope) -> list[Deadline]:
    """What the job looks at in ``user``'s list: the computed providers' deadlines, and the stored rows that are open
    and either within the farthest threshold or overdue and escalated (the database picks them)."""
    from ridbook.deadlines.store import deadline_of, rows_visible

    found = deadlines_for(user, today, scope, stored=False)
    horizon = today + timedelta(days=max(thresholds(), default=0))
    wanted = Q(due__gte=today, due__lte=horizon) if scope == Scope.MINE else Q(pk__in=[])
    rows = rows_visible(user, today, scope).filter(wanted | Q(due__lt=today, escalate=True), state=State.OPEN.value)
    known = {d.key for d in found}
    for row in rows.select_related("organization", "owner_user").order_by("due", "pk").iterator(chunk_size=2000):
        if row.key not in known:
            found.append(deadline_of(row))
    return found


@shared_task(name="ridbook.deadlines.tasks.send_deadline_reminders")
def send_deadline_reminders(on: str | None = None) -> int:
    """Returns the number of letters queued (reminders and escalations). ``on``: the day to run for (ISO date; today by
    default), e.g. to catch up a day the job did not run. The stored deadlines are refreshed first when they are not
    of that day; the letters are written in bulk and sent after the job by the background task, in batches."""
    from ridbook.accounts.permissions import Action, users_granted, users_who_may
    from ridbook.deadlines.store import ensure_fresh
    from ridbook.notifications.models import LetterState
    from ridbook.notifications.services import Addressee, Outgoing, notify_many

    today = date.fromisoformat(on) if on else timezone.localdate()
    organizations: dict[Any, Any] = {}
    overdue: dict[str, tuple[Deadline, Any]] = {}
    outgoing: list[Outgoing] = []
    with acting_as(gettext_noop("задание: напоминания о сроках")):  # stored in Russian, shown translated
        ensure_fresh(today)
        users = get_user_model().objects.filter(is_active=True, role_assignments__isnull=False).distinct()
        for user in users.order_by("pk"):
            reminders: list[tuple[Deadline, int]] = []
            for deadline in _candidates(user, today, Scope.MINE):
                if not deadline.is_open():
                    continue
                if deadline.due < today:
                    if deadline.escalate:
                        overdue.setdefault(deadline.key, (deadline, user))
                    continue
                if deadline.owner is not None and deadline.owner.user_id != user.pk:
                    continue
                threshold = threshold_reached(deadline, today)
                if threshold is not None:
                    reminders.append((deadline, threshold))
            recipient = f"user:{user.pk}"
            events = {
                f"deadline:{d.key}:{days}" for d, threshold in reminders for days in thresholds() if days <= threshold
            }
            sent_to_him = {event for event, _key in _sent(events, {recipient})}
            for deadline, threshold in reminders:
                event = f"deadline:{deadline.key}:{threshold}"
                if event in sent_to_him or _reminded_closer(deadline, user, threshold, sent_to_him):
                    continue
                organization = _organization(deadline, user, organizations)
                if organization is None:
                    continue
                outgoing.append(
                    Outgoing(
                        event=event,
                        about=f"deadline:{deadline.key}"[:100],
                        kind="deadline_reminder",
                        organization=organization,
                        addressees=[Addressee.of_user(user)],
                        compose=_letter(deadline, today, overdue=False),
                        url=deadline.url,
                    )
                )
        # what no one's own list holds is still overdue for the IP department's head: his organizations' deadlines
        for head in users_granted(Action.DEADLINES_ESCALATION):
            for deadline in _candidates(head, today, Scope.ORGANIZATION):
                if deadline.is_open() and deadline.escalate and deadline.due < today:
                    overdue.setdefault(deadline.key, (deadline, head))
        heads_of: dict[int, list[Any]] = {}
        escalations = []
        for key, (deadline, user) in sorted(overdue.items()):
            organization = _organization(deadline, user, organizations)
            if organization is None:
                continue
            if organization.pk not in heads_of:
                heads_of[organization.pk] = list(users_who_may(Action.DEADLINES_ESCALATION, organization))
            escalations.append((key, deadline, organization, heads_of[organization.pk]))
        done = _sent(
            {f"deadline:{key}:{OVERDUE}" for key, *_rest in escalations},
            {f"user:{head.pk}" for heads in heads_of.values() for head in heads},
        )
        capacity = gettext_lazy("руководитель подразделения по ИС")
        for key, deadline, organization, heads in escalations:
            event = f"deadline:{key}:{OVERDUE}"
            if all((event, f"user:{head.pk}") in done for head in heads):
                continue  # every head has had his letter
            outgoing.append(
                Outgoing(
                    event=event,
                    about=f"deadline:{key}"[:100],
                    kind="deadline_overdue",
                    organization=organization,
                    addressees=[Addressee.of_user(head, capacity) for head in heads],
                    compose=_letter(deadline, today, overdue=True),
                    url=deadline.url,
                )
            )
        letters = notify_many(outgoing)
    return sum(1 for letter in letters if letter.state == LetterState.QUEUED)
