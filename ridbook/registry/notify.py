"""Letters about a notice of creation: submitted → the IP department; returned, accepted → the authors; the
commission's decision → the authors and the IP department. Each is written once per event (``notifications``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, users_who_may
from ridbook.notifications.services import Addressee, Message, notify
from ridbook.registry.choices import NoticeEventKind
from ridbook.registry.models import NoticeEvent, Rid


def authors_of(rid: Rid) -> list[Addressee]:
    capacity = _("автор")
    return [
        Addressee.of_person(a.person, capacity)
        for a in rid.authorships.select_related("person__user").order_by("order", "pk")
    ]


def ip_department_of(rid: Rid) -> list[Addressee]:
    capacity = _("подразделение по ИС")
    return [Addressee.of_user(user, capacity) for user in users_who_may(Action.NOTICE_REVIEW, rid.organization)]


def _names(rid: Rid) -> dict[str, str]:
    return {"number": rid.number, "title": rid.title, "organization": str(rid.organization)}


def _submitted(rid: Rid, event: NoticeEvent) -> tuple[list[Addressee], Any]:
    def compose(who: Addressee) -> Message:
        return who.letter(
            _("Подано уведомление %(number)s «%(title)s»") % _names(rid),
            _(
                "Подано уведомление о создании РИД %(number)s «%(title)s» (%(organization)s), подал(а): %(actor)s.\n"
                "Проверьте комплектность: примите уведомление или верните его на доработку с причинами."
            )
            % {**_names(rid), "actor": event.actor_label},
        )

    return ip_department_of(rid), compose


def _returned(rid: Rid, event: NoticeEvent) -> tuple[list[Addressee], Any]:
    def compose(who: Addressee) -> Message:
        return who.letter(
            _("Уведомление %(number)s возвращено на доработку") % _names(rid),
            _(
                "Уведомление о создании РИД %(number)s «%(title)s» возвращено на доработку.\nПричины: %(reasons)s\n\n"
                "Исправьте уведомление и подайте его снова."
            )
            % {**_names(rid), "reasons": event.reasons},
        )

    return authors_of(rid), compose


def _accepted(rid: Rid, event: NoticeEvent) -> tuple[list[Addressee], Any]:
    def compose(who: Addressee) -> Message:
        return who.letter(
            _("Уведомление %(number)s принято") % _names(rid),
            _(
                "Уведомление о создании РИД %(number)s «%(title)s» принято подразделением по ИС и поставлено в "
                "очередь комиссии по ИС. О заседании, на котором его рассмотрят, придёт отдельное письмо."
            )
            % _names(rid),
        )

    return authors_of(rid), compose


def _decided(rid: Rid, event: NoticeEvent) -> tuple[list[Addressee], Any]:
    def compose(who: Addressee) -> Message:
        body = _("Комиссия по ИС приняла решение по РИД %(number)s «%(title)s»:\n%(decision)s") % {
            **_names(rid),
            "decision": event.reasons,
        }
        if rid.next_step:
            body += "\n\n" + _("Дальше: %(step)s") % {"step": rid.next_step}
        return who.letter(_("Решение комиссии по ИС: %(number)s «%(title)s»") % _names(rid), body)

    return [*authors_of(rid), *ip_department_of(rid)], compose


LETTERS = {
    NoticeEventKind.SUBMITTED: ("notice_submitted", _submitted),
    NoticeEventKind.RETURNED: ("notice_returned", _returned),
    NoticeEventKind.ACCEPTED: ("notice_accepted", _accepted),
    NoticeEventKind.COMMISSION_DECISION: ("commission_decision", _decided),
}


def _part_of_a_decision(event: NoticeEvent) -> bool:
    """The commission's decision «вернуть на доработку» records a return right after the decision itself: the
    decision's letter already says it."""
    previous = NoticeEvent.objects.filter(rid_id=event.rid_id, pk__lt=event.pk).order_by("-pk").first()
    return (
        previous is not None
        and previous.kind == NoticeEventKind.COMMISSION_DECISION
        and event.at - previous.at < timedelta(minutes=1)
    )


def on_notice_event(sender: Any, instance: NoticeEvent, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.kind not in LETTERS:
        return
    if instance.kind == NoticeEventKind.RETURNED and _part_of_a_decision(instance):
        return
    kind, letter = LETTERS[NoticeEventKind(instance.kind)]
    rid = Rid.objects.select_related("organization").get(pk=instance.rid_id)
    addressees, compose = letter(rid, instance)
    notify(
        event=f"registry.rid:{rid.pk}:event:{instance.pk}",
        about=f"registry.rid:{rid.pk}",
        kind=kind,
        organization=rid.organization,
        addressees=addressees,
        compose=compose,
        url=f"/registry/{rid.pk}/",
    )


def connect() -> None:
    post_save.connect(on_notice_event, sender=NoticeEvent, dispatch_uid="registry.notify.notice_event")
