"""The notice workflow and the registry's rules, through the services (given / when / then)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ridbook.audit.selectors import change_history
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.registry.choices import RidStatus
from ridbook.registry.deadlines import notice_deadlines
from ridbook.registry.models import Person, Rid
from ridbook.registry.search import search_filter
from ridbook.registry.selectors import novelty_risk, rid_filing_blockers, rids_visible_to
from ridbook.registry.services import (
    AuthorInput,
    export_control_record,
    notice_accept,
    notice_receive,
    notice_return,
    notice_submit,
    packet_upload,
    person_save,
    rid_add_contributor,
    rid_create,
    rid_set_authors,
    rid_update,
    state_secret_record,
)

pytestmark = pytest.mark.django_db


def upload(name="doc.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def test_a_person_is_kept_once(officer, author_person, org_tree):
    with pytest.raises(DomainError) as exc:
        person_save(
            actor=officer, last_name="Иванов", first_name="П.", snils="11223344595", organization=org_tree["institute"]
        )
    assert exc.value.message == (
        "Такой человек уже есть в реестре (СНИЛС): Иванов Пётр Сергеевич. Выберите его, а не создавайте заново."
    )
    assert exc.value.details["person_id"] == author_person.pk
    with pytest.raises(DomainError, match=r"\(ИНН\)"):
        person_save(
            actor=officer, last_name="Иванов", first_name="П.", inn="500100732259", organization=org_tree["university"]
        )
    with pytest.raises(DomainError, match="СНИЛС 123 неверен"):
        person_save(actor=officer, last_name="Сидоров", first_name="И.", snils="123")
    assert Person.objects.filter(last_name__in=["Иванов", "Сидоров"]).count() == 1


def test_draft_numbering_and_field_rules(author, org_tree):
    rid = rid_create(actor=author, organization=org_tree["department"], kind="software", title="Программа учёта")
    assert rid.number == f"РИД-{timezone.localdate().year}-00001"
    assert rid.status == RidStatus.DRAFT
    with pytest.raises(DomainError) as exc:
        rid_update(actor=author, rid=rid, ipc_codes="G06F 17/30", okpd2="62.01", abstract="х" * 901)
    fields = exc.value.details["fields"]
    assert fields["ipc_codes"] == "Коды МПК указываются только для изобретений."
    assert fields["okpd2"].startswith("Код ОКПД2 «62.01» должен быть одной подкатегорией")
    assert fields["abstract"] == "Реферат не должен превышать 900 символов, сейчас 901."
    assert Rid.objects.get(pk=rid.pk).abstract == ""


def test_initiative_rid_with_employer_resources_needs_a_licence_or_reimbursement(draft, author):
    rid_update(actor=author, rid=draft, origin="initiative", employer_resources_used=True)
    with pytest.raises(DomainError) as exc:
        notice_submit(actor=author, rid=draft)
    assert (
        "безвозмездную лицензию работодателю или договор о возмещении затрат"
        in (exc.value.details["fields"]["initiative_agreement"])
    )
    rid_update(actor=author, rid=draft, initiative_agreement="free_licence")
    assert notice_submit(actor=author, rid=draft).status == RidStatus.SUBMITTED


def test_authors_must_sum_to_100_and_contributors_are_never_authors(draft, author, author_person, coauthor, officer):
    with pytest.raises(DomainError) as exc:
        rid_set_authors(actor=author, rid=draft, authors=[AuthorInput(author_person, Decimal("70"))])
    assert exc.value.details["fields"]["authors"] == (
        "Сумма коэффициентов участия авторов должна быть ровно 100 %, сейчас 70 %."
    )
    assert draft.authorships.count() == 2  # nothing lost
    with pytest.raises(DomainError, match="автор этого РИД и не может быть указан как содействующий"):
        rid_add_contributor(actor=author, rid=draft, person=coauthor, assistance="расчёты")
    helper = person_save(actor=officer, last_name="Сидоров", first_name="Олег", organization=draft.organization)
    rid_add_contributor(actor=author, rid=draft, person=helper, assistance="изготовил макет")
    with pytest.raises(DomainError, match="указан\\(ы\\) как содействующие этому РИД"):
        rid_set_authors(actor=author, rid=draft, authors=[AuthorInput(helper, Decimal("100"))])


def test_the_whole_notice_workflow(draft, author, officer):
    # given a complete draft: an author submits it
    notice_submit(actor=author, rid=draft)
    # the IP department stamps the date received and checks completeness
    rid = notice_receive(actor=officer, rid=draft)
    assert rid.status == RidStatus.UNDER_CHECK and rid.received_on == timezone.localdate()
    # the packet is incomplete: accepting is refused with the list of what is missing (the RZD policy asks the
    # whole packet with the notice, RZD §6.2, §7.1; the notice itself is made by ridbook)
    university = rid.organization.parent.parent
    university.policy_name = "rzd-2013"
    university.save()
    with pytest.raises(DomainError) as exc:
        notice_accept(actor=officer, rid=rid)
    assert exc.value.message == (
        "Пакет неполон для приёма уведомления, не хватает: заявление (форма заявки в патентное ведомство); "
        "отчёт о патентных исследованиях (ГОСТ Р 15.011-96); соглашение соавторов о распределении вознаграждения."
    )
    # returned with reasons
    with pytest.raises(DomainError, match="Укажите причины возврата"):
        notice_return(actor=officer, rid=rid, reasons="  ")
    rid = notice_return(actor=officer, rid=rid, reasons="Нет отчёта о патентных исследованиях")
    assert rid.status == RidStatus.RETURNED
    assert rid.events.last().reasons == "Нет отчёта о патентных исследованиях"
    # the author fixes and resubmits; the first receipt date is kept
    rid_update(actor=author, rid=rid, abstract="Уточнённый реферат.")
    for kind in ("notice", "application_form", "patent_search_report", "coauthors_agreement"):
        packet_upload(actor=author, rid=rid, kind=kind, file=upload(f"{kind}.pdf"))
    notice_submit(actor=author, rid=rid)
    rid = notice_receive(actor=officer, rid=rid)
    rid = notice_accept(actor=officer, rid=rid)
    assert rid.status == RidStatus.ACCEPTED
    assert [e.kind for e in rid.events.all()] == [
        "created",
        "submitted",
        "received",
        "returned",
        "submitted",
        "received",
        "accepted",
    ]
    assert any(r.after and r.after.get("status") == "accepted" for r in change_history(instance=rid))


def test_only_authors_submit_and_nobody_edits_under_review(draft, author, officer, personas, org_tree):
    from ridbook.accounts.roles import Role

    with pytest.raises(PermissionDeniedError):
        notice_submit(actor=officer, rid=draft)
    notice_submit(actor=author, rid=draft)
    with pytest.raises(DomainError, match="изменить нельзя: его уже рассматривают"):
        rid_update(actor=author, rid=draft, title="Другое")
    with pytest.raises(DomainError, match="Нельзя перевести уведомление из статуса «уведомление подано»"):
        notice_accept(actor=officer, rid=draft)
    with pytest.raises(PermissionDeniedError):
        notice_receive(actor=personas[Role.COMMISSION_MEMBER], rid=draft)


def test_submission_lists_every_missing_field(author, author_person, org_tree):
    rid = rid_create(actor=author, organization=org_tree["department"], kind="database", title="База данных")
    assert rid.authorships.count() == 1  # he is its first author
    rid.authorships.all().delete()
    with pytest.raises(DomainError) as exc:
        notice_submit(actor=author, rid=rid)
    fields = exc.value.details["fields"]
    assert fields["keywords"] == "Укажите от 1 до 5 ключевых слов, сейчас 0."
    assert fields["authors"] == "Укажите хотя бы одного автора."
    assert set(fields) >= {"purpose", "abstract"}
    assert exc.value.message.startswith("Уведомление не подано: ")


def test_filing_is_blocked_until_both_clearances_are_positive(draft, officer):
    assert rid_filing_blockers(draft) == [
        "нет заключения о возможности открытого опубликования",
        "нет акта экспертизы экспортного контроля",
    ]
    state_secret_record(
        actor=officer,
        rid=draft,
        number="12",
        date=date(2026, 1, 15),
        commission="Иванов И. И.",
        outcome="no_secret_publishable",
    )
    with pytest.raises(DomainError) as exc:
        export_control_record(
            actor=officer,
            rid=draft,
            number="7",
            date=date(2026, 1, 20),
            outcome="similarity_found",
            conclusion="no_permits",
        )
    assert exc.value.details["fields"]["outcome_details"].startswith("При выявленном сходстве")
    export_control_record(
        actor=officer, rid=draft, number="7", date=date(2026, 1, 20), outcome="no_similarity", conclusion="no_permits"
    )
    draft.refresh_from_db()
    assert rid_filing_blockers(Rid.objects.get(pk=draft.pk)) == []


def test_published_notice_carries_the_novelty_risk_with_the_grace_deadline(draft, author):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="Дата публикации не может быть в будущем"):
        rid_update(actor=author, rid=draft, published=True, publication_date=today + timedelta(days=1))
    rid_update(
        actor=author,
        rid=draft,
        published=True,
        publication_date=date(2026, 8, 31),
        publication_sources="Вестник ВГТУ, 2026, № 4",
    )
    risk = novelty_risk(Rid.objects.get(pk=draft.pk), today=date(2026, 11, 24))
    # invention: 6 months (Civil Code art. 1350 p.3); VGTU's policy is silent, so the law's term applies
    assert risk.deadline == date(2027, 2, 28)
    assert risk.policy_ref.startswith("ru-default@")
    assert risk.message == (
        "Риск утраты новизны: РИД опубликован 31.08.2026; льготный срок 6 мес. истекает "
        "28.02.2027 — заявку нужно подать до этой даты."
    )


def test_search_with_russian_morphology(draft, author, org_tree):
    rid_create(actor=author, organization=org_tree["department"], kind="software", title="Программа расчёта смет")
    qs = rids_visible_to(author)
    assert list(search_filter(qs, "износу рельса")) == [draft]
    assert list(search_filter(qs, "Петровой")) == [draft]  # co-author's surname, another case
    assert {r.title for r in search_filter(qs, "программы")} == {"Программа расчёта смет"}
    assert list(search_filter(qs, "трамвай")) == []


def test_authors_see_only_their_rids_officers_see_the_tree(draft, author, officer, personas, org_tree):
    from ridbook.accounts.roles import Role
    from ridbook.testing.factories import persona

    other_author = persona(Role.AUTHOR, org_tree["department"], username="other")
    assert list(rids_visible_to(author)) == [draft]
    assert list(rids_visible_to(other_author)) == []
    assert list(rids_visible_to(officer)) == [draft]
    holding_officer = persona(Role.IP_OFFICER, org_tree["holding"], username="h-officer")
    assert list(rids_visible_to(holding_officer)) == []


def test_packet_and_decision_deadlines_follow_the_policy(draft, author, officer, personas):
    from ridbook.accounts.roles import Role

    notice_submit(actor=author, rid=draft)
    notice_receive(actor=officer, rid=draft, received_on=date(2026, 10, 31))
    items = list(notice_deadlines(officer, date(2026, 11, 24)))
    decision = [d for d in items if d.source == "registry.decision"]
    assert len(decision) == 1 and decision[0].due == date(2026, 12, 31)  # VGTU 5.1.1: 2 months
    assert "(ВГТУ 5.1.1)" in decision[0].rule and "vgtu@1" not in decision[0].rule  # the clause, not a policy code
    assert not [d for d in items if d.source == "registry.packet"]  # VGTU has no packet rule
    secretary_items = list(notice_deadlines(personas[Role.COMMISSION_SECRETARY], date(2026, 11, 24)))
    assert [d.due for d in secretary_items] == [date(2026, 12, 31)]
    assert list(notice_deadlines(personas[Role.ACCOUNTANT], date(2026, 11, 24))) == []


def test_a_number_is_found_by_its_tail(draft, author, org_tree):
    from ridbook.registry.search import search_filter

    number = draft.number  # «РИД-2026-00001»
    year, sequence = number.split("-")[1:]
    for query in (sequence, f"{year}-{sequence}", number):
        assert list(search_filter(Rid.objects.all(), query)) == [draft], query
    assert not search_filter(Rid.objects.all(), "00099").exists()


def test_an_author_writing_his_own_notice_is_its_first_author(author, author_person, officer, org_tree):
    own = rid_create(actor=author, organization=org_tree["department"], kind="software", title="Своя программа")
    assert [(a.person, a.coefficient) for a in own.authorships.all()] == [(author_person, Decimal("100"))]
    assert "иванов" in own.search_lemmas  # and findable by his name at once
    for_someone = rid_create(actor=officer, organization=org_tree["department"], kind="software", title="Чужая")
    assert not for_someone.authorships.exists()  # the IP department names the authors itself


def test_the_packet_is_asked_by_stage_as_the_policy_says(draft, author, officer):
    from ridbook.registry.services import notice_accept, packet_by_stage, packet_required

    # VGTU's rules are silent on the packet: the common practice (ru-default) asks the notice alone at acceptance
    assert packet_required(draft, "acceptance") == ["notice"]
    assert packet_required(draft, "commission") == ["notice", "coauthors_agreement"]  # two authors
    assert packet_required(draft, "filing") == [
        "notice",
        "coauthors_agreement",
        "application_form",
        "patent_search_report",
    ]
    notice_submit(actor=author, rid=draft)
    notice_receive(actor=officer, rid=draft)
    rid = notice_accept(actor=officer, rid=draft)  # with only the notice ridbook made
    assert rid.status == RidStatus.ACCEPTED
    assert packet_by_stage(rid)["filing"] == [
        "соглашение соавторов о распределении вознаграждения",
        "заявление (форма заявки в патентное ведомство)",
        "отчёт о патентных исследованиях (ГОСТ Р 15.011-96)",
    ]
    # the RZD policy: the whole packet comes with the notice (RZD §6.2, §7.1)
    university = draft.organization.parent.parent
    university.policy_name = "rzd-2013"
    university.save()
    assert packet_required(draft, "acceptance") == [
        "notice",
        "application_form",
        "patent_search_report",
        "coauthors_agreement",
    ]
