"""What waits for whom after the vote: the protocol to sign (chair and secretary) and a protocol with a dissenting
opinion to approve (the approver). Each gets a task in «Мои задачи и сроки» for as long as it waits, and one letter
when it starts waiting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, users_who_may
from ridbook.commission.choices import MeetingStatus, MemberRole
from ridbook.commission.models import Attendance, Meeting
from ridbook.deadlines.registry import Deadline, Owner, Scope, in_scope, organization_ids_in_scope
from ridbook.notifications.services import Addressee, Message, notify

SIGNERS = (MemberRole.CHAIR, MemberRole.SECRETARY)


def _unsigned_seats(meeting: Meeting) -> list[Attendance]:
    seats = meeting.attendance.filter(role__in=SIGNERS, present=True).select_related("member__user")
    return [
        seat
        for seat in seats
        if not (meeting.chair_signed_at if seat.role == MemberRole.CHAIR else meeting.secretary_signed_at)
    ]


def _sign_due(meeting: Meeting) -> date:
    """A protocol with a dissenting opinion must reach the approver within the policy's working days (VGTU 5.4.4),
    so it is signed by then; otherwise it is due on the meeting's day."""
    from ridbook.commission.services import dissent_due

    has_dissent = meeting.items.filter(dissents__isnull=False).exists()
    return (dissent_due(meeting) if has_dissent else None) or (
        meeting.closed_at.date() if meeting.closed_at else meeting.date
    )


def protocol_deadlines(user: Any, today: date, scope: str = Scope.MINE) -> Iterator[Deadline]:
    """«Подписать протокол»: the chair's and the secretary's task while their signature is missing (in
    ``Scope.ORGANIZATION``, every signer's of the overseen organizations)."""
    closed = Attendance.objects.filter(role__in=SIGNERS, present=True, meeting__status=MeetingStatus.CLOSED)
    seats = closed.filter(member__user=user)
    oversee = organization_ids_in_scope(user, scope) if scope == Scope.ORGANIZATION else set()
    if oversee is None or oversee:
        seats = seats | in_scope(closed, oversee, "meeting__commission__organization_id")
    ids = list(seats.order_by().values_list("pk", flat=True).distinct())  # the ids first: cheap when there are none
    seats = Attendance.objects.filter(pk__in=ids).select_related("meeting__commission__organization", "member__user")
    for seat in seats if ids else []:
        meeting = seat.meeting
        if seat in _unsigned_seats(meeting):
            yield Deadline(
                title=_("Подписать протокол %(label)s") % {"label": meeting.label},
                due=_sign_due(meeting),
                rule=_("протокол подписывают председатель и секретарь; решения вступают в силу после подписания"),
                source="commission.protocol",
                url=f"/commission/meetings/{meeting.pk}/",
                organization=str(meeting.commission.organization),
                key=f"commission.protocol:seat:{seat.pk}",
                kind=_("подпись протокола"),
                owner=Owner.of(seat.member.user),
                organization_id=meeting.commission.organization_id,
            )


def _notify(meeting: Meeting, tag: str, kind: str, addressees: list[Addressee], compose: Any) -> None:
    """One letter per addressee about ``meeting`` for the event ``tag``, linked to the meeting's page."""
    notify(
        event=f"commission.meeting:{meeting.pk}:{tag}",
        about=f"commission.meeting:{meeting.pk}",
        kind=kind,
        organization=meeting.commission.organization,
        addressees=addressees,
        compose=compose,
        url=f"/commission/meetings/{meeting.pk}/",
    )


def _letter_to_sign(meeting: Meeting) -> None:
    addressees = [Addressee.of_user(seat.member.user, seat.get_role_display()) for seat in _unsigned_seats(meeting)]

    def compose(who: Addressee) -> Message:
        return who.letter(
            _("Протокол %(label)s ждёт вашей подписи") % {"label": meeting.label},
            _(
                "Голосование на заседании «%(commission)s» %(date)s завершено. Протокол %(label)s ждёт подписей "
                "председателя и секретаря: решения вступят в силу после них."
            )
            % {"commission": meeting.commission.title, "date": f"{meeting.date:%d.%m.%Y}", "label": meeting.label},
        )

    _notify(meeting, "to-sign", "protocol_to_sign", addressees, compose)


def _letter_to_approve(meeting: Meeting) -> None:
    from ridbook.commission.services import dissent_due

    organization = meeting.commission.organization
    capacity = _("утверждающий решение")
    addressees = [Addressee.of_user(user, capacity) for user in users_who_may(Action.DECISION_APPROVE, organization)]
    due = dissent_due(meeting)

    def compose(who: Addressee) -> Message:
        body = _(
            "К протоколу %(label)s заседания «%(commission)s» приложено особое мнение. Решение по этим вопросам "
            "вступит в силу после вашей резолюции: утвердить его или вернуть на повторное рассмотрение с "
            "привлечением экспертов (ВГТУ 5.4.4)."
        ) % {"label": meeting.label, "commission": meeting.commission.title}
        if due:
            body += "\n" + _("Срок представления: %(date)s.") % {"date": f"{due:%d.%m.%Y}"}
        return who.letter(_("Особое мнение: протокол %(label)s ждёт резолюции") % {"label": meeting.label}, body)

    _notify(meeting, "dissent", "dissent_to_approve", addressees, compose)


def on_meeting_saved(sender: Any, instance: Meeting, created: bool, **kwargs: Any) -> None:
    """Each state that starts a wait writes its letters once (the outbox refuses a second letter per event)."""
    if kwargs.get("raw"):
        return
    if instance.status == MeetingStatus.CLOSED:
        _letter_to_sign(instance)
    elif (
        instance.status == MeetingStatus.SIGNED
        and not hasattr(instance, "resolution")
        and instance.items.filter(dissents__isnull=False).exists()
    ):
        _letter_to_approve(instance)


def connect() -> None:
    post_save.connect(on_meeting_saved, sender=Meeting, dispatch_uid="commission.inbox.meeting")
