"""A meeting through the services: agenda from the queue, experts, notices, quorum, votes, dissent, protocol, effects."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.audit.models import RecordLocked
from ridbook.commission import services as cs
from ridbook.commission.choices import MeetingStatus
from ridbook.commission.models import Meeting, Vote
from ridbook.commission.selectors import queue, unexcused_absences
from ridbook.commission.tests.conftest import open_with, seats
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.registry.models import Rid


def vote_all(meeting, item, secretary, choice="for", **exceptions):
    for row in meeting.attendance.filter(present=True).select_related("member__user"):
        cs.vote_cast(
            actor=secretary, item=item, member=row.member, choice=exceptions.get(row.member.user.username, choice)
        )


def test_agenda_is_built_from_the_queue_one_item_per_application(meeting, accepted, secretary):
    assert list(queue(meeting.commission)) == [accepted]
    items = cs.agenda_from_queue(actor=secretary, meeting=meeting)
    assert [(i.order, i.rid_id, i.kind) for i in items] == [(1, accepted.pk, "application")]
    assert "Способ контроля износа рельсов" in items[0].title
    assert list(queue(meeting.commission)) == []  # on an open agenda it leaves the queue
    with pytest.raises(DomainError, match="не в очереди комиссии"):
        cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)


def test_a_draft_cannot_go_on_the_agenda(meeting, draft, secretary):
    with pytest.raises(DomainError, match="не в очереди комиссии"):
        cs.agenda_add(actor=secretary, meeting=meeting, rid=draft)


def test_an_author_proposed_as_expert_is_refused(meeting, accepted, secretary, author, personas):
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    with pytest.raises(DomainError) as refused:
        cs.expert_invite(actor=secretary, item=item, user=author)
    assert refused.value.code == "expert_is_author"
    assert "автор не может быть экспертом по своей заявке" in refused.value.message
    expert = cs.expert_invite(actor=secretary, item=item, user=personas[Role.EXPERT], position="профессор")
    assert expert.item == item


def test_notice_deadline_counts_working_days_across_a_holiday(commission):
    """Meeting Thu 12.11.2026: 7 working days back skip 4 November (National Unity Day) → 2 November."""
    meeting = Meeting.objects.create(
        commission=commission, year=2026, number=99, date=date(2026, 11, 12), time=time(15), place="ауд. 1"
    )
    assert cs.notice_due(meeting) == date(2026, 11, 2)
    assert cs.notice_warning(meeting, date(2026, 11, 2)) is None
    warning = cs.notice_warning(meeting, date(2026, 11, 3))
    assert warning is not None
    assert "не позднее чем за 7 рабочих дней, то есть до 02.11.2026" in warning
    assert "остаётся 6 раб. дн." in warning


def test_late_notices_need_confirmation_and_carry_an_ics(
    meeting, accepted, secretary, author_person, django_capture_on_commit_callbacks
):
    cs.agenda_from_queue(actor=secretary, meeting=meeting)
    with pytest.raises(DomainError) as late:
        cs.notices_send(actor=secretary, meeting=meeting)
    assert late.value.code == "notice_late"
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED
    author_person.email = "ivanov@example.org"
    author_person.save()
    with pytest.raises(DomainError):  # not sent: nothing in the outbox
        cs.notices_send(actor=secretary, meeting=meeting)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = cs.notices_send(actor=secretary, meeting=meeting, confirm_late=True)
    assert "ivanov@example.org" in sent and "member2@example.org" in sent
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NOTIFIED and meeting.notices_late
    assert len(mail.outbox) == len(sent)
    to_author = next(m for m in mail.outbox if m.to == ["ivanov@example.org"])
    assert "Вы приглашены как: автор" in to_author.body
    name, ics, mimetype = to_author.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    text = ics if isinstance(ics, str) else ics.decode()
    assert "BEGIN:VEVENT" in text and "METHOD:REQUEST" in text
    start = timezone.make_aware(datetime.combine(meeting.date, meeting.time)).astimezone(UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in text
    assert "ATTENDEE;CN=Иванов Пётр Сергеевич;ROLE=REQ-PARTICIPANT:mailto:ivanov@example.org" in text.replace(
        "\r\n ", ""
    )


def _ready(meeting, accepted, secretary, **attendance):
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    open_with(meeting, secretary, **attendance)
    return item


def test_quorum_at_exactly_half_and_just_below(commission, meeting, accepted, secretary, personas):
    """Eight members: four present is exactly 50 % — a quorum (VGTU 6.2); three is not."""
    from ridbook.testing.factories import persona

    eighth = persona(Role.COMMISSION_MEMBER, commission.organization, username="member8")
    cs.member_add(actor=secretary, commission=commission, user=eighth, role="member", position="доцент")
    item = _ready(meeting, accepted, secretary, absent=("member2", "member3", "member4", "member5"))
    quorum = cs.meeting_quorum(meeting)
    assert (quorum.present, quorum.members, quorum.reached) == (4, 8, True)
    assert quorum.message == "Кворум есть: присутствуют 4 из 8 (нужно не менее 50 %)."
    cs.attendance_mark(
        actor=secretary, meeting=meeting, member=seats(commission)["member8"], present=False, absence="excused"
    )
    quorum = cs.meeting_quorum(meeting)
    assert (quorum.present, quorum.reached) == (3, False)
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention")
    with pytest.raises(DomainError, match="Кворума нет: присутствуют 3 из 8") as refused:
        cs.vote_cast(actor=secretary, item=item, member=seats(commission)["commission_chair"], choice="for")
    assert refused.value.code == "no_quorum"


def test_a_vote_by_an_absent_member_is_refused(commission, meeting, accepted, secretary):
    item = _ready(meeting, accepted, secretary, absent=("member2",))
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention")
    with pytest.raises(DomainError) as refused:
        cs.vote_cast(actor=secretary, item=item, member=seats(commission)["member2"], choice="for")
    assert refused.value.code == "absent_member"
    assert "заочное голосование не допускается" in refused.value.message
    assert not Vote.objects.exists()


def test_an_expert_cannot_vote_and_a_member_votes_only_for_himself(commission, meeting, accepted, secretary, personas):
    item = _ready(meeting, accepted, secretary)
    cs.expert_invite(actor=secretary, item=item, user=personas[Role.EXPERT])
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention")
    with pytest.raises(PermissionDeniedError, match="Эксперты не участвуют в голосовании"):
        cs.vote_cast(actor=personas[Role.EXPERT], item=item, member=seats(commission)["member2"], choice="for")
    member2 = seats(commission)["member2"]
    with pytest.raises(PermissionDeniedError):
        cs.vote_cast(actor=member2.user, item=item, member=seats(commission)["member3"], choice="for")
    assert cs.vote_cast(actor=member2.user, item=item, member=member2, choice="against").choice == "against"


def test_a_tie_is_not_a_majority_of_those_present(commission, meeting, accepted, secretary):
    item = _ready(meeting, accepted, secretary, absent=("member5",))  # six present
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention")
    vote_all(meeting, item, secretary, "for", member2="against", member3="against", member4="against")
    cs.meeting_close(actor=secretary, meeting=meeting)
    item.refresh_from_db()
    assert item.adopted is False
    assert "«за» 3, «против» 3" in item.result_text and "нет большинства присутствующих" in item.result_text


def test_filing_needs_the_clearances_and_a_fitting_form(meeting, accepted, secretary):
    item = _ready(meeting, accepted, secretary)
    with pytest.raises(DomainError, match="форма охраны: патент на изобретение, патент на полезную модель"):
        cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="software")
    with pytest.raises(DomainError, match="Укажите причину"):
        cs.item_propose(actor=secretary, item=item, outcome="postpone")
    accepted.state_secret.outcome = "contains_secret"
    accepted.state_secret.save()
    with pytest.raises(DomainError, match="Подать заявку нельзя"):
        cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention")


def test_changing_the_proposal_clears_the_votes(commission, meeting, accepted, secretary):
    item = _ready(meeting, accepted, secretary)
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention")
    vote_all(meeting, item, secretary)
    assert item.votes.count() == 7
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="utility_model")
    assert item.votes.count() == 0


def _decide(meeting, accepted, secretary, chair, *, outcome="file", form="invention", dissent_by=None, **votes):
    item = _ready(meeting, accepted, secretary, excused=("member5",))
    cs.item_propose(
        actor=secretary, item=item, outcome=outcome, protection_form=form, heard="Доклад автора", reason="нет"
    )
    vote_all(meeting, item, secretary, **votes)
    if dissent_by:
        cs.dissent_add(actor=dissent_by, item=item, text="Полезная модель дешевле и быстрее.")
    cs.meeting_close(actor=secretary, meeting=meeting)
    cs.protocol_sign(actor=chair, meeting=meeting)
    cs.protocol_sign(actor=secretary, meeting=meeting)
    meeting.refresh_from_db()
    item.refresh_from_db()
    return item


def test_a_decision_to_file_updates_the_rid_and_the_signed_protocol_is_immutable(
    meeting, accepted, secretary, chair, commission
):
    item = _decide(meeting, accepted, secretary, chair)
    assert meeting.status == MeetingStatus.SIGNED and meeting.is_locked
    assert item.adopted is True and item.effective
    rid = Rid.objects.get(pk=accepted.pk)
    assert (rid.status, rid.protection_form, rid.rights_holder) == ("filing", "invention", "organization")
    assert rid.decided_on == meeting.date
    assert "начать оформление — патент на изобретение" in rid.next_step
    assert rid.events.filter(kind="commission").exists()
    # immutable: the services refuse, and the models refuse even a direct save
    with pytest.raises(DomainError, match="протокол подписан"):
        cs.vote_cast(actor=secretary, item=item, member=seats(commission)["commission_chair"], choice="against")
    with pytest.raises(DomainError):
        cs.item_propose(actor=secretary, item=item, outcome="not_expedient")
    vote = item.votes.first()
    vote.choice = "against"
    with pytest.raises(RecordLocked):
        vote.save()
    with pytest.raises(RecordLocked):
        meeting.attendance.first().delete()
    assert meeting.protocol_docx.name.endswith(".docx")
    # the unexcused absences count only signed meetings; member5 was excused
    assert unexcused_absences(commission)[seats(commission)["member5"].pk] == 0


def test_not_expedient_waives_the_right_in_favour_of_the_authors(meeting, accepted, secretary, chair):
    _decide(meeting, accepted, secretary, chair, outcome="not_expedient", form="")
    rid = Rid.objects.get(pk=accepted.pk)
    assert (rid.status, rid.rights_holder) == ("waived", "authors")
    assert f"протокол {meeting.label} — доказательство отказа" in rid.next_step


def test_returned_for_revision_goes_back_to_the_authors(meeting, accepted, secretary, chair):
    item = _ready(meeting, accepted, secretary)
    cs.item_propose(actor=secretary, item=item, outcome="revise", reason="Уточнить формулу изобретения")
    vote_all(meeting, item, secretary)
    cs.meeting_close(actor=secretary, meeting=meeting)
    cs.protocol_sign(actor=chair, meeting=meeting)
    cs.protocol_sign(actor=secretary, meeting=meeting)
    rid = Rid.objects.get(pk=accepted.pk)
    assert rid.status == "returned"
    assert rid.events.filter(kind="returned", reasons__contains="Уточнить формулу изобретения").exists()


def test_dissent_approved_by_the_approver_takes_effect(meeting, accepted, secretary, chair, personas):
    dissenter = personas[Role.COMMISSION_MEMBER]  # the deputy
    item = _decide(meeting, accepted, secretary, chair, dissent_by=dissenter)
    assert not item.effective
    assert Rid.objects.get(pk=accepted.pk).status == "accepted"  # waits for the approver
    assert cs.dissent_due(meeting) is not None
    with pytest.raises(PermissionDeniedError):
        cs.approver_resolve(actor=secretary, meeting=meeting, verdict="approved")
    cs.approver_resolve(actor=personas[Role.APPROVER], meeting=meeting, verdict="approved")
    assert Rid.objects.get(pk=accepted.pk).status == "filing"
    assert cs.item_is_effective(item)


def test_dissent_returned_by_the_approver_needs_experts_next_time(
    commission, meeting, accepted, secretary, chair, personas
):
    _decide(meeting, accepted, secretary, chair, dissent_by=personas[Role.COMMISSION_MEMBER])
    with pytest.raises(DomainError, match="Напишите резолюцию"):
        cs.approver_resolve(actor=personas[Role.APPROVER], meeting=meeting, verdict="re_review")
    cs.approver_resolve(
        actor=personas[Role.APPROVER], meeting=meeting, verdict="re_review", comment="Привлечь эксперта-патентоведа"
    )
    rid = Rid.objects.get(pk=accepted.pk)
    assert rid.status == "accepted" and "с привлечением экспертов" in rid.next_step
    assert list(queue(commission)) == [rid]
    again = cs.meeting_schedule(actor=secretary, commission=commission, on=timezone.localdate(), at=time(17))
    assert again.number == meeting.number + 1
    item = cs.agenda_add(actor=secretary, meeting=again, rid=rid)
    assert item.requires_experts
    open_with(again, secretary)
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="utility_model")
    with pytest.raises(DomainError) as refused:
        cs.vote_cast(actor=secretary, item=item, member=seats(commission)["commission_chair"], choice="for")
    assert refused.value.code == "expert_opinion_required"
    invitation = cs.expert_invite(actor=secretary, item=item, user=personas[Role.EXPERT])
    cs.expert_opinion(actor=personas[Role.EXPERT], invitation=invitation, text="Рекомендую полезную модель.")
    assert cs.vote_cast(actor=secretary, item=item, member=seats(commission)["commission_chair"], choice="for")


def test_a_commission_below_its_minimum_cannot_meet(commission, meeting, accepted, secretary):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    cs.member_remove(
        actor=secretary, member=seats(commission)["member5"], order_number="17-к", order_date=timezone.localdate()
    )
    assert cs.composition_problems(commission) == [
        "В составе 6 чел., а по положению нужно не менее 7 (Комиссия по интеллектуальной собственности)."
    ]
    with pytest.raises(DomainError, match="Комиссия не может заседать"):
        cs.meeting_open(actor=secretary, meeting=meeting)


def test_protocol_numbers_run_per_year(commission, secretary):
    first = cs.meeting_schedule(actor=secretary, commission=commission, on=date(2026, 12, 10), at=time(10))
    second = cs.meeting_schedule(actor=secretary, commission=commission, on=date(2026, 12, 20), at=time(10))
    next_year = cs.meeting_schedule(actor=secretary, commission=commission, on=date(2027, 1, 20), at=time(10))
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    with pytest.raises(DomainError, match="уже прошла"):
        cs.meeting_schedule(actor=secretary, commission=commission, on=date(2026, 1, 20), at=time(10))


def test_valuation_needs_an_amount(meeting, accepted, secretary, chair, author, officer, draft):
    item = _ready(meeting, accepted, secretary)
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention")
    vote_all(meeting, item, secretary)
    cs.meeting_close(actor=secretary, meeting=meeting)
    cs.protocol_sign(actor=chair, meeting=meeting)
    cs.protocol_sign(actor=secretary, meeting=meeting)
    later = cs.meeting_schedule(actor=secretary, commission=meeting.commission, on=timezone.localdate(), at=time(18))
    valuation = cs.agenda_add(actor=secretary, meeting=later, rid=accepted, kind="valuation")
    open_with(later, secretary)
    with pytest.raises(DomainError, match="балансовую стоимость"):
        cs.item_propose(actor=secretary, item=valuation, outcome="valuation_approved")
    valuation = cs.item_propose(
        actor=secretary, item=valuation, outcome="valuation_approved", valuation_amount=Decimal("125000")
    )
    assert cs.resolution_text(valuation) == "утвердить балансовую стоимость: 125000 руб."


def test_an_empty_queue_and_a_dissent_without_a_vote_are_refused(commission, meeting, accepted, secretary, personas):
    cs.agenda_from_queue(actor=secretary, meeting=meeting)
    with pytest.raises(DomainError, match="Очередь комиссии пуста"):
        cs.agenda_from_queue(actor=secretary, meeting=meeting)
    item = meeting.items.get()
    open_with(meeting, secretary)
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention")
    with pytest.raises(DomainError, match="сначала проголосуйте"):
        cs.dissent_add(actor=personas[Role.COMMISSION_MEMBER], item=item, text="Против.")
    with pytest.raises(PermissionDeniedError):
        cs.meeting_schedule(actor=personas[Role.AUTHOR], commission=commission, on=date(2020, 1, 1), at=time(10))


def test_a_correction_is_a_new_decision_at_a_new_meeting(meeting, accepted, secretary, chair, commission):
    _decide(meeting, accepted, secretary, chair)
    assert Rid.objects.get(pk=accepted.pk).status == "filing"
    later = cs.meeting_schedule(actor=secretary, commission=commission, on=timezone.localdate(), at=time(18))
    item = cs.agenda_add(actor=secretary, meeting=later, rid=Rid.objects.get(pk=accepted.pk))
    assert item.title.startswith("О пересмотре решения по РИД «Способ контроля износа рельсов»")
    open_with(later, secretary)
    cs.item_propose(actor=secretary, item=item, outcome="not_expedient")
    vote_all(later, item, secretary)
    cs.meeting_close(actor=secretary, meeting=later)
    cs.protocol_sign(actor=chair, meeting=later)
    cs.protocol_sign(actor=secretary, meeting=later)
    rid = Rid.objects.get(pk=accepted.pk)
    assert (rid.status, rid.rights_holder) == ("waived", "authors")
    first = meeting.items.get()
    assert first.outcome == "file" and first.is_locked  # the first protocol stays as it was signed


def test_a_meeting_never_notified_opens_only_when_confirmed_and_the_protocol_says_so(meeting, accepted, secretary):
    from io import BytesIO

    from docx import Document

    from ridbook.commission.documents import protocol_docx

    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    with pytest.raises(DomainError, match="Уведомления о заседании не рассылались") as refused:
        cs.meeting_open(actor=secretary, meeting=meeting)
    assert refused.value.code == "not_notified"
    meeting.refresh_from_db()
    assert meeting.status == "planned" and not meeting.attendance.exists()
    opened = cs.meeting_open(actor=secretary, meeting=meeting, confirm_unnotified=True)
    assert opened.status == "open" and opened.opened_unnotified_by
    text = "\n".join(p.text for p in Document(BytesIO(protocol_docx(opened))).paragraphs)
    assert "Уведомления о заседании не рассылались; заседание открыто с подтверждения:" in text


def test_a_notified_meeting_cancelled_sends_one_calendar_cancellation_and_the_page_names_who_has_no_email(
    client, meeting, accepted, secretary, coauthor, django_capture_on_commit_callbacks
):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    with django_capture_on_commit_callbacks(execute=True):
        cs.notices_send(actor=secretary, meeting=meeting, confirm_late=True)
    invited = {m.to[0] for m in mail.outbox}
    client.force_login(secretary)
    page = client.get(f"/commission/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="not-notified"' in page and "Петрова Анна (автор)" in page  # the co-author has no e-mail
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cs.meeting_cancel(actor=secretary, meeting=meeting, reason="нет кворума")
    assert {m.to[0] for m in mail.outbox} == invited and len(mail.outbox) == len(invited)  # once each
    letter = mail.outbox[0]
    assert "отменено" in letter.subject and "Причина: нет кворума" in letter.body
    _name, content, mime = letter.attachments[0]
    ics = content.decode() if isinstance(content, bytes) else content
    assert mime.startswith("text/calendar; method=CANCEL")
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and f"UID:ridbook-meeting-{meeting.pk}@" in ics


def test_a_meeting_never_notified_is_cancelled_without_letters(
    meeting, accepted, secretary, django_capture_on_commit_callbacks
):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cs.meeting_cancel(actor=secretary, meeting=meeting, reason="перенос")
    assert mail.outbox == []
