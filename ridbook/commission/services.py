"""Writes of the commission: composition, meetings, agenda, experts, notices, attendance, votes, dissent, protocol.

Every function checks the permission, runs in one transaction and raises :class:`DomainError` with a Russian
message; the web views, the API and the tests call the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, can, require, require_colleague, require_target
from ridbook.audit.context import acting_as
from ridbook.commission import rules as counting
from ridbook.commission.choices import (
    OUTCOMES_BY_KIND,
    OUTCOMES_WITH_REASON,
    VGTU,
    Absence,
    ApproverVerdict,
    ItemKind,
    MeetingStatus,
    MemberRole,
    Outcome,
    VoteChoice,
)
from ridbook.commission.models import (
    AgendaItem,
    ApproverResolution,
    Attendance,
    Commission,
    CommissionMember,
    Dissent,
    ExpertInvitation,
    Meeting,
    Vote,
)
from ridbook.commission.selectors import active_members, commission_rules, queue
from ridbook.core.errors import DomainError, PermissionDeniedError, invalid
from ridbook.core.uploads import check_upload, document_limits
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import descendant_ids
from ridbook.registry.choices import (
    DECIDED,
    NoticeEventKind,
    ProtectionForm,
    RidKind,
    RidStatus,
    RightsHolder,
)
from ridbook.registry.models import NoticeEvent, Rid
from ridbook.registry.selectors import person_of, rid_filing_blockers
from ridbook.workdays.calendar import working_days_before, working_days_between

# which forms of protection fit which kind of RID (SPEC §1)
FORMS_FOR_KIND: dict[str, tuple[str, ...]] = {
    RidKind.INVENTION: (ProtectionForm.INVENTION, ProtectionForm.UTILITY_MODEL),
    RidKind.UTILITY_MODEL: (ProtectionForm.UTILITY_MODEL, ProtectionForm.INVENTION),
    RidKind.INDUSTRIAL_DESIGN: (ProtectionForm.INDUSTRIAL_DESIGN,),
    RidKind.SOFTWARE: (ProtectionForm.SOFTWARE,),
    RidKind.DATABASE: (ProtectionForm.DATABASE,),
    RidKind.KNOW_HOW: (),
    RidKind.OTHER: (),
}
OPEN_MEETING = (MeetingStatus.PLANNED, MeetingStatus.NOTIFIED)
OPEN_AGENDA = (*OPEN_MEETING, MeetingStatus.OPEN, MeetingStatus.CLOSED)


def _invalid(errors: dict[str, str], prefix: str | None = None) -> DomainError:
    return invalid(errors, _("Не сохранено") if prefix is None else prefix)


def _label(actor: Any) -> str:
    return getattr(actor, "full_name", "") or getattr(actor, "username", "") or str(actor)


def _country(commission: Commission) -> str:
    return commission.organization.country


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update().select_related("commission", "commission__organization").get(pk=meeting.pk)
    )


def _require_status(meeting: Meeting, allowed: tuple[str, ...], doing: str) -> None:
    if meeting.status not in allowed:
        raise DomainError(
            _("Заседание %(meeting)s — «%(status)s»: %(doing)s сейчас нельзя.")
            % {"meeting": meeting.label, "status": meeting.get_status_display(), "doing": doing},
            code="wrong_state",
        )


# --- composition --------------------------------------------------------------------------------------------------


def commission_create(
    *,
    actor: Any,
    organization: Organization,
    order_number: str,
    order_date: date,
    title: str = "",
    default_place: str = "",
) -> Commission:
    """Новая комиссия по приказу; прежняя комиссия организации перестаёт действовать."""
    require_target(actor, Action.MEETING_MANAGE, organization)
    errors = {}
    if not order_number.strip():
        errors["order_number"] = _("Укажите номер приказа о составе комиссии.")
    if order_date > timezone.localdate():
        errors["order_date"] = _("Дата приказа не может быть в будущем (%(date)s).") % {
            "date": f"{order_date:%d.%m.%Y}"
        }
    if errors:
        raise _invalid(errors, _("Комиссия не создана"))
    with transaction.atomic(), acting_as(actor):
        require(actor, Action.MEETING_MANAGE, organization)
        Commission.objects.filter(organization=organization, is_active=True).update(is_active=False)
        rules = commission_rules(Commission(organization=organization))
        return Commission.objects.create(
            organization=organization,
            title=title.strip() or rules.title,
            order_number=order_number.strip(),
            order_date=order_date,
            default_place=default_place.strip(),
        )


def member_add(*, actor: Any, commission: Commission, user: Any, role: str, position: str) -> CommissionMember:
    require(actor, Action.MEETING_MANAGE, commission.organization)  # permission first, then the target
    require_colleague(user, commission.organization)
    if role not in MemberRole.values:
        raise _invalid({"role": _("Неизвестная роль в комиссии: %(role)s.") % {"role": role}})
    if not position.strip():
        raise _invalid({"position": _("Укажите должность члена комиссии (она входит в протокол).")})
    with transaction.atomic(), acting_as(actor):
        require(actor, Action.MEETING_MANAGE, commission.organization)
        existing = commission.members.filter(user=user).first()
        if existing and existing.is_active:
            raise DomainError(_("%(name)s уже входит в состав комиссии.") % {"name": user.full_name}, code="duplicate")
        if role != MemberRole.MEMBER and commission.members.filter(role=role, is_active=True).exists():
            holder = commission.members.get(role=role, is_active=True)
            raise DomainError(
                _("В комиссии уже есть %(role)s: %(name)s. Сначала выведите его из состава.")
                % {"role": MemberRole(role).label, "name": holder.user.full_name},
                code="duplicate",
            )
        if existing:
            existing.role, existing.position, existing.is_active = role, position.strip(), True
            existing.save()
            return existing
        return CommissionMember.objects.create(commission=commission, user=user, role=role, position=position.strip())


def member_remove(*, actor: Any, member: CommissionMember, order_number: str, order_date: date | None) -> None:
    """Вывести из состава по приказу (номер и дата приказа обязательны; член комиссии остаётся в протоколах прошлых
    заседаний)."""
    require(actor, Action.MEETING_MANAGE, member.commission.organization)
    errors = {}
    if not order_number.strip():
        errors["order_number"] = _("Укажите номер приказа, которым член комиссии выводится из состава.")
    if order_date is None:
        errors["order_date"] = _("Укажите дату приказа.")
    elif order_date > timezone.localdate():
        errors["order_date"] = _("Дата приказа не может быть в будущем (%(date)s).") % {
            "date": f"{order_date:%d.%m.%Y}"
        }
    elif order_date < member.commission.order_date:
        errors["order_date"] = _("Приказ о выводе не может быть раньше приказа о составе (%(date)s).") % {
            "date": f"{member.commission.order_date:%d.%m.%Y}"
        }
    if errors:
        raise _invalid(errors, _("Состав не изменён"))
    with transaction.atomic(), acting_as(actor):
        member = CommissionMember.objects.select_for_update().get(pk=member.pk)
        if not member.is_active:
            raise DomainError(
                _("%(name)s уже не входит в состав комиссии.") % {"name": member.user.full_name}, code="wrong_state"
            )
        member.is_active = False
        member.removal_order_number = order_number.strip()
        member.removal_order_date = order_date
        member.save()


def composition_problems(commission: Commission) -> list[str]:
    """What keeps the commission from meeting: size below the policy's minimum, no chair or secretary."""
    rules = commission_rules(commission)
    members = list(active_members(commission))
    problems = []
    if rules.min_members and len(members) < rules.min_members:
        problems.append(
            _("В составе %(count)s чел., а по положению нужно не менее %(minimum)s (%(commission)s).")
            % {"count": len(members), "minimum": rules.min_members, "commission": commission.title}
        )
    roles = {m.role for m in members}
    for role in (MemberRole.CHAIR, MemberRole.SECRETARY):
        if role not in roles:
            problems.append(_("Не назначен %(role)s.") % {"role": role.label})
    return problems


# --- meetings and agenda ---------------------------------------------------------------------------------------------


def notice_due(meeting: Meeting) -> date | None:
    """The last day to send notices: n working days before the meeting (VGTU §6.6), by the production calendar."""
    rules = commission_rules(meeting.commission, on=meeting.date)
    if not rules.notice_working_days:
        return None
    return working_days_before(meeting.date, rules.notice_working_days, _country(meeting.commission))


def notice_warning(meeting: Meeting, today: date) -> str | None:
    """A warning when notices sent today would come later than the policy allows."""
    if meeting.entered_after_fact:
        return None  # it has taken place: nobody is notified
    rules = commission_rules(meeting.commission, on=meeting.date)
    due = notice_due(meeting)
    if due is None or today <= due:
        return None
    left = working_days_between(today, meeting.date, _country(meeting.commission))
    return _(
        "До заседания %(date)s остаётся %(left)s раб. дн.: уведомить нужно не позднее чем за "
        "%(days)s рабочих дней, то есть до %(due)s включительно (%(vgtu)s 6.6)."
    ) % {
        "date": f"{meeting.date:%d.%m.%Y}",
        "left": max(left, 0),
        "days": rules.notice_working_days,
        "due": f"{due:%d.%m.%Y}",
        "vgtu": VGTU,
    }


def meeting_schedule(
    *,
    actor: Any,
    commission: Commission,
    on: date,
    at: time,
    place: str = "",
    duration_minutes: int = 90,
    after_the_fact: bool = False,
    after_the_fact_reason: str = "",
) -> Meeting:
    """Назначить заседание (дата — сегодня или позже) или внести прошедшее: ``after_the_fact`` — заседание, которое
    уже состоялось, вносится после его проведения с причиной; уведомления о нём не рассылаются, остальные правила
    (явка, кворум, голосование, подписи) те же, протокол говорит, когда, кем и почему оно внесено."""
    require(actor, Action.MEETING_MANAGE, commission.organization)
    now = timezone.localtime()
    errors = {}
    reason = after_the_fact_reason.strip()
    if after_the_fact:
        if timezone.make_aware(datetime.combine(on, at)) > now:
            errors["date"] = _(
                "Заседание %(date)s в %(time)s ещё не состоялось: внести его как прошедшее нельзя, назначьте его "
                "обычным порядком."
            ) % {"date": f"{on:%d.%m.%Y}", "time": f"{at:%H:%M}"}
        elif on < commission.order_date:
            errors["date"] = _(
                "Комиссия в этом составе утверждена приказом от %(order)s: заседание %(date)s она провести не могла."
            ) % {"order": f"{commission.order_date:%d.%m.%Y}", "date": f"{on:%d.%m.%Y}"}
        if not reason:
            errors["after_the_fact_reason"] = _("Укажите, почему заседание вносится после его проведения.")
    elif on < now.date():
        errors["date"] = _(
            "Дата заседания %(date)s уже прошла. Если заседание состоялось, внесите его как прошедшее: отметьте "
            "«внесено после проведения» и укажите причину."
        ) % {"date": f"{on:%d.%m.%Y}"}
    if not (place.strip() or commission.default_place):
        errors["place"] = _("Укажите место проведения заседания.")
    if not 15 <= duration_minutes <= 600:
        errors["duration_minutes"] = _("Продолжительность — от 15 минут до 10 часов.")
    if errors:
        raise _invalid(errors, _("Заседание не внесено") if after_the_fact else _("Заседание не назначено"))
    if not commission.is_active:
        raise DomainError(_("Комиссия не действует: её состав заменён новым приказом."), code="inactive")
    with transaction.atomic(), acting_as(actor):
        require(actor, Action.MEETING_MANAGE, commission.organization)
        Commission.objects.select_for_update().get(pk=commission.pk)  # serialize protocol numbers
        last = Meeting.objects.filter(commission=commission, year=on.year).aggregate(n=Max("number"))["n"] or 0
        return Meeting.objects.create(
            commission=commission,
            year=on.year,
            number=last + 1,
            date=on,
            time=at,
            duration_minutes=duration_minutes,
            place=place.strip() or commission.default_place,
            created_by=actor if getattr(actor, "pk", None) else None,
            entered_after_fact=after_the_fact,
            entered_after_fact_at=timezone.now() if after_the_fact else None,
            entered_after_fact_by=_label(actor) if after_the_fact else "",
            entered_after_fact_reason=reason if after_the_fact else "",
        )


def after_the_fact_note(meeting: Meeting) -> str:
    """What the protocol and the meeting page say of a meeting entered after it took place; empty otherwise."""
    if not meeting.entered_after_fact:
        return ""
    at = timezone.localtime(meeting.entered_after_fact_at) if meeting.entered_after_fact_at else None
    return _("Сведения о заседании внесены в систему после его проведения: %(at)s, %(by)s; причина: %(reason)s.") % {
        "at": f"{at:%d.%m.%Y %H:%M}" if at else "—",
        "by": meeting.entered_after_fact_by or "—",
        "reason": meeting.entered_after_fact_reason.rstrip("."),
    }


def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Отмена (например, нет кворума): вопросы возвращаются в очередь, номер протокола не переиспользуется."""
    if not reason.strip():
        raise _invalid({"reason": _("Укажите причину отмены заседания.")})
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, (*OPEN_MEETING, MeetingStatus.OPEN), _("отменить заседание"))
        if Vote.objects.filter(item__meeting=meeting).exists():
            raise DomainError(_("По вопросам уже голосовали: заседание нельзя отменить."), code="wrong_state")
        meeting.status = MeetingStatus.CANCELLED
        meeting.save()
        for item in meeting.items.select_related("rid"):
            item.rid.next_step = _("Заседание %(meeting)s отменено (%(reason)s); в очереди на следующее.") % {
                "meeting": meeting.label,
                "reason": reason.strip(),
            }
            item.rid.save(update_fields=["next_step"])
        if meeting.notices_sent_at is not None:  # those who were invited are told, once, after the commit
            from ridbook.commission.tasks import send_meeting_cancellations

            meeting_id, why = meeting.pk, reason.strip()
            transaction.on_commit(lambda: send_meeting_cancellations.delay(meeting_id, why))
    return meeting


def _re_review_ordered(rid: Rid) -> bool:
    """The approver returned the last decision on this RID for a new review with experts (VGTU §5.4.4)."""
    last = (
        AgendaItem.objects.filter(rid=rid, meeting__status=MeetingStatus.SIGNED, kind=ItemKind.APPLICATION)
        .select_related("meeting")
        .order_by("-meeting__date", "-pk")
        .first()
    )
    if last is None or not last.dissents.exists():
        return False
    resolution = getattr(last.meeting, "resolution", None)
    return resolution is not None and resolution.verdict == ApproverVerdict.RE_REVIEW


def agenda_add(
    *, actor: Any, meeting: Meeting, rid: Rid, kind: str = ItemKind.APPLICATION, title: str = ""
) -> AgendaItem:
    require(actor, Action.MEETING_MANAGE, meeting.commission.organization)  # permission first, then the target
    if rid.organization_id not in descendant_ids({meeting.commission.organization_id}):
        raise DomainError(_("РИД не найден среди РИД организации комиссии."), code="not_found", status=404)
    if kind not in ItemKind.values:
        raise _invalid({"kind": _("Неизвестный вид вопроса: %(kind)s.") % {"kind": kind}})
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, OPEN_MEETING, _("менять повестку"))
        redecision = kind == ItemKind.APPLICATION and rid.status in DECIDED
        if redecision:
            if AgendaItem.objects.filter(rid=rid, kind=kind, meeting__status__in=OPEN_AGENDA).exists():
                raise DomainError(
                    _("РИД %(number)s уже в повестке незавершённого заседания.") % {"number": rid.number},
                    code="duplicate",
                )
        elif kind == ItemKind.APPLICATION:
            if not queue(meeting.commission).filter(pk=rid.pk).exists():
                raise DomainError(
                    _(
                        "РИД %(number)s не в очереди комиссии (статус «%(status)s» "
                        "или уже включён в повестку другого заседания)."
                    )
                    % {"number": rid.number, "status": rid.get_status_display()},
                    code="not_in_queue",
                )
        elif rid.status in (RidStatus.DRAFT, RidStatus.SUBMITTED, RidStatus.UNDER_CHECK, RidStatus.RETURNED):
            raise DomainError(
                _("РИД %(number)s ещё не рассмотрен комиссией.") % {"number": rid.number}, code="wrong_state"
            )
        if meeting.items.filter(rid=rid, kind=kind).exists():
            raise DomainError(
                _("РИД %(number)s уже в повестке этого заседания.") % {"number": rid.number}, code="duplicate"
            )
        order = (meeting.items.aggregate(n=Max("order"))["n"] or 0) + 1
        with translation.override(settings.LANGUAGE_CODE):  # the wording of the question is the protocol's, Russian
            default_titles = {
                ItemKind.APPLICATION: (
                    f"О пересмотре решения по РИД «{rid.title}» (№ {rid.number}; прежнее решение: "  # i18n: ru-only (protocol text)
                    f"{rid.get_status_display()})"
                    if redecision
                    else f"О заявке на РИД «{rid.title}» ({rid.get_kind_display()}, № {rid.number})"  # i18n: ru-only (protocol text)
                ),
                ItemKind.MAINTENANCE: (
                    f"О поддержании в силе охранного документа на РИД «{rid.title}» (№ {rid.number})"  # i18n: ru-only (protocol text)
                ),
                ItemKind.VALUATION: (
                    f"Об утверждении балансовой стоимости РИД «{rid.title}» (№ {rid.number})"  # i18n: ru-only (protocol text)
                ),
            }
        return AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            kind=kind,
            rid=rid,
            title=(title.strip() or default_titles[ItemKind(kind)])[:600],
            requires_experts=kind == ItemKind.APPLICATION and _re_review_ordered(rid),
        )


def agenda_from_queue(*, actor: Any, meeting: Meeting) -> list[AgendaItem]:
    """Повестка из очереди: одна заявка — один вопрос (VGTU §6.3), по дате поступления."""
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, OPEN_MEETING, _("менять повестку"))
        rids = list(queue(meeting.commission))
        if not rids:
            raise DomainError(
                _("Очередь комиссии пуста: принятых уведомлений, ожидающих рассмотрения, нет."), code="empty_queue"
            )
        return [agenda_add(actor=actor, meeting=meeting, rid=rid) for rid in rids]


def agenda_remove(*, actor: Any, item: AgendaItem) -> None:
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(item.meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, OPEN_MEETING, _("менять повестку"))
        item.delete()
        for n, rest in enumerate(meeting.items.order_by("order"), start=1):
            if rest.order != n:
                rest.order = n
                rest.save(update_fields=["order"])


# --- experts ----------------------------------------------------------------------------------------------------------


def expert_errors(item: AgendaItem, user: Any) -> str | None:
    person = person_of(user)
    if person is not None and item.rid.authorships.filter(person=person).exists():
        return _(
            "%(name)s — автор (соавтор) РИД № %(number)s: автор не может быть экспертом по своей заявке (%(vgtu)s 3.4)."
        ) % {"name": user.full_name, "number": item.rid.number, "vgtu": VGTU}
    return None


def expert_invite(*, actor: Any, item: AgendaItem, user: Any, position: str = "") -> ExpertInvitation:
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(item.meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        require_colleague(user, meeting.commission.organization)
        _require_status(meeting, (*OPEN_MEETING, MeetingStatus.OPEN), _("приглашать экспертов"))
        problem = expert_errors(item, user)
        if problem:
            raise DomainError(problem, code="expert_is_author", details={"fields": {"user": problem}})
        if item.experts.filter(user=user).exists():
            raise DomainError(
                _("%(name)s уже приглашён экспертом по этому вопросу.") % {"name": user.full_name}, code="duplicate"
            )
        return ExpertInvitation.objects.create(item=item, user=user, position=position.strip())


def expert_opinion(
    *, actor: Any, invitation: ExpertInvitation, text: str, file: UploadedFile | None = None
) -> ExpertInvitation:
    if not text.strip() and file is None:
        raise _invalid(
            {"opinion": _("Заключение эксперта даётся в письменной форме: введите текст или приложите файл.")}
        )
    if file is not None:
        check_upload(file, document_limits())
    with transaction.atomic(), acting_as(actor):
        invitation = ExpertInvitation.objects.select_for_update().select_related("item__meeting").get(pk=invitation.pk)
        if invitation.user_id != actor.pk and not can(
            actor, Action.MEETING_MANAGE, invitation.item.meeting.commission.organization
        ):
            raise PermissionDeniedError(
                _("Заключение представляет сам приглашённый эксперт (или секретарь с его слов).")
            )
        _require_status(invitation.item.meeting, (*OPEN_MEETING, MeetingStatus.OPEN), _("представить заключение"))
        invitation.opinion = text.strip()
        if file is not None:
            invitation.opinion_file.save(file.name or "opinion", file, save=False)
        invitation.opinion_at = timezone.now()
        invitation.save()
    return invitation


# --- notices --------------------------------------------------------------------------------------------------------


def notices_send(*, actor: Any, meeting: Meeting, confirm_late: bool = False) -> list[str]:
    """Уведомления членам комиссии, авторам и экспертам с приглашением в календарь (ICS). Returns the addresses."""
    from ridbook.commission.notices import recipients
    from ridbook.commission.tasks import send_meeting_notices

    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, OPEN_MEETING, _("рассылать уведомления"))
        if meeting.entered_after_fact:
            raise DomainError(
                _("Заседание внесено после проведения: уведомления о прошедшем заседании не рассылаются."),
                code="entered_after_fact",
            )
        if not meeting.items.exists():
            raise DomainError(_("Повестка пуста: сначала включите вопросы."), code="empty_agenda")
        warning = notice_warning(meeting, timezone.localdate())
        if warning and not confirm_late:
            raise DomainError(warning + " " + _("Подтвердите отправку с опозданием."), code="notice_late")
        addresses = recipients(meeting)
        if not addresses:
            raise DomainError(_("Ни у кого из адресатов нет e-mail."), code="no_recipients")
        meeting.notices_sent_at = timezone.now()
        meeting.notices_late = bool(warning)
        meeting.status = MeetingStatus.NOTIFIED
        meeting.save()
        meeting_id = meeting.pk
        transaction.on_commit(lambda: send_meeting_notices.delay(meeting_id))
    return [r.email for r in addresses]


# --- the meeting itself ----------------------------------------------------------------------------------------------


def meeting_open(*, actor: Any, meeting: Meeting, confirm_unnotified: bool = False) -> Meeting:
    """Открыть заседание: состав на сегодня фиксируется в листе явки. Заседание, о котором уведомления не
    рассылались, открывается только с подтверждением; протокол это записывает."""
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, OPEN_MEETING, _("открыть заседание"))
        today = timezone.localdate()
        if meeting.date > today:
            raise DomainError(
                _("Заседание назначено на %(date)s: открыть его можно в день заседания.")
                % {"date": f"{meeting.date:%d.%m.%Y}"},
                code="too_early",
            )
        problems = composition_problems(meeting.commission)
        if problems:
            raise DomainError(
                _("Комиссия не может заседать: %(problems)s") % {"problems": " ".join(problems)}, code="composition"
            )
        if not meeting.items.exists():
            raise DomainError(_("Повестка пуста."), code="empty_agenda")
        if meeting.notices_sent_at is None and not meeting.entered_after_fact:  # a past meeting: no letters
            if not confirm_unnotified:
                raise DomainError(
                    _(
                        "Уведомления о заседании не рассылались: члены комиссии и авторы могли о нём не знать. Разошлите "
                        "уведомления или подтвердите открытие без них — протокол это запишет."
                    ),
                    code="not_notified",
                )
            meeting.opened_unnotified_by = _label(actor)
        for member in active_members(meeting.commission):
            Attendance.objects.get_or_create(
                meeting=meeting, member=member, defaults={"role": member.role, "position": member.position}
            )
        meeting.status = MeetingStatus.OPEN
        meeting.opened_at = timezone.now()
        meeting.save()
    return meeting


def attendance_mark(
    *, actor: Any, meeting: Meeting, member: CommissionMember, present: bool, absence: str = "", note: str = ""
) -> Attendance:
    if present:
        absence = ""
    elif absence not in (Absence.EXCUSED, Absence.UNEXCUSED):
        raise _invalid({"absence": _("Отметьте, уважительна ли причина отсутствия.")})
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, (MeetingStatus.OPEN,), _("отмечать явку"))
        row = meeting.attendance.select_for_update().filter(member=member).first()
        if row is None:
            raise DomainError(
                _("%(name)s не входит в состав на дату заседания.") % {"name": member.user.full_name}, code="not_member"
            )
        if not present and Vote.objects.filter(item__meeting=meeting, member=member).exists():
            raise DomainError(
                _("%(name)s уже голосовал: отметить его отсутствующим нельзя.") % {"name": member.user.full_name},
                code="already_voted",
            )
        row.present, row.absence, row.note = present, absence, note.strip()
        row.save()
    return row


def meeting_quorum(meeting: Meeting) -> counting.Quorum:
    rules = commission_rules(meeting.commission, on=meeting.date)
    rows = list(meeting.attendance.all())
    if not rows:
        members = active_members(meeting.commission).count()
        return counting.quorum(present=0, members=max(members, 1), rules=rules)
    return counting.quorum(present=sum(1 for r in rows if r.present), members=len(rows), rules=rules)


def _outcome_errors(item: AgendaItem, outcome: str, protection_form: str, reason: str, amount: Decimal | None) -> dict:
    errors: dict[str, str] = {}
    allowed = OUTCOMES_BY_KIND[ItemKind(item.kind)]
    if outcome not in allowed:
        errors["outcome"] = _("Выберите решение из предложенных для этого вопроса.")
        return errors
    if outcome == Outcome.FILE:
        forms = FORMS_FOR_KIND[RidKind(item.rid.kind)]
        if not forms:
            errors["protection_form"] = _(
                "%(kind)s не патентуется и не регистрируется: выберите режим коммерческой тайны или отказ."
            ) % {"kind": str(item.rid.get_kind_display()).capitalize()}
        elif protection_form not in forms:
            labels = ", ".join(str(ProtectionForm(f).label) for f in forms)
            errors["protection_form"] = _("Для вида «%(kind)s» форма охраны: %(forms)s.") % {
                "kind": item.rid.get_kind_display(),
                "forms": labels,
            }
        blockers = rid_filing_blockers(item.rid)
        if blockers:
            errors["outcome"] = _("Подать заявку нельзя: %(blockers)s") % {
                "blockers": "; ".join(str(b) for b in blockers)
            }
    if outcome in OUTCOMES_WITH_REASON and not reason.strip():
        errors["reason"] = _("Укажите причину (переноса или доработки) — она войдёт в протокол.")
    if outcome == Outcome.VALUATION_APPROVED and (amount is None or amount <= 0):
        errors["valuation_amount"] = _("Укажите балансовую стоимость в рублях (больше нуля).")
    return errors


def item_propose(
    *,
    actor: Any,
    item: AgendaItem,
    outcome: str,
    protection_form: str = "",
    reason: str = "",
    valuation_amount: Decimal | None = None,
    heard: str | None = None,
    spoke: str | None = None,
) -> AgendaItem:
    """Проект решения по вопросу (ПОСТАНОВИЛИ). Изменение проекта после голосования сбрасывает голоса."""
    errors = _outcome_errors(item, outcome, protection_form, reason, valuation_amount)
    if errors:
        raise _invalid(errors, _("Решение не записано"))
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(item.meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, (MeetingStatus.OPEN,), _("записывать решения"))
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        form = (
            protection_form
            if outcome == Outcome.FILE
            else (ProtectionForm.TRADE_SECRET if outcome == Outcome.TRADE_SECRET else "")
        )
        changed = (item.outcome, item.protection_form, item.reason.strip(), item.valuation_amount) != (
            outcome,
            form,
            reason.strip(),
            valuation_amount,
        )
        if changed:
            item.votes.all().delete()
        item.outcome, item.protection_form, item.reason = outcome, form, reason.strip()
        item.valuation_amount = valuation_amount if outcome == Outcome.VALUATION_APPROVED else None
        if heard is not None:
            item.heard = heard.strip()
        if spoke is not None:
            item.spoke = spoke.strip()
        item.adopted, item.result_text = None, ""
        item.save()
    return item


def vote_cast(*, actor: Any, item: AgendaItem, member: CommissionMember, choice: str) -> Vote:
    """Голос присутствующего члена комиссии: вносит секретарь или сам член комиссии."""
    if choice not in VoteChoice.values:
        raise _invalid({"choice": _("Голос: «за», «против» или «воздержался».")})
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(item.meeting)
        org = meeting.commission.organization
        is_self = member.user_id == getattr(actor, "pk", None)
        if not (can(actor, Action.MEETING_MANAGE, org) or (is_self and can(actor, Action.MEETING_VOTE, org))):
            if ExpertInvitation.objects.filter(item__meeting=meeting, user=actor).exists():
                raise PermissionDeniedError(_("Эксперты не участвуют в голосовании (%(vgtu)s 3.4).") % {"vgtu": VGTU})
            raise PermissionDeniedError(_("Голос вносит секретарь комиссии или сам член комиссии."))
        _require_status(meeting, (MeetingStatus.OPEN,), _("голосовать"))
        if member.commission_id != meeting.commission_id:
            raise DomainError(_("%(name)s не член этой комиссии.") % {"name": member.user.full_name}, code="not_member")
        row = meeting.attendance.filter(member=member).first()
        if row is None or not row.present:
            raise DomainError(
                _(
                    "%(name)s отсутствует на заседании: голосуют только присутствующие члены комиссии, "
                    "заочное голосование не допускается (%(vgtu)s 6.5)."
                )
                % {"name": member.user.full_name, "vgtu": VGTU},
                code="absent_member",
            )
        quorum = meeting_quorum(meeting)
        if not quorum.reached:
            raise DomainError(quorum.message + " " + _("Голосовать нельзя."), code="no_quorum")
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.meeting_id != meeting.pk:
            raise DomainError(_("Вопрос не из повестки этого заседания."), code="invalid")
        if not item.outcome:
            raise DomainError(_("Сначала запишите проект решения по вопросу, затем голосуйте."), code="no_proposal")
        if item.requires_experts and not item.experts.exclude(opinion_at=None).exists():
            raise DomainError(
                _(
                    "По резолюции утверждающего вопрос рассматривается повторно с привлечением экспертов: "
                    "до голосования нужно письменное заключение эксперта."
                ),
                code="expert_opinion_required",
            )
        vote, _created = Vote.objects.update_or_create(
            item=item, member=member, defaults={"choice": choice, "recorded_by": _label(actor)}
        )
        if item.adopted is not None:
            item.adopted, item.result_text = None, ""
            item.save(update_fields=["adopted", "result_text"])
    return vote


def item_tally(item: AgendaItem) -> counting.Outcome:
    meeting = item.meeting
    rules = commission_rules(meeting.commission, on=meeting.date)
    members = meeting.attendance.count() or active_members(meeting.commission).count()
    votes = list(item.votes.select_related("member"))
    chair = next((v for v in votes if v.member.role == MemberRole.CHAIR), None)
    return counting.count_votes(
        votes=[counting.Vote(v.choice) for v in votes],
        members=members,
        rules=rules,
        chair_vote=counting.Vote(chair.choice) if chair else None,
    )


def meeting_close(*, actor: Any, meeting: Meeting) -> Meeting:
    """Завершить голосование: каждый присутствующий проголосовал по каждому вопросу; итоги по правилу политики."""
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.MEETING_MANAGE, meeting.commission.organization)
        _require_status(meeting, (MeetingStatus.OPEN,), _("завершить голосование"))
        unmarked = meeting.attendance.filter(present=None)
        if unmarked.exists():
            names = ", ".join(a.member.user.full_name for a in unmarked.select_related("member__user"))
            raise DomainError(_("Не отмечена явка: %(names)s.") % {"names": names}, code="attendance_incomplete")
        quorum = meeting_quorum(meeting)
        if not quorum.reached:
            raise DomainError(
                quorum.message + " " + _("Отмените заседание: вопросы вернутся в очередь."), code="no_quorum"
            )
        present = set(meeting.attendance.filter(present=True).values_list("member_id", flat=True))
        problems = []
        for item in meeting.items.select_for_update().order_by("order"):
            if not item.outcome:
                problems.append(_("вопрос %(order)s: нет проекта решения") % {"order": item.order})
                continue
            missing = present - set(item.votes.values_list("member_id", flat=True))
            if missing:
                problems.append(
                    _("вопрос %(order)s: проголосовали не все присутствующие (%(missing)s нет)")
                    % {"order": item.order, "missing": len(missing)}
                )
                continue
            try:
                tally = item_tally(item)
            except ValueError as exc:
                problems.append(_("вопрос %(order)s: %(problem)s") % {"order": item.order, "problem": exc})
                continue
            with translation.override(settings.LANGUAGE_CODE):  # the result as the Russian protocol prints it
                result = item_tally(item).message
            item.adopted, item.result_text = tally.adopted, result[:300]
            item.save(update_fields=["adopted", "result_text"])
        if problems:
            raise DomainError(
                _("Голосование не завершено: %(problems)s.") % {"problems": "; ".join(problems)},
                code="voting_incomplete",
            )
        meeting.status = MeetingStatus.CLOSED
        meeting.closed_at = timezone.now()
        meeting.save()
    return meeting


def dissent_add(*, actor: Any, item: AgendaItem, text: str) -> Dissent:
    """Особое мнение: член комиссии, присутствовавший и голосовавший, письменно; до подписания протокола."""
    if not text.strip():
        raise _invalid({"text": _("Изложите особое мнение письменно.")})
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(item.meeting)
        _require_status(meeting, (MeetingStatus.OPEN, MeetingStatus.CLOSED), _("приложить особое мнение"))
        if meeting.chair_signed_at or meeting.secretary_signed_at:
            raise DomainError(
                _("Протокол уже подписан: особое мнение прикладывается до подписания (%(vgtu)s 5.4.3–5.4.4).")
                % {"vgtu": VGTU},
                code="wrong_state",
            )
        member = meeting.commission.members.filter(user=actor).first()
        if member is None:
            raise PermissionDeniedError(_("Особое мнение прикладывает член комиссии."))
        if not meeting.attendance.filter(member=member, present=True).exists():
            raise DomainError(_("Особое мнение прикладывает член комиссии, присутствовавший на заседании."))
        if not item.votes.filter(member=member).exists():
            raise DomainError(_("Особое мнение прикладывают после голосования: сначала проголосуйте по вопросу."))
        if item.dissents.filter(member=member).exists():
            raise DomainError(_("Ваше особое мнение по этому вопросу уже приложено."), code="duplicate")
        return Dissent.objects.create(item=item, member=member, text=text.strip())


# --- protocol ---------------------------------------------------------------------------------------------------------


def protocol_sign(*, actor: Any, meeting: Meeting) -> Meeting:
    """Подпись председателя или секретаря. После обеих подписей протокол, явка и голоса неизменяемы."""
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.PROTOCOL_SIGN, meeting.commission.organization)
        _require_status(meeting, (MeetingStatus.CLOSED,), _("подписать протокол"))
        seat = meeting.attendance.filter(member__user=actor).select_related("member").first()
        if seat is None or seat.role not in (MemberRole.CHAIR, MemberRole.SECRETARY):
            raise PermissionDeniedError(_("Протокол подписывают председатель и секретарь комиссии этого заседания."))
        now, label = timezone.now(), _label(actor)
        if seat.role == MemberRole.CHAIR:
            if meeting.chair_signed_at:
                raise DomainError(_("Председатель уже подписал протокол."), code="duplicate")
            meeting.chair_signed_at, meeting.chair_signed_by = now, label
        else:
            if meeting.secretary_signed_at:
                raise DomainError(_("Секретарь уже подписал протокол."), code="duplicate")
            meeting.secretary_signed_at, meeting.secretary_signed_by = now, label
        if meeting.chair_signed_at and meeting.secretary_signed_at:
            _finalize(meeting, actor)
        else:
            meeting.save()
    return meeting


def _finalize(meeting: Meeting, actor: Any) -> None:
    from ridbook.commission.documents import protocol_docx

    items = list(meeting.items.select_related("rid").order_by("order"))
    for item in items:
        if not item.dissents.exists():
            apply_decision(item, actor)
            item.effective = True
    meeting.status = MeetingStatus.SIGNED
    meeting.save()
    content = protocol_docx(meeting)
    meeting.protocol_docx.save(f"protocol-{meeting.year}-{meeting.number}.docx", ContentFile(content), save=False)
    by = _("подписан: %(chair)s, %(secretary)s") % {
        "chair": meeting.chair_signed_by,
        "secretary": meeting.secretary_signed_by,
    }
    for item in items:
        for record in [*item.votes.all(), *item.experts.all(), *item.dissents.all()]:
            record.lock(by_label=by)
        item.lock(by_label=by)
    for row in meeting.attendance.all():
        row.lock(by_label=by)
    meeting.lock(by_label=by)


def dissent_due(meeting: Meeting) -> date | None:
    """Протокол с особым мнением представляется утверждающему в течение n рабочих дней (ВГТУ 5.4.4)."""
    rules = commission_rules(meeting.commission, on=meeting.date)
    if not rules.dissent_forward_working_days:
        return None
    from ridbook.workdays.calendar import add_working_days

    return add_working_days(meeting.date, rules.dissent_forward_working_days, _country(meeting.commission))


def approver_resolve(*, actor: Any, meeting: Meeting, verdict: str, comment: str = "") -> ApproverResolution:
    if verdict not in ApproverVerdict.values:
        raise _invalid({"verdict": _("Выберите: утвердить решение или вернуть на повторное рассмотрение.")})
    if verdict == ApproverVerdict.RE_REVIEW and not comment.strip():
        raise _invalid({"comment": _("Напишите резолюцию: что рассмотреть повторно и каких экспертов привлечь.")})
    with transaction.atomic(), acting_as(actor):
        meeting = _lock_meeting(meeting)
        require(actor, Action.DECISION_APPROVE, meeting.commission.organization)
        if meeting.status != MeetingStatus.SIGNED:
            raise DomainError(_("Протокол ещё не подписан председателем и секретарём."), code="wrong_state")
        dissent_items = [i for i in meeting.items.select_related("rid").order_by("order") if i.dissents.exists()]
        if not dissent_items:
            raise DomainError(_("В протоколе нет особых мнений: утверждение не требуется."), code="wrong_state")
        if ApproverResolution.objects.filter(meeting=meeting).exists():
            raise DomainError(_("Резолюция по этому протоколу уже есть."), code="duplicate")
        resolution = ApproverResolution.objects.create(
            meeting=meeting, verdict=verdict, comment=comment.strip(), by=actor, by_label=_label(actor)
        )
        for item in dissent_items:
            if verdict == ApproverVerdict.APPROVED:
                apply_decision(item, actor)
            else:
                _event(
                    item.rid,
                    actor,
                    _(
                        "Протокол %(meeting)s: решение возвращено утверждающим на повторное рассмотрение "
                        "с привлечением экспертов. %(comment)s"
                    )
                    % {"meeting": meeting.label, "comment": comment.strip()},
                )
                item.rid.status = RidStatus.ACCEPTED
                item.rid.next_step = _(
                    "Повторное рассмотрение на комиссии с привлечением экспертов (%(vgtu)s 5.4.4)."
                ) % {"vgtu": VGTU}
                item.rid.save()
        resolution.lock(by_label=_label(actor))
    return resolution


def item_is_effective(item: AgendaItem) -> bool:
    if item.effective:
        return True
    resolution = getattr(item.meeting, "resolution", None)
    return resolution is not None and resolution.verdict == ApproverVerdict.APPROVED and item.dissents.exists()


# --- effects on the RID (VGTU §6.7–6.9) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    status: str | None
    rights_holder: str | None
    protection_form: str | None
    next_step: str


def decision_effect(item: AgendaItem) -> Effect:
    label = _("протокол %(meeting)s") % {"meeting": item.meeting.label}
    if not item.adopted:
        return Effect(
            None,
            None,
            None,
            _("Решение не принято (%(protocol)s); вынести вопрос на следующее заседание.") % {"protocol": label},
        )
    form = ProtectionForm(item.protection_form).label if item.protection_form else ""
    words = {"protocol": label, "form": form, "reason": item.reason, "amount": item.valuation_amount, "vgtu": VGTU}
    match item.outcome:
        case Outcome.FILE:
            return Effect(
                RidStatus.FILING,
                RightsHolder.ORGANIZATION,
                item.protection_form,
                _(
                    "Подразделению по ИС: начать оформление — %(form)s, за счёт организации (%(protocol)s; %(vgtu)s 6.9)."
                )
                % words,
            )
        case Outcome.TRADE_SECRET:
            return Effect(
                RidStatus.TRADE_SECRET,
                RightsHolder.ORGANIZATION,
                ProtectionForm.TRADE_SECRET,
                _("Ввести режим коммерческой тайны в отношении РИД (%(protocol)s).") % words,
            )
        case Outcome.NOT_EXPEDIENT:
            return Effect(
                RidStatus.WAIVED,
                RightsHolder.AUTHORS,
                "",
                _(
                    "Организация отказалась от права в пользу авторов; %(protocol)s — доказательство отказа "
                    "(%(vgtu)s 6.8). Уведомить авторов."
                )
                % words,
            )
        case Outcome.POSTPONE:
            return Effect(
                None,
                None,
                None,
                _("Рассмотрение перенесено на следующее заседание: %(reason)s (%(protocol)s).") % words,
            )
        case Outcome.REVISE:
            return Effect(
                RidStatus.RETURNED,
                None,
                None,
                _("Доработать заявку: %(reason)s. Повторное рассмотрение обязательно (%(protocol)s; %(vgtu)s 5.2.2).")
                % words,
            )
        case Outcome.KEEP_IN_FORCE:
            return Effect(
                None, None, None, _("Поддерживать охранный документ в силе: оплатить пошлину (%(protocol)s).") % words
            )
        case Outcome.LET_LAPSE:
            return Effect(
                None, None, None, _("Не поддерживать охранный документ: пошлину не оплачивать (%(protocol)s).") % words
            )
        case Outcome.VALUATION_APPROVED:
            return Effect(
                None,
                None,
                None,
                _("Утверждена балансовая стоимость %(amount)s руб. (%(protocol)s; %(vgtu)s 6.12).") % words,
            )
    raise DomainError(_("Неизвестное решение: %(outcome)s") % {"outcome": item.outcome})


def resolution_text(item: AgendaItem) -> str:
    """ПОСТАНОВИЛИ: the proposal in words, as the protocol prints it."""
    text = str(Outcome(item.outcome).label) if item.outcome else "—"
    if item.outcome == Outcome.FILE and item.protection_form:
        text = f"{text}: {ProtectionForm(item.protection_form).label}"
    if item.reason:
        text = _("%(text)s. Причина: %(reason)s") % {"text": text, "reason": item.reason}
    if item.outcome == Outcome.VALUATION_APPROVED and item.valuation_amount is not None:
        text = _("%(text)s: %(amount)s руб.") % {"text": text, "amount": item.valuation_amount}
    return text


def _event(rid: Rid, actor: Any, text: str) -> None:
    NoticeEvent.objects.create(
        rid=rid,
        kind=NoticeEventKind.COMMISSION_DECISION,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_label(actor),
        reasons=text,
    )


def apply_decision(item: AgendaItem, actor: Any) -> None:
    rid = Rid.objects.select_for_update().get(pk=item.rid_id)
    effect = decision_effect(item)
    if effect.status is not None:
        rid.status = effect.status
    if effect.rights_holder is not None:
        rid.rights_holder = effect.rights_holder
    if effect.protection_form is not None:
        rid.protection_form = effect.protection_form
    if item.kind == ItemKind.APPLICATION and item.adopted and item.outcome not in (Outcome.POSTPONE,):
        rid.decided_on = item.meeting.date
    rid.next_step = effect.next_step[:300]
    rid.save()
    decided = f"{resolution_text(item)} — {item.result_text}" if item.adopted is not None else resolution_text(item)
    _event(
        rid,
        actor,
        _("Протокол %(meeting)s, вопрос %(order)s: %(decided)s")
        % {"meeting": item.meeting.label, "order": item.order, "decided": decided},
    )
    if effect.status == RidStatus.RETURNED:
        NoticeEvent.objects.create(
            rid=rid,
            kind=NoticeEventKind.RETURNED,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=_label(actor),
            reasons=_("Комиссия по ИС, протокол %(meeting)s: %(reason)s")
            % {"meeting": item.meeting.label, "reason": item.reason},
        )
    if (
        item.kind == ItemKind.MAINTENANCE
        and item.adopted
        and item.outcome in (Outcome.KEEP_IN_FORCE, Outcome.LET_LAPSE)
    ):
        from ridbook.protection.services import upkeep_from_agenda_item  # the protection app keeps the decision

        upkeep_from_agenda_item(item, actor)
