"""The registry pages (Django test client): list, RID page and workflow, notice form, authors editor, people."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.registry.choices import NoticeEventKind, RidStatus
from ridbook.registry.models import Authorship, Contribution, NoticeEvent, Person, Rid
from ridbook.registry.services import (
    AuthorInput,
    notice_receive,
    notice_submit,
    packet_upload,
    person_save,
    rid_create,
    rid_set_authors,
)
from ridbook.registry.views import XLSX as XLSX_TYPE
from ridbook.testing.factories import persona

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def html(response) -> str:
    return response.content.decode()


def numbers_in(text: str) -> list[str]:
    return re.findall(r"РИД-\d{4}-\d{5}", text)


def make_rid(actor, org, title, *, kind="software", authors=(), **fields):
    rid = rid_create(actor=actor, organization=org, kind=kind, title=title, **fields)
    if authors:
        rid_set_authors(actor=actor, rid=rid, authors=[AuthorInput(p, Decimal(c)) for p, c in authors])
    return rid


def notice_data(org, **overrides):
    """A complete POST of the notice form."""
    data = {
        "kind": "software",
        "other_subtype": "",
        "title": "Программа расчёта нагрузки",
        "origin": "service",
        "initiative_agreement": "none",
        "organization": org.pk,
        "purpose": "Расчёт нагрузки на преподавателей",
        "funding_kind": "none",
        "funding_other": "",
        "funding_agreement_number": "",
        "funding_agreement_date": "",
        "internal_project_number": "",
        "rnd_title": "",
        "rnd_leader": "",
        "rnd_registration_number": "",
        "customer_full_name": "",
        "customer_short_name": "",
        "customer_founder": "",
        "customer_ogrn": "",
        "customer_okopf": "",
        "rights_allocation": "executor",
        "keywords": "нагрузка, расписание",
        "abstract": "Программа считает учебную нагрузку.",
        "uses": "",
        "prototypes_count": "",
        "useful_life_years": "5",
        "core_facility_name": "",
        "okpd2": "62.01.11.000",
        "grnti_codes": "",
        "oecd_code": "",
        "ipc_codes": "",
        "publication_date": "",
        "publication_sources": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def registry(officer, author, author_person, coauthor, org_tree):
    """Three RIDs of different kinds, years, divisions and flags (the officer drafts; the author co-authors two)."""
    dept, inst = org_tree["department"], org_tree["institute"]
    sidorov = person_save(actor=officer, last_name="Сидоров", first_name="Иван", organization=inst)
    invention = make_rid(
        officer,
        dept,
        "Изобретение для очистки воды",
        kind="invention",
        authors=[(author_person, 100)],
        funding_kind="rsf",
        published=True,
        publication_date=timezone.localdate() - timedelta(days=30),
        publication_sources="журнал",
    )
    software = make_rid(officer, inst, "Программа учёта аудиторий", authors=[(sidorov, 100)], trade_secret=True)
    database = make_rid(
        officer, dept, "База данных рельсов", kind="database", authors=[(author_person, 50), (coauthor, 50)]
    )
    Rid.objects.filter(pk=database.pk).update(created_at=timezone.now().replace(year=2023))
    return {"invention": invention, "software": software, "database": database, "sidorov": sidorov}


# --- the list ---------------------------------------------------------------------------------------------------


def test_list_filters_each_criterion(client, officer, registry, org_tree):
    client.force_login(officer)
    url = reverse("registry:list")
    inv, sw, db = registry["invention"], registry["software"], registry["database"]

    def found(**params):
        return set(numbers_in(html(client.get(url, params))))

    assert found() == {inv.number, sw.number, db.number}
    assert found(kind="invention") == {inv.number}
    assert found(status="draft") == {inv.number, sw.number, db.number}
    assert found(status="submitted") == set()
    assert found(organization=org_tree["institute"].pk) == {inv.number, sw.number, db.number}  # with the department
    assert found(organization=org_tree["department"].pk) == {inv.number, db.number}
    assert found(year=2023) == {db.number}
    assert found(author="сидоров") == {sw.number}
    assert found(author="Зайцев") == set()
    assert found(author="Петрова") == {db.number}
    assert found(person=registry["sidorov"].pk) == {sw.number}
    assert found(funding_kind="rsf") == {inv.number}
    assert found(flags="published") == {inv.number}
    assert found(flags="trade_secret") == {sw.number}
    assert found(flags="novelty_risk") == {inv.number}
    assert found(flags=["published", "trade_secret"]) == set()


def test_author_filter_finds_a_surnames_beginning_in_any_case_once_per_rid(client, officer, author, registry, org_tree):
    """The author filter: a surname's beginning, case-insensitive for Cyrillic on SQLite as on PostgreSQL, each RID
    once however many of its authors match, and only among the RIDs the user may see."""
    dept = org_tree["department"]
    people = {
        name: person_save(actor=officer, last_name=name, first_name="Ольга", organization=dept)
        for name in ("Иванова", "Иваницкий", "Фёдоров", "Ёлкина")
    }
    both = make_rid(officer, dept, "Способ двух Ивановых", authors=[(people["Иванова"], 50), (people["Иваницкий"], 50)])
    fedorov = make_rid(officer, dept, "Способ Фёдорова", authors=[(people["Фёдоров"], 100)])
    yolkina = make_rid(officer, dept, "Способ Ёлкиной", authors=[(people["Ёлкина"], 100)])
    inv, db = registry["invention"], registry["database"]  # the author (Иванов) wrote them
    client.force_login(officer)

    def found(value, user=officer):
        client.force_login(user)
        return numbers_in(html(client.get(reverse("registry:list"), {"author": value})))

    assert sorted(found("иван")) == sorted([inv.number, db.number, both.number])  # «both» once, not twice
    assert sorted(found("ИВАН")) == sorted(found("Иван")) == sorted(found(" иван ")) == sorted(found("иван"))
    assert sorted(found("Иванов")) == sorted([inv.number, db.number, both.number])
    assert found("иванова") == [both.number]
    assert found("иваниц") == [both.number]
    assert found("фёд") == found("ФЁДОРОВ") == [fedorov.number]
    assert found("ёлк") == found("Ёлкина") == [yolkina.number]
    assert found("ванов") == []  # the beginning, not any part
    assert found("%") == found("_ванов") == []  # LIKE's wildcards are plain characters
    # the author sees only their own RIDs: «both» is not theirs
    assert sorted(found("иван", user=author)) == sorted([inv.number, db.number])


def test_novelty_risk_filter_is_the_rule_of_the_rid_page(officer, registry, org_tree):
    """The «риск утраты новизны» filter selects in the database exactly the RIDs whose page warns (``novelty_risk``):
    a grace period running or over, a kind with no grace period, a publication without a date; not unpublished."""
    from ridbook.registry.filters import RidFilter
    from ridbook.registry.selectors import novelty_risk, rids_visible_to

    dept, today = org_tree["department"], timezone.localdate()
    cases = {
        "running": ("invention", today - timedelta(days=30)),
        "over": ("utility_model", date(2015, 1, 10)),
        "no grace period": ("know_how", date(2024, 5, 1)),
        "no date": ("software", None),
    }
    for title, (kind, published_on) in cases.items():
        rid = make_rid(officer, dept, title, kind=kind)
        Rid.objects.filter(pk=rid.pk).update(published=True, publication_date=published_on)
    make_rid(officer, dept, "не опубликован", kind="invention")
    rids = list(rids_visible_to(officer).select_related("organization"))
    warned = {rid.number for rid in rids if novelty_risk(rid, today) is not None}
    assert len(warned) == len(cases) + 1  # and the fixture's published invention
    filtered = RidFilter({"flags": ["novelty_risk"]}, queryset=rids_visible_to(officer), user=officer).qs
    assert {rid.number for rid in filtered} == warned


def test_filter_sets_of_two_users_share_nothing_they_change(officer, author, registry, org_tree):
    """``FilterCopies`` copies each filter lighter than django-filter's deep copy: what one list request sets (its
    user's divisions, the years, the parent of a method filter) must not reach another's or the class's filters."""
    from ridbook.registry.filters import RidFilter
    from ridbook.registry.selectors import rids_visible_to

    holding_officer = persona(Role.IP_OFFICER, org_tree["holding"], username="holding-officer")
    officer_filter = RidFilter({"q": "очистки"}, queryset=rids_visible_to(officer), user=officer)
    author_filter = RidFilter({"q": "рельсов"}, queryset=rids_visible_to(author), user=author)
    holding_filter = RidFilter({}, queryset=rids_visible_to(holding_officer), user=holding_officer)
    assert set(officer_filter.filters["organization"].queryset) >= {org_tree["department"], org_tree["institute"]}
    assert list(holding_filter.filters["organization"].queryset) == [org_tree["holding"]]
    assert org_tree["holding"] not in officer_filter.filters["organization"].queryset
    # each method filter runs its own filter set's method (over its own user's RIDs)
    assert [r.number for r in officer_filter.qs] == [registry["invention"].number]
    assert [r.number for r in author_filter.qs] == [registry["database"].number]
    base = RidFilter.base_filters
    assert "choices" not in base["year"].extra and not hasattr(base["q"], "parent")
    assert not base["organization"].queryset.exists()


def test_list_search_uses_russian_morphology_and_author_surnames(client, officer, registry):
    client.force_login(officer)
    url = reverse("registry:list")
    assert numbers_in(html(client.get(url, {"q": "изобретения"}))) == [registry["invention"].number]
    assert numbers_in(html(client.get(url, {"q": "Сидорова"}))) == [registry["software"].number]
    assert numbers_in(html(client.get(url, {"q": "баз данных"}))) == [registry["database"].number]
    empty = html(client.get(url, {"q": "космос"}))
    assert "Ничего не найдено. Измените условия поиска." in empty


@pytest.mark.parametrize(
    ("role", "reason"),
    [
        (Role.ACCOUNTANT, "Вам пока не назначены РИД: здесь появятся РИД, к работе с которыми вас привлекут."),
        (Role.EXPERT, "Вам пока не назначены РИД: здесь появятся РИД, к работе с которыми вас привлекут."),
        (Role.AUTHOR, "Вам пока не назначены РИД. Создайте уведомление о создании РИД — кнопка «Новое уведомление»."),
        (Role.IP_OFFICER, "В реестре ваших организаций пока нет РИД."),
    ],
)
def test_an_empty_list_says_why_it_is_empty(client, personas, role, reason):
    client.force_login(personas[role])
    page = html(client.get(reverse("registry:list")))
    assert reason in page and "Измените условия поиска" not in page
    assert "Ничего не найдено. Измените условия поиска." in html(client.get(reverse("registry:list"), {"q": "космос"}))


def test_list_sorts_by_clickable_columns(client, officer, registry):
    client.force_login(officer)
    url = reverse("registry:list")
    inv, sw, db = registry["invention"], registry["software"], registry["database"]
    by_title = html(client.get(url, {"sort": "title"}))
    assert numbers_in(by_title) == [db.number, inv.number, sw.number]
    assert 'data-sort="title">Наименование ↑' in by_title
    assert "sort=-title" in by_title  # a second click sorts descending
    assert numbers_in(html(client.get(url, {"sort": "-title"}))) == [sw.number, inv.number, db.number]
    assert numbers_in(html(client.get(url, {"sort": "number"}))) == sorted([inv.number, sw.number, db.number])
    assert numbers_in(html(client.get(url, {"sort": "date"})))[0] == db.number
    # equal keys: the id breaks the tie in the sort's own direction (one index serves both directions)
    twin = make_rid(officer, inv.organization, "Программа учёта аудиторий", authors=[(registry["sidorov"], 100)])
    assert numbers_in(html(client.get(url, {"sort": "title"})))[-2:] == [sw.number, twin.number]
    assert numbers_in(html(client.get(url, {"sort": "-title"})))[:2] == [twin.number, sw.number]
    by_status = numbers_in(html(client.get(url, {"sort": "-status"})))
    assert by_status == sorted(by_status, key=lambda n: Rid.objects.get(number=n).pk, reverse=True)  # all drafts


def test_list_htmx_returns_only_the_table_and_paginates_by_50(client, officer, org_tree):
    client.force_login(officer)
    for i in range(52):
        rid_create(actor=officer, organization=org_tree["department"], kind="software", title=f"Программа {i:02d}")
    fragment = html(client.get(reverse("registry:list"), {"kind": "software"}, **HTMX))
    assert "<html" not in fragment and 'data-testid="rid-table"' in fragment
    assert len(numbers_in(fragment)) == 50
    assert "страница 1 из 2" in fragment
    assert 'id="sort-input"' in fragment and 'hx-swap-oob="true"' in fragment
    second = html(client.get(reverse("registry:list"), {"kind": "software", "page": 2}))
    assert len(numbers_in(second)) == 2


def test_new_notice_button_only_for_those_who_may_draft(client, personas, registry):
    client.force_login(personas[Role.AUTHOR])
    assert "Новое уведомление" in html(client.get(reverse("registry:list")))
    client.force_login(personas[Role.AUDITOR])
    page = html(client.get(reverse("registry:list")))
    assert "Новое уведомление" not in page and registry["software"].number in page


def test_menu_has_the_registry(client, author):
    client.force_login(author)
    assert '<a href="/registry/">Реестр РИД</a>' in html(client.get(reverse("web:home")))


# --- permissions ------------------------------------------------------------------------------------------------


def test_an_author_sees_only_own_rids(client, author, registry, org_tree):
    other_author = persona(Role.AUTHOR, org_tree["university"], username="author2")
    client.force_login(other_author)
    assert numbers_in(html(client.get(reverse("registry:list")))) == []
    rid = registry["database"]
    for name in ("registry:detail", "registry:edit", "registry:authors"):
        assert client.get(reverse(name, args=[rid.pk])).status_code == 404
    assert client.get(reverse("registry:tab", args=[rid.pk, "history"])).status_code == 404
    assert client.post(reverse("registry:submit", args=[rid.pk])).status_code == 404
    client.force_login(author)
    assert set(numbers_in(html(client.get(reverse("registry:list"))))) == {
        registry["invention"].number,
        registry["database"].number,
    }


def test_an_author_cannot_use_the_officers_buttons(client, author, draft):
    client.force_login(author)
    page = html(client.get(reverse("registry:detail", args=[draft.pk])))
    assert "Подать уведомление" in page and "Принять к проверке" not in page
    response = client.post(reverse("registry:return", args=[draft.pk]), {"reasons": "нет"})
    assert response.status_code == 403
    assert "проверка уведомления о создании РИД" in html(response)
    assert Rid.objects.get(pk=draft.pk).status == RidStatus.DRAFT


def test_accepted_notice_cannot_be_edited(client, officer, draft):
    Rid.objects.filter(pk=draft.pk).update(status=RidStatus.ACCEPTED)
    client.force_login(officer)
    response = client.get(reverse("registry:edit", args=[draft.pk]))
    assert response.status_code == 403
    assert "Уведомление в статусе «принято, в очереди на комиссию» изменить нельзя: его уже рассматривают." in html(
        response
    )


# --- the RID page -----------------------------------------------------------------------------------------------


def test_rid_page_tabs(client, officer, draft):
    client.force_login(officer)
    page = html(client.get(reverse("registry:detail", args=[draft.pk])))
    assert "Способ контроля износа рельсов" in page and 'data-testid="tab-summary"' in page
    assert '<span class="badge st-draft" data-testid="rid-status">черновик уведомления</span>' in page
    for tab, text in [
        ("authors", "Иванов Пётр Сергеевич"),
        ("funding", "без внешнего финансирования"),
        ("documents", "Пакет документов уведомления"),
        ("history", "черновик создан"),
    ]:
        full = html(client.get(reverse("registry:tab", args=[draft.pk, tab])))
        assert text in full and "<html" in full
        fragment = html(client.get(reverse("registry:tab", args=[draft.pk, tab]), **HTMX))
        assert text in fragment and "<html" not in fragment and f'data-testid="tab-{tab}"' in fragment
    assert client.get(reverse("registry:tab", args=[draft.pk, "secret"])).status_code == 404


def test_history_tab_shows_events_with_reasons_and_change_records(client, officer, author, draft):
    notice_submit(actor=author, rid=draft)
    notice_receive(actor=officer, rid=draft)
    client.force_login(officer)
    client.post(reverse("registry:return", args=[draft.pk]), {"reasons": "Нет отчёта о патентном поиске."})
    page = html(client.get(reverse("registry:tab", args=[draft.pk, "history"])))
    assert "возвращено на доработку" in page and "Нет отчёта о патентном поиске." in page
    # the audit change record, in words
    assert "<b>Статус</b>: <del>проверка комплектности</del> → <ins>возвращено на доработку</ins>" in page
    changes = page[page.index('data-testid="changes"') :]
    assert "under_check" not in changes and officer.username not in changes and officer.full_name in changes
    client.force_login(author)
    author_page = html(client.get(reverse("registry:tab", args=[draft.pk, "history"])))
    assert "Нет отчёта о патентном поиске." in author_page
    assert "Журнал изменений доступен специалистам по ИС и аудиторам." in author_page


def test_novelty_risk_is_a_visible_warning_with_the_deadline(client, officer, org_tree):
    published = date(2025, 3, 1)
    rid = make_rid(
        officer,
        org_tree["department"],
        "Опубликованный способ",
        kind="invention",
        published=True,
        publication_date=published,
        publication_sources="Вестник, 2025, № 1",
    )
    client.force_login(officer)
    page = html(client.get(reverse("registry:detail", args=[rid.pk])))
    assert 'data-testid="novelty-risk"' in page
    assert "Риск утраты новизны: РИД опубликован 01.03.2025; льготный срок" in page
    assert "Крайний срок подачи заявки:" in page


def test_documents_tab_lists_the_packet_blockers_and_docx_links(client, officer, draft):
    client.force_login(officer)
    page = html(client.get(reverse("registry:tab", args=[draft.pk, "documents"])))
    stages = re.findall(r'<li data-testid="packet-stage">(.*?)</li>', page, re.S)
    assert [re.sub(r"<[^>]+>", "", s) for s in stages] == [
        "К приёму уведомления: пакет полон.",  # the notice is made by ridbook, nothing else is asked at acceptance
        "К рассмотрению комиссией: не хватает: соглашение соавторов о распределении вознаграждения.",
        "К подаче заявки: не хватает: соглашение соавторов о распределении вознаграждения; заявление (форма заявки "
        "в патентное ведомство); отчёт о патентных исследованиях (ГОСТ Р 15.011-96).",
    ]
    assert 'data-testid="generated-notice"' in page
    assert "нет заключения о возможности открытого опубликования" in page
    assert "нет акта экспертизы экспортного контроля" in page
    assert reverse("registry:document", args=[draft.pk, "notice"]) in page


# --- the workflow buttons ---------------------------------------------------------------------------------------


def test_submit_receive_return_resubmit_accept(client, officer, author, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    detail = reverse("registry:detail", args=[draft.pk])

    client.force_login(author)
    response = client.post(reverse("registry:submit", args=[draft.pk]), follow=True)
    assert "Уведомление подано в подразделение по ИС." in html(response)
    assert Rid.objects.get(pk=draft.pk).status == RidStatus.SUBMITTED

    client.force_login(officer)
    page = html(client.get(detail))
    assert "Принять к проверке" in page and "Вернуть на доработку" in page and "Подать уведомление" not in page
    response = client.post(reverse("registry:receive", args=[draft.pk]), {"received_on": ""}, follow=True)
    assert "Уведомление принято к проверке комплектности." in html(response)
    assert Rid.objects.get(pk=draft.pk).status == RidStatus.UNDER_CHECK

    # returning needs reasons: the message is next to the field, nothing changes
    response = client.post(reverse("registry:return", args=[draft.pk]), {"reasons": "  "})
    assert (
        '<ul class="errorlist" id="err-reasons"><li>Укажите причины возврата: что не так и что нужно исправить.</li>'
        in html(response)
    )
    assert Rid.objects.get(pk=draft.pk).status == RidStatus.UNDER_CHECK
    assert not NoticeEvent.objects.filter(rid=draft, kind=NoticeEventKind.RETURNED).exists()

    # accepting an incomplete packet is refused with the list of what is missing: under the RZD policy the whole
    # packet comes with the notice (RZD §6.2, §7.1); the notice itself ridbook makes (it is not asked for)
    university = draft.organization.parent.parent
    university.policy_name = "rzd-2013"
    university.save()
    response = client.post(reverse("registry:accept", args=[draft.pk]))
    assert (
        "Пакет неполон для приёма уведомления, не хватает: заявление (форма заявки в патентное ведомство); "
        "отчёт о патентных исследованиях (ГОСТ Р 15.011-96); соглашение соавторов о распределении "
        "вознаграждения."
    ) in html(response)

    client.post(reverse("registry:return", args=[draft.pk]), {"reasons": "Приложите отчёт о патентном поиске."})
    assert Rid.objects.get(pk=draft.pk).status == RidStatus.RETURNED

    client.force_login(author)
    page = html(client.get(detail))
    assert "Возвращено на доработку" in page and "Приложите отчёт о патентном поиске." in page
    assert "Изменить уведомление" in page and "Подать уведомление" in page
    client.post(reverse("registry:submit", args=[draft.pk]))
    assert Rid.objects.get(pk=draft.pk).status == RidStatus.SUBMITTED

    client.force_login(officer)
    client.post(reverse("registry:receive", args=[draft.pk]))
    for kind in ("notice", "application_form", "patent_search_report", "coauthors_agreement"):
        response = client.post(
            reverse("registry:packet_upload", args=[draft.pk]),
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 test")},
        )
        assert response.status_code == 302
    documents = html(client.get(reverse("registry:tab", args=[draft.pk, "documents"])))
    assert documents.count('data-testid="packet-complete">пакет полон.') == 3  # acceptance, commission, filing
    response = client.post(reverse("registry:accept", args=[draft.pk]), follow=True)
    assert "Уведомление принято и поставлено в очередь комиссии." in html(response)
    assert Rid.objects.get(pk=draft.pk).status == RidStatus.ACCEPTED
    doc = draft.packet.get(kind="notice")
    download = client.get(reverse("registry:packet_file", args=[draft.pk, doc.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"


def test_submitting_an_incomplete_notice_says_what_is_missing(client, author, author_person, org_tree):
    rid = make_rid(author, org_tree["department"], "Пустое уведомление", authors=[(author_person, 100)])
    client.force_login(author)
    response = client.post(reverse("registry:submit", args=[rid.pk]))
    assert (
        'data-testid="action-error">Уведомление не подано: Укажите назначение РИД (решаемую задачу).; '
        "Укажите от 1 до 5 ключевых слов, сейчас 0.; Заполните реферат (для программ и БД: назначение, "
        "область применения, функции).</div>"
    ) in html(response)
    assert Rid.objects.get(pk=rid.pk).status == RidStatus.DRAFT


def test_empty_upload_is_explained(client, officer, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    response = client.post(reverse("registry:packet_upload", args=[draft.pk]), {"kind": "notice"})
    assert "<li>Выберите файл.</li>" in html(response)
    assert not draft.packet.exists()


def test_state_secret_and_export_control_forms(client, officer, draft):
    client.force_login(officer)
    url = reverse("registry:state_secret", args=[draft.pk])
    response = client.post(url, {"number": "", "date": "2025-01-10", "commission": "", "outcome": "contains_secret"})
    page = html(response)
    assert "<li>Укажите номер заключения.</li>" in page
    assert "<li>Укажите состав экспертной комиссии или ведущего эксперта.</li>" in page
    assert not hasattr(Rid.objects.get(pk=draft.pk), "state_secret")
    client.post(
        url,
        {
            "number": "12",
            "date": "2025-01-10",
            "commission": "Иванов И.И. (председатель)",
            "outcome": "no_secret_publishable",
        },
    )
    export = reverse("registry:export_control", args=[draft.pk])
    response = client.post(
        export,
        {
            "number": "7",
            "date": "2025-01-11",
            "outcome": "similarity_found",
            "conclusion": "no_permits",
            "lists_checked": ["chemical_1284"],
        },
    )
    page = html(response)
    assert "<li>Объект проверяется по всем шести контрольным спискам.</li>" in page
    assert "<li>При выявленном сходстве приведите обоснование или перечень позиций списков.</li>" in page
    lists = [
        "chemical_1284",
        "nuclear_1285",
        "dual_use_nuclear_1286",
        "microorganisms_1287",
        "missiles_1288",
        "dual_use_1299",
    ]
    client.post(
        export,
        {
            "number": "7",
            "date": "2025-01-11",
            "outcome": "no_similarity",
            "conclusion": "no_permits",
            "lists_checked": lists,
        },
    )
    page = html(client.get(reverse("registry:tab", args=[draft.pk, "documents"])))
    assert "Заключение и акт получены и положительны: препятствий для подачи заявки нет." in page
    assert "№ 12 от 10.01.2025" in page and "№ 7 от 11.01.2025" in page


# --- the notice form --------------------------------------------------------------------------------------------


def test_notice_form_has_every_fieldset_the_counter_and_the_checklists(client, author):
    client.force_login(author)
    page = html(client.get(reverse("registry:new")))
    for legend in (
        "1. Наименование и вид РИД",
        "2. Назначение (задача)",
        "3. Источник финансирования",
        "3.4. Сведения о заказчике НИОКР",
        "3.5. Предполагаемое закрепление прав",
        "4. Ключевые слова",
        "5. Реферат",
        "6–13. Использование и классификаторы",
        "16–17. Коммерческая тайна и публикация",
    ):
        assert f"<legend>{legend}</legend>" in page
    assert 'data-testid="abstract-counter">0 / 900</span>' in page
    assert "Не охраняется как изобретение" in page and "программы для ЭВМ как таковые" in page


def test_notice_errors_are_shown_next_to_the_fields_and_nothing_is_stored(client, author, org_tree):
    client.force_login(author)
    data = notice_data(
        org_tree["department"],
        abstract="а" * 901,
        okpd2="62.01",
        kind="software",
        ipc_codes="G06F 17/30",
        prototypes_count="два",
    )
    page = html(client.post(reverse("registry:new"), data))
    assert '<ul class="errorlist" id="err-prototypes_count"><li>Введите целое число.</li></ul>' in page
    assert Rid.objects.count() == 0
    data["prototypes_count"] = ""
    page = html(client.post(reverse("registry:new"), data))
    assert "Уведомление не сохранено: исправьте отмеченные поля." in page
    assert (
        '<ul class="errorlist" id="err-abstract"><li>Реферат не должен превышать 900 символов, сейчас 901.</li>' in page
    )
    assert (
        'id="err-okpd2"><li>Код ОКПД2 «62.01» должен быть одной подкатегорией вида XX.XX.XX.XXX, например '
        "62.01.11.000.</li>"
    ) in page
    assert 'id="err-ipc_codes"><li>Коды МПК указываются только для изобретений.</li>' in page
    assert Rid.objects.count() == 0


def test_notice_create_then_edit(client, author, author_person, org_tree):
    client.force_login(author)
    response = client.post(reverse("registry:new"), notice_data(org_tree["department"]))
    rid = Rid.objects.get()
    assert response["Location"] == reverse("registry:authors", args=[rid.pk])
    assert rid.keywords == ["нагрузка", "расписание"] and rid.created_by == author
    edit = html(client.get(reverse("registry:edit", args=[rid.pk])))
    assert 'value="нагрузка, расписание"' in edit
    response = client.post(
        reverse("registry:edit", args=[rid.pk]),
        notice_data(org_tree["department"], title="Программа расчёта учебной нагрузки"),
    )
    assert response.status_code == 302
    assert Rid.objects.get(pk=rid.pk).title == "Программа расчёта учебной нагрузки"


def test_inline_validation_returns_errors_of_touched_fields_out_of_band(client, author, org_tree):
    client.force_login(author)
    data = notice_data(org_tree["department"], title="", okpd2="1", abstract="б" * 950, touched="okpd2,abstract")
    page = html(client.post(reverse("registry:validate"), data, **HTMX))
    assert (
        '<ul class="errorlist" id="err-okpd2" hx-swap-oob="true"><li>Код ОКПД2 «1» должен быть одной '
        "подкатегорией вида XX.XX.XX.XXX, например 62.01.11.000.</li></ul>"
    ) in page
    assert "Реферат не должен превышать 900 символов, сейчас 950." in page
    assert '<ul class="errorlist" id="err-title" hx-swap-oob="true"></ul>' in page  # not touched yet: no message
    data["touched"] = "okpd2,abstract,title"
    assert "Укажите наименование РИД." in html(client.post(reverse("registry:validate"), data, **HTMX))
    assert Rid.objects.count() == 0


# --- authors ----------------------------------------------------------------------------------------------------


def test_authors_editor_sum_must_be_100_and_nothing_is_stored(client, author, draft, author_person, coauthor):
    client.force_login(author)
    url = reverse("registry:authors", args=[draft.pk])
    page = html(client.get(url))
    assert "Сумма коэффициентов: 100 %" in page and page.count('data-testid="author-edit-row"') == 2
    row = {
        "hours": "",
        "period_start": "",
        "period_end": "",
        "contribution": "",
        "basis": "job_duties",
        "basis_other": "",
    }
    data = {key: [value, value] for key, value in row.items()}
    response = client.post(url, {**data, "person": [author_person.pk, coauthor.pk], "coefficient": ["60", "30"]})
    page = html(response)
    assert (
        'data-testid="authors-error">Авторы не сохранены: Сумма коэффициентов участия авторов должна быть '
        "ровно 100 %, сейчас 90 %.</div>"
    ) in page
    assert "Сумма коэффициентов: 90 % — должна быть ровно 100 %" in page
    assert sorted(Authorship.objects.filter(rid=draft).values_list("coefficient", flat=True)) == [40, 60]
    response = client.post(
        url,
        {
            **data,
            "person": [author_person.pk, coauthor.pk],
            "coefficient": ["70,5", "29.5"],
            "hours": ["120", "40"],
            "period_start": ["2025-01-01", ""],
            "period_end": ["2025-03-01", ""],
        },
    )
    assert response.status_code == 302
    first = Authorship.objects.get(rid=draft, person=author_person)
    assert first.coefficient == Decimal("70.5") and first.hours == 120 and first.period_end == date(2025, 3, 1)
    response = client.post(url, {**data, "person": [author_person.pk, coauthor.pk], "coefficient": ["сто", "0"]})
    assert "Иванов П.С.: коэффициент участия «сто» — не число." in html(response)


def test_author_picker_finds_by_surname_with_masked_snils_and_adds_a_row(client, author, draft, author_person):
    client.force_login(author)
    page = html(client.get(reverse("registry:person_search"), {"q": "иван"}, **HTMX))
    assert "Иванов Пётр Сергеевич" in page and "Кафедра" in page
    assert "СНИЛС ***-***-445 95" in page and "112-233-445 95" not in page
    assert "Никого не нашлось по «Зайцев»." in html(client.get(reverse("registry:person_search"), {"q": "Зайцев"}))
    row = html(
        client.get(
            reverse("registry:author_row", args=[draft.pk]), {"person": author_person.pk, "remaining": "25"}, **HTMX
        )
    )
    assert row.strip().startswith("<tr") and 'name="coefficient" value="25"' in row


def test_person_created_inline_and_duplicate_snils_links_to_the_existing_person(client, author, draft, author_person):
    client.force_login(author)
    url = reverse("registry:person_create", args=[draft.pk])
    response = client.post(
        url,
        {"last_name": "Кузнецов", "first_name": "Олег", "snils": "112-233-445 95", "workplace": "ООО «Рельс»"},
        **HTMX,
    )
    page = html(response)
    assert (
        "Такой человек уже есть в реестре (СНИЛС): Иванов Пётр Сергеевич. Выберите его, а не создавайте заново."
    ) in page
    assert f'href="{reverse("registry:person", args=[author_person.pk])}" data-testid="duplicate-link"' in page
    assert not Person.objects.filter(last_name="Кузнецов").exists()
    response = client.post(url, {"last_name": "", "first_name": "Олег"}, **HTMX)
    assert "Укажите фамилию." in html(response)
    response = client.post(url, {"last_name": "Кузнецов", "first_name": "Олег", "snils": ""}, **HTMX)
    assert "Для соавтора вне организации укажите место работы." in html(response)  # an outsider needs his workplace
    response = client.post(url, {"last_name": "Кузнецов", "first_name": "Олег", "workplace": "ООО «Рельс»"}, **HTMX)
    created = Person.objects.get(last_name="Кузнецов")
    assert created.is_external and created.organization == draft.organization  # kept by the RID's organization
    assert response["HX-Trigger"] == f'{{"personCreated": {{"id": {created.pk}}}}}'
    assert "Кузнецов Олег добавлен в реестр людей и в таблицу авторов." in html(response)  # in his gender


def test_contributor_is_listed_separately(client, author, draft, officer):
    helper = person_save(actor=officer, last_name="Лаборантов", first_name="Илья", organization=draft.organization)
    client.force_login(author)
    url = reverse("registry:contributor_add", args=[draft.pk])
    page = html(client.post(url, {"person": helper.pk, "assistance": ""}))
    assert "Опишите характер содействия (техническое, организационное, консультации…)." in page
    assert not Contribution.objects.exists()
    response = client.post(url, {"person": helper.pk, "assistance": "изготовил стенд"})
    assert response.status_code == 302
    page = html(client.get(reverse("registry:tab", args=[draft.pk, "authors"])))
    assert "Лаборантов Илья</a> — изготовил стенд" in page


# --- people -----------------------------------------------------------------------------------------------------


def test_person_page_shows_division_and_visible_rids(client, officer, author, draft, author_person, registry):
    client.force_login(officer)
    page = html(client.get(reverse("registry:person", args=[author_person.pk])))
    assert "Иванов Пётр Сергеевич" in page and "Кафедра" in page and "112-233-445 95" in page  # the IP department
    assert {draft.number, registry["invention"].number, registry["database"].number} <= set(numbers_in(page))
    assert registry["software"].number not in page


def test_workflow_with_the_received_date_in_the_future_is_refused(client, officer, author, draft):
    notice_submit(actor=author, rid=draft)
    client.force_login(officer)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = html(client.post(reverse("registry:receive", args=[draft.pk]), {"received_on": tomorrow.isoformat()}))
    assert f"Дата поступления не может быть в будущем ({tomorrow:%d.%m.%Y})." in page
    assert Rid.objects.get(pk=draft.pk).status == RidStatus.SUBMITTED


def test_packet_upload_by_author_after_receipt_is_denied(client, author, officer, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice_submit(actor=author, rid=draft)
    notice_receive(actor=officer, rid=draft)
    client.force_login(author)
    response = client.post(
        reverse("registry:packet_upload", args=[draft.pk]),
        {"kind": "notice", "file": SimpleUploadedFile("n.pdf", b"x")},
    )
    assert response.status_code == 403
    packet_upload(actor=officer, rid=draft, kind="notice", file=SimpleUploadedFile("n.pdf", b"x"))
    assert draft.packet.count() == 1


def test_docx_documents_download_or_explain_what_is_missing(client, officer, draft):
    client.force_login(officer)
    response = client.get(reverse("registry:document", args=[draft.pk, "notice"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    page = html(client.get(reverse("registry:document", args=[draft.pk, "state_secret"])))
    assert (
        f'data-testid="action-error">Заключение о возможности открытого опубликования для РИД {draft.number} '
        "ещё не внесено.</div>"
    ) in page
    assert client.get(reverse("registry:document", args=[draft.pk, "nonsense"])).status_code == 404


def test_export_follows_the_filters_and_the_visibility(client, officer, author, registry, org_tree):
    client.force_login(officer)
    page = html(client.get(reverse("registry:list"), {"kind": "invention"}, **HTMX))
    assert 'href="/registry/export/?kind=invention&amp;format=csv"' in page  # the links follow the filter (oob)
    response = client.get(reverse("registry:export"), {"kind": "invention", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert registry["invention"].number in text and registry["software"].number not in text
    xlsx = client.get(reverse("registry:export"), {"kind": "invention", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == XLSX_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert registry["invention"].number in numbers and registry["software"].number not in numbers
    other_author = persona(Role.AUTHOR, org_tree["university"], username="author2")
    client.force_login(other_author)
    text = b"".join(client.get(reverse("registry:export"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert numbers_in(text) == []


def test_an_author_deletes_his_draft_after_confirming_and_the_log_keeps_it(client, author, draft, officer):
    from ridbook.audit.models import ChangeRecord

    client.force_login(author)
    detail = html(client.get(reverse("registry:detail", args=[draft.pk])))
    assert 'data-testid="rid-delete"' in detail
    confirm = html(client.get(reverse("registry:delete", args=[draft.pk])))
    assert "Удалить черновик?" in confirm and draft.number in confirm
    assert Rid.objects.filter(pk=draft.pk).exists()  # asking is not deleting
    authorships = draft.authorships.count()
    before = ChangeRecord.objects.filter(action="delete", content_type__model="authorship").count()
    response = client.post(reverse("registry:delete", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("registry:list")
    assert not Rid.objects.filter(pk=draft.pk).exists()
    deleted = ChangeRecord.objects.filter(action="delete", object_id=str(draft.pk), content_type__model="rid").get()
    assert deleted.actor == author and deleted.before["title"] == "Способ контроля износа рельсов"
    after = ChangeRecord.objects.filter(action="delete", content_type__model="authorship").count()
    assert after - before == authorships == 2  # each authorship's deletion is journaled too


def test_a_submitted_notice_or_someone_elses_draft_is_not_deleted(client, author, draft, personas, org_tree):
    from ridbook.registry.services import notice_submit

    other = persona(Role.AUTHOR, org_tree["department"], username="other-author")
    client.force_login(other)
    assert client.post(reverse("registry:delete", args=[draft.pk])).status_code in (403, 404)
    notice_submit(actor=author, rid=draft)
    client.force_login(author)
    assert client.post(reverse("registry:delete", args=[draft.pk])).status_code == 403
    api = client.delete(f"/api/v1/rids/{draft.pk}/")
    assert api.status_code in (400, 403) and Rid.objects.filter(pk=draft.pk).exists()


def test_required_fields_are_marked_and_the_banner_links_each_error_to_its_field(client, author, org_tree):
    client.force_login(author)
    page = html(client.get(reverse("registry:new")))
    for name in ("kind", "title", "organization"):
        assert f'data-testid="mark-{name}" title="обязательно для сохранения">*</span>' in page, name
    for name in ("purpose", "keywords", "abstract"):
        assert f'data-testid="mark-{name}" title="обязательно для подачи уведомления">°</span>' in page, name
    assert 'data-testid="mark-uses"' not in page  # optional fields carry no mark
    data = notice_data(org_tree["department"], title="", prototypes_count="два")
    page = html(client.post(reverse("registry:new"), data))
    assert '<a href="#id_title" data-testid="error-link">Наименование' in page
    assert '<a href="#id_prototypes_count" data-testid="error-link">' in page and "Введите целое число." in page


def test_an_accepted_notice_without_clearances_warns_the_ip_department_and_the_secretary(
    client, author, officer, draft, personas
):
    from ridbook.registry.services import notice_accept, notice_receive, notice_submit

    notice_submit(actor=author, rid=draft)
    notice_receive(actor=officer, rid=draft)
    notice_accept(actor=officer, rid=draft)  # the clearances are not there yet: accepted all the same
    for user in (officer, personas[Role.COMMISSION_SECRETARY]):
        client.force_login(user)
        page = html(client.get(reverse("registry:detail", args=[draft.pk])))
        assert 'data-testid="clearances-missing"' in page
        assert "нет заключения о возможности открытого опубликования" in page
    client.force_login(author)
    assert 'data-testid="clearances-missing"' not in html(client.get(reverse("registry:detail", args=[draft.pk])))
