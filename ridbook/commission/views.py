"""Pages of the commission: the secretary's plan, agenda, attendance, voting grid and protocol; members' meetings,
dissent and expert opinions; the approver's resolutions. Every write is a service call; a refusal is shown as a
message on the same page and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from ridbook.accounts.permissions import Action, can, colleagues_of, organization_ids_for, require
from ridbook.commission import services as cs
from ridbook.commission.choices import OUTCOMES_BY_KIND, VGTU, Absence, MeetingStatus, MemberRole, Outcome, VoteChoice
from ridbook.commission.documents import pdf_available
from ridbook.commission.forms import (
    CommissionForm,
    MemberForm,
    MemberRemovalForm,
    MoveForm,
    PastMeetingForm,
    ProposalForm,
    ResolutionForm,
    ScheduleForm,
)
from ridbook.commission.models import AgendaItem, Commission, CommissionMember, ExpertInvitation, Meeting
from ridbook.commission.notices import unreachable
from ridbook.commission.selectors import (
    active_members,
    awaiting_approval,
    can_see_meeting,
    commission_rules,
    commissions_visible_to,
    items_visible_to,
    meetings_for_member,
    policy_of,
    quarters,
    quarters_without_meeting,
    queue,
    require_whole_meeting,
    sees_whole_meeting,
    sorted_members,
    unexcused_absences,
)
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.core.files import attachment
from ridbook.core.russian import agree
from ridbook.notifications.services import not_notified_about
from ridbook.organizations.models import Organization
from ridbook.organizations.selectors import descendant_ids
from ridbook.registry.choices import DECIDED
from ridbook.registry.models import Rid
from ridbook.registry.selectors import rid_filing_blockers, rids_visible_to


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, Action.COMMISSION_VIEW)
    return render(
        request,
        "commission/index.html",
        {
            "commissions": commissions_visible_to(user),
            "my_meetings": meetings_for_member(user)[:50],
            "awaiting": awaiting_approval(user) if can(user, Action.DECISION_APPROVE) else [],
            "can_create": can(user, Action.MEETING_MANAGE),
        },
    )


def _manage_orgs(user: Any) -> Any:
    ids = organization_ids_for(user, Action.MEETING_MANAGE)
    qs = Organization.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


@login_required
def commission_new(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.MEETING_MANAGE):
        raise PermissionDeniedError(_("Комиссию создаёт секретарь комиссии."))
    form = CommissionForm(request.POST or None, organizations=_manage_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            commission = cs.commission_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Комиссия создана по приказу № %(number)s.") % {"number": commission.order_number}
            )
            return redirect("commission:detail", commission.pk)
    return render(request, "commission/commission_form.html", {"form": form})


def _form_errors(form: Any, exc: DomainError) -> None:
    fields = exc.details.get("fields") or {}
    placed = False
    for name, text in fields.items():
        if name in form.fields:
            form.add_error(name, text)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _commission(request: HttpRequest, pk: int) -> Commission:
    commission = get_object_or_404(Commission.objects.select_related("organization"), pk=pk)
    if not commissions_visible_to(request.user).filter(pk=pk).exists():
        raise Http404
    return commission


def _candidates(commission: Commission) -> Any:
    taken = commission.members.filter(is_active=True).values("user_id")
    return colleagues_of(commission.organization).exclude(pk__in=taken).order_by("last_name", "first_name")


@login_required
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commission = _commission(request, pk)
    today = timezone.localdate()
    manage = can(request.user, Action.MEETING_MANAGE, commission.organization)
    absences = unexcused_absences(commission)
    members = [(m, absences.get(m.pk, 0)) for m in sorted_members(active_members(commission))]
    return render(
        request,
        "commission/commission_detail.html",
        {
            "commission": commission,
            "rules": commission_rules(commission),
            "policy": policy_of(commission),
            "members": members,
            "problems": cs.composition_problems(commission),
            "meetings": commission.meetings.all(),
            "quarters": quarters(commission, today.year, today),
            "missed": quarters_without_meeting(commission, today),
            "queue": [(rid, _decision_due(rid), rid_filing_blockers(rid)) for rid in queue(commission)]
            if manage
            else [],
            "manage": manage,
            "member_form": MemberForm(users=_candidates(commission)) if manage else None,
            "schedule_form": ScheduleForm(initial={"place": commission.default_place}) if manage else None,
            "past_form": PastMeetingForm(initial={"place": commission.default_place}) if manage else None,
            "today": today,
        },
    )


def _decision_due(rid: Rid) -> Any:
    from ridbook.registry.deadlines import rid_deadlines

    return next((d.due for d in rid_deadlines(rid) if d.source == "registry.decision"), None)


@login_required
@require_POST
def commission_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    commission = _commission(request, pk)
    user = request.user
    try:
        if action == "member-add":
            form = MemberForm(request.POST, users=_candidates(commission))
            if not form.is_valid():
                raise DomainError(_first_error(form))
            cs.member_add(actor=user, commission=commission, **form.cleaned_data)
            added = form.cleaned_data["user"]
            verb = _agreed(added, pgettext("masculine", "включён"), pgettext("feminine", "включена"))
            messages.success(
                request, _("%(name)s %(verb)s в состав комиссии.") % {"name": added.full_name, "verb": verb}
            )
        elif action == "member-remove":
            member = get_object_or_404(CommissionMember, pk=request.POST.get("member"), commission=commission)
            removal = MemberRemovalForm(request.POST)
            if not removal.is_valid():
                raise DomainError(_first_error(removal))
            cs.member_remove(
                actor=user,
                member=member,
                order_number=removal.cleaned_data["order_number"],
                order_date=removal.cleaned_data["order_date"],
            )
            verb = _agreed(member.user, pgettext("masculine", "выведен"), pgettext("feminine", "выведена"))
            messages.success(
                request, _("%(name)s %(verb)s из состава комиссии.") % {"name": member.user.full_name, "verb": verb}
            )
        elif action in ("schedule", "enter-past"):
            past = action == "enter-past"
            schedule = PastMeetingForm(request.POST) if past else ScheduleForm(request.POST)
            if not schedule.is_valid():
                raise DomainError(_first_error(schedule))
            data = schedule.cleaned_data
            meeting = cs.meeting_schedule(
                actor=user,
                commission=commission,
                on=data["date"],
                at=data["time"],
                place=data["place"],
                duration_minutes=data["duration_minutes"] or 90,
                after_the_fact=past,
                after_the_fact_reason=data.get("after_the_fact_reason", ""),
            )
            if past:
                messages.success(
                    request,
                    _(
                        "Заседание %(label)s внесено после проведения; уведомления о нём не рассылаются. Включите "
                        "вопросы в повестку, откройте заседание и внесите явку и голоса."
                    )
                    % {"label": meeting.label},
                )
                return redirect("commission:meeting", meeting.pk)
            messages.success(request, _("Заседание %(meeting)s назначено.") % {"meeting": meeting.label})
            late = cs.notice_warning(meeting, timezone.localdate())
            if late:
                messages.warning(request, late)
            return redirect("commission:meeting", meeting.pk)
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("commission:detail", commission.pk)


def _agreed(who: Any, masculine: str, feminine: str) -> str:
    """The form of a participle that agrees with the person; a language without the two forms (English) has one."""
    return masculine if masculine == feminine else agree(who, masculine, feminine)


def _first_error(form: Any) -> str:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return _("Проверьте введённые данные.")


# --- the meeting page -----------------------------------------------------------------------------------------------


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("commission", "commission__organization"), pk=pk)
    visible = organization_ids_for(request.user, Action.ORGANIZATION_VIEW)
    if visible is not None and meeting.commission.organization_id not in visible:
        raise Http404  # another tree's meeting: not even its existence is told
    if not can_see_meeting(request.user, meeting):
        raise PermissionDeniedError(
            _(
                "Материалы заседания конфиденциальны: их видят члены комиссии, приглашённые эксперты и подразделение по ИС."
            )
        )
    return meeting


def _typed_key(meeting: Meeting) -> str:
    return f"ridbook-proposal-{meeting.pk}"


def _keep_typed(request: HttpRequest, meeting: Meeting, action: str) -> None:
    """A refused proposal keeps what was typed (СЛУШАЛИ, ВЫСТУПИЛИ, the outcome…) for the page shown next."""
    if action != "propose":
        return
    item = request.POST.get("item", "")
    prefix = f"i{item}-"
    typed = {key[len(prefix) :]: value for key, value in request.POST.items() if key.startswith(prefix)}
    request.session[_typed_key(meeting)] = {"item": item, "typed": typed}


def _item_view(
    item: AgendaItem, meeting: Meeting, present_ids: set[int], user: Any, typed: dict[str, str] | None = None
) -> dict[str, Any]:
    votes = {v.member_id: v.choice for v in item.votes.all()}
    tally: Any = None
    if votes:
        try:
            tally = cs.item_tally(item)
        except ValueError as exc:
            tally = str(exc)
    own_dissent = any(d.member.user_id == user.pk for d in item.dissents.all())
    return {
        "item": item,
        "packet": list(item.rid.packet.all()),
        "votes": votes,
        "tally": tally,
        "voted": len(votes),
        "present": len(present_ids),
        "outcomes": OUTCOMES_BY_KIND[item.kind],
        "form": ProposalForm(
            initial=typed
            or {
                "outcome": item.outcome,
                "protection_form": item.protection_form,
                "reason": item.reason,
                "valuation_amount": item.valuation_amount,
                "heard": item.heard,
                "spoke": item.spoke,
            },
            prefix=f"i{item.pk}",
        ),
        "resolution": cs.resolution_text(item) if item.outcome else "",
        "experts": list(item.experts.all()),
        "dissents": list(item.dissents.all()),
        "own_dissent": own_dissent,
        "effective": cs.item_is_effective(item) if meeting.status == MeetingStatus.SIGNED else None,
    }


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    user: Any = request.user
    org = meeting.commission.organization
    manage = can(user, Action.MEETING_MANAGE, org)
    attendance = sorted_members(meeting.attendance.select_related("member__user"))
    present_ids = {a.member_id for a in attendance if a.present}
    items = items_visible_to(user, meeting).prefetch_related("votes__member", "experts__user", "dissents__member__user")
    seat = meeting.commission.members.filter(user=user, is_active=True).first()
    my_row = next((a for a in attendance if seat and a.member_id == seat.pk), None)
    today = timezone.localdate()
    status = meeting.status
    kept = request.session.pop(_typed_key(meeting), None) or {}
    item_views = [
        _item_view(i, meeting, present_ids, user, kept.get("typed") if kept.get("item") == str(i.pk) else None)
        for i in items
    ]
    return render(
        request,
        "commission/meeting.html",
        {
            "meeting": meeting,
            "commission": meeting.commission,
            "items": item_views,
            "attendance": attendance,
            "present_members": [a for a in attendance if a.present],
            "quorum": cs.meeting_quorum(meeting) if attendance else None,
            "manage": manage,
            "editable_agenda": manage and status in cs.OPEN_MEETING,
            "running": status == MeetingStatus.OPEN,
            "queue": queue(meeting.commission) if manage and status in cs.OPEN_MEETING else [],
            "decided": _decided_rids(meeting) if manage and status in cs.OPEN_MEETING else [],
            "experts_pool": _experts_pool(meeting) if manage else [],
            "whole_meeting": sees_whole_meeting(user, meeting),
            "pdf_available": pdf_available(),
            "after_the_fact_note": cs.after_the_fact_note(meeting),
            "notice_due": cs.notice_due(meeting),
            "not_notified": unreachable(meeting) if manage else [],
            "letters_not_notified": not_notified_about(f"commission.meeting:{meeting.pk}") if manage else [],
            "notice_warning": cs.notice_warning(meeting, today) if status in cs.OPEN_MEETING else None,
            "my_vote_member": seat if (my_row and my_row.present and can(user, Action.MEETING_VOTE, org)) else None,
            "may_dissent": bool(my_row and my_row.present)
            and status in (MeetingStatus.OPEN, MeetingStatus.CLOSED)
            and not (meeting.chair_signed_at or meeting.secretary_signed_at),
            "may_sign": status == MeetingStatus.CLOSED
            and my_row is not None
            and (
                (my_row.role == MemberRole.CHAIR and not meeting.chair_signed_at)
                or (my_row.role == MemberRole.SECRETARY and not meeting.secretary_signed_at)
            ),
            "my_invitations": ExpertInvitation.objects.filter(item__meeting=meeting, user=user).select_related("item"),
            "resolution": getattr(meeting, "resolution", None),
            "may_resolve": status == MeetingStatus.SIGNED
            and not hasattr(meeting, "resolution")
            and any(view["dissents"] for view in item_views)
            and can(user, Action.DECISION_APPROVE, org),
            "dissent_due": cs.dissent_due(meeting),
            "resolution_form": ResolutionForm(),
            "absence_choices": [(Absence.EXCUSED, _("уваж.")), (Absence.UNEXCUSED, _("неуваж."))],
            "vote_choices": VoteChoice.choices,
            "statuses": MeetingStatus,
            "vgtu": VGTU,
        },
    )


def _decided_rids(meeting: Meeting) -> Any:
    """RIDs the commission has decided on: candidates for maintenance and valuation items."""
    org_ids = descendant_ids({meeting.commission.organization_id})
    return Rid.objects.filter(organization_id__in=org_ids, status__in=DECIDED).order_by("number")[:500]


def _experts_pool(meeting: Meeting) -> Any:
    members = meeting.commission.members.values("user_id")
    return colleagues_of(meeting.commission.organization).exclude(pk__in=members).order_by("last_name")


def _item(meeting: Meeting, request: HttpRequest) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("rid", "meeting"), pk=request.POST.get("item"), meeting=meeting
    )


def _proposal(request: HttpRequest, meeting: Meeting) -> str:
    item = _item(meeting, request)
    form = ProposalForm(request.POST, prefix=f"i{item.pk}")
    if not form.is_valid():
        raise DomainError(_first_error(form))
    data = form.cleaned_data
    cs.item_propose(
        actor=request.user,
        item=item,
        outcome=data["outcome"],
        protection_form=data["protection_form"],
        reason=data["reason"],
        valuation_amount=data["valuation_amount"],
        heard=data["heard"],
        spoke=data["spoke"],
    )
    return _("Вопрос %(order)s: проект решения записан — %(outcome)s.") % {
        "order": item.order,
        "outcome": Outcome(data["outcome"]).label,
    }


def _votes(request: HttpRequest, meeting: Meeting) -> str:
    item = _item(meeting, request)
    recorded = 0
    for row in meeting.attendance.select_related("member__user"):
        choice = request.POST.get(f"vote-{row.member_id}")
        if choice:
            cs.vote_cast(actor=request.user, item=item, member=row.member, choice=choice)
            recorded += 1
    if not recorded:
        raise DomainError(_("Отметьте голоса присутствующих."))
    return _("Вопрос %(order)s: голоса записаны (%(count)s).") % {"order": item.order, "count": recorded}


def _attendance(request: HttpRequest, meeting: Meeting) -> str:
    marked = 0
    for row in meeting.attendance.select_related("member__user"):
        value = request.POST.get(f"att-{row.member_id}")
        if not value:
            continue
        present = value == "present"
        cs.attendance_mark(
            actor=request.user,
            meeting=meeting,
            member=row.member,
            present=present,
            absence="" if present else value,
            note=request.POST.get(f"note-{row.member_id}", ""),
        )
        marked += 1
    return _("Явка отмечена (%(count)s). %(quorum)s") % {"count": marked, "quorum": cs.meeting_quorum(meeting).message}


def _expert_invite(request: HttpRequest, meeting: Meeting) -> str:
    item = _item(meeting, request)
    user = get_object_or_404(_experts_pool(meeting), pk=request.POST.get("user") or 0)
    cs.expert_invite(actor=request.user, item=item, user=user, position=request.POST.get("position", ""))
    verb = _agreed(user, pgettext("masculine", "приглашён"), pgettext("feminine", "приглашена"))
    return _("%(name)s %(verb)s экспертом по вопросу %(order)s.") % {
        "name": user.full_name,
        "verb": verb,
        "order": item.order,
    }


def _opinion(request: HttpRequest, meeting: Meeting) -> str:
    invitation = get_object_or_404(ExpertInvitation, pk=request.POST.get("invitation"), item__meeting=meeting)
    cs.expert_opinion(
        actor=request.user, invitation=invitation, text=request.POST.get("opinion", ""), file=request.FILES.get("file")
    )
    return _("Заключение эксперта приложено к материалам заседания.")


def _agenda_add(request: HttpRequest, meeting: Meeting) -> str:
    rid = get_object_or_404(rids_visible_to(request.user), pk=request.POST.get("rid") or 0)
    item = cs.agenda_add(actor=request.user, meeting=meeting, rid=rid, kind=request.POST.get("kind") or "application")
    return _("В повестку включён вопрос %(order)s.") % {"order": item.order}


def _agenda_remove(request: HttpRequest, meeting: Meeting) -> str:
    cs.agenda_remove(actor=request.user, item=_item(meeting, request))
    return _("Вопрос исключён из повестки.")


def _dissent(request: HttpRequest, meeting: Meeting) -> str:
    cs.dissent_add(actor=request.user, item=_item(meeting, request), text=request.POST.get("text", ""))
    return _("Особое мнение приложено к протоколу. Протокол будет направлен на утверждение.")


def _resolve(request: HttpRequest, meeting: Meeting) -> str:
    form = ResolutionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_first_error(form))
    resolution = cs.approver_resolve(actor=request.user, meeting=meeting, **form.cleaned_data)
    return _("Резолюция: %(verdict)s.") % {"verdict": resolution.get_verdict_display()}


def _move(request: HttpRequest, meeting: Meeting) -> str:
    from ridbook.commission.rescheduling import meeting_move

    form = MoveForm(request.POST)
    if not form.is_valid():
        raise DomainError(_first_error(form))
    moved = meeting_move(actor=request.user, meeting=meeting, **form.cleaned_data)
    if moved.notices_sent_at:
        return _("Заседание перенесено; приглашённым отправлено обновлённое приглашение.")
    return _("Заседание перенесено.")


MEETING_ACTIONS: dict[str, Callable[[HttpRequest, Meeting], str]] = {
    "move": _move,
    "agenda-from-queue": lambda r, m: (
        _("В повестку включено вопросов: %(count)s.") % {"count": len(cs.agenda_from_queue(actor=r.user, meeting=m))}
    ),
    "agenda-add": _agenda_add,
    "agenda-remove": _agenda_remove,
    "expert-invite": _expert_invite,
    "opinion": _opinion,
    "send-notices": lambda r, m: (
        _("Уведомления разосланы: %(addresses)s")
        % {
            "addresses": ", ".join(
                cs.notices_send(actor=r.user, meeting=m, confirm_late=bool(r.POST.get("confirm_late")))
            )
        }
    ),
    "open": lambda r, m: (
        cs.meeting_open(actor=r.user, meeting=m, confirm_unnotified=r.POST.get("confirm_unnotified") == "on"),
        _("Заседание открыто: отметьте явку."),
    )[1],
    "attendance": _attendance,
    "propose": _proposal,
    "votes": _votes,
    "my-vote": lambda r, m: (
        cs.vote_cast(
            actor=r.user,
            item=_item(m, r),
            member=get_object_or_404(CommissionMember, commission=m.commission, user=r.user, is_active=True),
            choice=r.POST.get("choice", ""),
        ),
        _("Ваш голос учтён."),
    )[1],
    "dissent": _dissent,
    "close": lambda r, m: (
        cs.meeting_close(actor=r.user, meeting=m),
        _("Голосование завершено. Протокол — на подпись."),
    )[1],
    "cancel": lambda r, m: (
        cs.meeting_cancel(actor=r.user, meeting=m, reason=r.POST.get("reason", "")),
        _("Заседание отменено; вопросы вернулись в очередь."),
    )[1],
    "sign": lambda r, m: (cs.protocol_sign(actor=r.user, meeting=m), _("Протокол подписан."))[1],
    "resolve": _resolve,
}


@login_required
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = _meeting(request, pk)
    handler = MEETING_ACTIONS.get(action)
    if handler is None:
        raise Http404
    try:
        messages.success(request, handler(request, meeting))
    except DomainError as exc:
        messages.error(request, exc.message)
        _keep_typed(request, meeting, action)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        _keep_typed(request, meeting, action)
    anchor = request.POST.get("anchor", "")
    return redirect(reverse("commission:meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
def protocol_download(request: HttpRequest, pk: int, ext: str) -> HttpResponseBase:
    from ridbook.commission import documents

    meeting = _meeting(request, pk)
    require_whole_meeting(request.user, meeting)
    name = documents.download_name(meeting, ext)
    if ext == "docx":
        if meeting.status == MeetingStatus.SIGNED and meeting.protocol_docx:
            return FileResponse(meeting.protocol_docx.open("rb"), as_attachment=True, filename=name)
        content = documents.protocol_docx(meeting)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        pdf = documents.protocol_pdf(meeting)
        if pdf is None:
            raise Http404(_("PDF недоступен: на сервере не установлен LibreOffice. Скачайте протокол в формате DOCX."))
        content, mime = pdf, "application/pdf"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def opinion_file(request: HttpRequest, pk: int, invitation: int) -> FileResponse:
    """An expert's opinion file, to whoever may see that item of the meeting (media are not served publicly)."""
    meeting = _meeting(request, pk)
    found = get_object_or_404(
        ExpertInvitation, pk=invitation, item__in=items_visible_to(request.user, meeting), opinion_file__gt=""
    )
    return attachment(found.opinion_file)


@login_required
def item_material(request: HttpRequest, pk: int, item: int, doc: str) -> HttpResponseBase:
    """Материалы вопроса повестки — пакет уведомления и само уведомление (DOCX) — тем, кто видит этот вопрос:
    членам комиссии, приглашённому эксперту (он не видит реестр), подразделению по ИС."""
    meeting = _meeting(request, pk)
    agenda_item = get_object_or_404(items_visible_to(request.user, meeting), pk=item)
    rid = agenda_item.rid
    from ridbook.tradesecret.access import note_refusal
    from ridbook.tradesecret.views import sealed_file_response

    if doc == "notice":
        from ridbook.registry.documents import render_document

        note_refusal(request.user, rid, channel="commission", what="notice", request=request)  # register fields only

        response = HttpResponse(
            render_document(rid=rid, kind="notice", viewer=request.user),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="{rid.pk}-notice.docx"'
        return response
    document = get_object_or_404(rid.packet.all(), pk=int(doc) if doc.isdigit() else 0)
    if hasattr(document, "sealed"):  # a trade secret: members are not on its access list unless added
        return sealed_file_response(request, document, channel="commission")
    return attachment(document.file)
