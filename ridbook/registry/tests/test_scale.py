"""What keeps the registry fast at a million RIDs: the capped count of the list, the stored search vector."""

from __future__ import annotations

import csv
import io
import re
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ridbook.registry import paging
from ridbook.registry.io import bulk, export_csv, registry_import
from ridbook.registry.io import importer as importer_module
from ridbook.registry.io.people import People
from ridbook.registry.models import NoticeEvent, Person, Rid
from ridbook.registry.paging import CappedPaginator, grouped, rounded
from ridbook.registry.search import search_filter
from ridbook.registry.selectors import organizations_seen_whole
from ridbook.registry.services import rid_create, rid_update

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the search vector is PostgreSQL's")


@pytest.fixture
def five(officer, org_tree):
    return [
        rid_create(actor=officer, organization=org_tree["department"], kind="software", title=f"Программа {i}")
        for i in range(5)
    ]


def test_count_is_exact_up_to_the_cap(five):
    paginator = CappedPaginator(Rid.objects.all(), 2, cap=5)
    page = paginator.get_page(1)
    assert (paginator.exact, paginator.count, paginator.num_pages) == (True, 5, 3)
    assert [len(paginator.page(n)) for n in (1, 2, 3)] == [2, 2, 1]
    assert page.has_next() and not paginator.page(3).has_next()


def test_past_the_cap_the_count_is_a_lower_bound_and_the_pager_goes_on(five):
    paginator = CappedPaginator(Rid.objects.all(), 2, cap=3)
    page = paginator.get_page(1)
    assert (paginator.exact, paginator.count, paginator.num_pages, paginator.count_text) == (False, 3, 1, "3")
    assert len(page) == 2 and page.has_next()
    # a page past the cap is counted to its end: still more rows, so still «вперёд»
    second = CappedPaginator(Rid.objects.all(), 2, cap=3, page=2)
    page = second.get_page(2)
    assert (second.exact, second.count, second.num_pages, page.number) == (False, 4, 2, 2)
    assert len(page) == 2 and page.has_next()
    # the last page: the count reaches the end and is exact again
    third = CappedPaginator(Rid.objects.all(), 2, cap=3, page=3)
    page = third.get_page(3)
    assert (third.exact, third.count, third.num_pages) == (True, 5, 3)
    assert len(page) == 1 and not page.has_next()
    assert [r.pk for r in page] == [five[0].pk]  # the list's order: newest first


def test_a_page_number_that_is_not_a_number_is_page_one(five):
    paginator = CappedPaginator(Rid.objects.all(), 2, cap=3, page="last")
    assert paginator.get_page("last").number == 1 and paginator.count == 3


def test_grouped_thousands():
    assert grouped(10_000) == "10\u202f000" and grouped(999) == "999"


def test_list_page_says_the_count_is_not_exact(client, officer, five, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    client.force_login(officer)
    page = client.get(reverse("registry:list")).content.decode()
    assert (
        "Найдено более 3 РИД: точное число не подсчитывается, чтобы список открывался быстро. "
        "Уточните условия поиска, чтобы увидеть число."
    ) in page
    assert "страница 1 из более чем 1" in page and "вперёд" in page
    narrowed = client.get(reverse("registry:list"), {"q": "программа 4"}).content.decode()
    assert "Найден 1 РИД" in narrowed and "более" not in narrowed


def test_list_page_counts_exactly_below_the_cap(client, officer, five, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    client.force_login(officer)
    page = client.get(reverse("registry:list")).content.decode()
    assert "Найдено РИД: 5" in page and "страница 1 из 3" in page
    last = client.get(reverse("registry:list"), {"page": 3}).content.decode()
    assert "страница 3 из 3" in last and "вперёд" not in last


def _vector(rid: Rid) -> str:
    return str(Rid.objects.values_list("search_vector", flat=True).get(pk=rid.pk))


@postgres_only
def test_search_vector_follows_the_lemmas_on_save(officer, org_tree):
    rid = rid_create(actor=officer, organization=org_tree["department"], kind="invention", title="Способы контроля")
    tails = " ".join(rid.number.split("-", 1)[1:] + rid.number.split("-")[2:])  # «2026-00001 00001»
    assert Rid.objects.get(pk=rid.pk).search_lemmas == f" способ контроль {rid.number.lower()} {tails} "
    assert "'способ'" in _vector(rid) and "'контроль'" in _vector(rid)
    rid_update(actor=officer, rid=rid, title="Датчики вибрации")
    vector = _vector(rid)
    assert "'датчик'" in vector and "'вибрация'" in vector and "'способ'" not in vector
    assert list(search_filter(Rid.objects.all(), "датчика")) == [rid]
    assert list(search_filter(Rid.objects.all(), "способ")) == []


@postgres_only
def test_search_vector_is_written_by_the_import(officer, org_tree):
    rid = rid_create(actor=officer, organization=org_tree["department"], kind="software", title="Расписание поездов")
    buffer = io.BytesIO()
    export_csv(Rid.objects.all(), buffer)
    text = buffer.getvalue().decode("utf-8-sig").replace(rid.number, "")  # the import numbers it anew
    report = registry_import(
        io.BytesIO(text.encode("utf-8-sig")), actor=officer, organization=org_tree["university"], filename="r.csv"
    )
    assert report.written, report.text()
    imported = Rid.objects.exclude(pk=rid.pk).get()
    vector = _vector(imported)
    assert "'расписание'" in vector and "'поезд'" in vector
    assert set(search_filter(Rid.objects.all(), "поезда")) == {rid, imported}


def test_list_rows_show_their_authors_in_order_with_queries_independent_of_rows(client, officer, draft, five):
    client.force_login(officer)
    url = reverse("registry:list")
    page = client.get(url).content.decode()
    assert "<td>Иванов П.С., Петрова А.</td>" in page
    assert page.count('<span class="muted">—</span></td>') == 5  # the five RIDs without authors
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        rid_create(actor=officer, organization=draft.organization, kind="database", title=f"База {i}")
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).content.decode().count('data-testid="rid-row"') == 16
    assert len(more.captured_queries) == len(few.captured_queries)


def test_rounded_estimates():
    assert [rounded(n) for n in (7, 99, 145_476, 228_094, 52_000, 1_000_000)] == [
        7,
        99,
        150_000,
        230_000,
        52_000,
        1_000_000,
    ]


def test_a_large_estimate_is_shown_instead_of_a_count(five, monkeypatch):
    monkeypatch.setattr(paging, "ESTIMATE_FROM", 100)
    paginator = CappedPaginator(Rid.objects.all(), 2, estimate=lambda: 228_094)
    page = paginator.get_page(1)
    assert (paginator.mode, paginator.count, paginator.count_text, paginator.num_pages) == (
        "estimated",
        230_000,
        "230\u202f000",
        115_000,
    )
    assert len(page) == 2 and page.has_next() and page.next_page_number() == 2
    last = CappedPaginator(Rid.objects.all(), 2, page=3, estimate=lambda: 228_094).get_page(3)
    assert len(last) == 1 and not last.has_next()  # a page that is not full is the last one
    small = CappedPaginator(Rid.objects.all(), 2, estimate=lambda: 99)  # below ESTIMATE_FROM: counted
    assert (small.mode, small.count) == ("exact", 5)


@postgres_only
def test_search_page_shows_the_planner_estimate(client, officer, five, monkeypatch):
    monkeypatch.setattr(paging, "ESTIMATE_FROM", 1)
    client.force_login(officer)
    page = client.get(reverse("registry:list"), {"q": "программа"}).content.decode()
    seen = Rid.objects.filter(organization_id__in=organizations_seen_whole(officer))
    expected = paging.planner_rows(search_filter(seen, "программа"))
    assert expected is not None and expected >= 1
    assert (
        f"Найдено около {grouped(rounded(expected))} РИД: это оценка по статистике базы данных, а не подсчёт. "
        "Уточните условия поиска, чтобы увидеть точное число."
    ) in page
    # without a search the list is counted
    assert "Найдено РИД: 5" in client.get(reverse("registry:list")).content.decode()


@postgres_only
def test_a_surnames_beginning_shows_the_planner_estimate_like_a_search(client, officer, five, monkeypatch):
    """Counting the RIDs of a common surname costs a look-up per RID: from ESTIMATE_FROM expected RIDs on, the list
    shows the planner's estimate, as for a search; below it, it counts."""
    from ridbook.registry.filters import RidFilter

    person = Person.objects.create(last_name="Иванов", first_name="Пётр", organization=five[0].organization)
    for rid in five[:3]:
        rid.authorships.create(person=person, coefficient=100)
    seen = Rid.objects.filter(organization_id__in=organizations_seen_whole(officer))
    expected = paging.planner_rows(RidFilter({"author": "иван"}, queryset=seen, user=officer).qs)
    assert expected is not None and expected >= 1
    client.force_login(officer)
    monkeypatch.setattr(paging, "ESTIMATE_FROM", 1)
    page = client.get(reverse("registry:list"), {"author": "иван"}).content.decode()
    assert f"Найдено около {grouped(rounded(expected))} РИД: это оценка" in page
    assert set(re.findall(r"РИД-\d{4}-\d{5}", page)) <= {rid.number for rid in five[:3]}
    monkeypatch.setattr(paging, "ESTIMATE_FROM", 10_000)
    page = client.get(reverse("registry:list"), {"author": "иван"}).content.decode()
    assert "Найдено РИД: 3" in page
    assert set(re.findall(r"РИД-\d{4}-\d{5}", page)) == {rid.number for rid in five[:3]}


def test_an_author_is_always_counted(client, author, draft, monkeypatch):
    monkeypatch.setattr(paging, "ESTIMATE_FROM", 1)
    client.force_login(author)
    page = client.get(reverse("registry:list"), {"q": "износа"}).content.decode()
    assert "Найден 1 РИД" in page and "около" not in page


def test_export_reads_each_persons_name_once(officer, draft, django_assert_num_queries, monkeypatch):
    from ridbook.registry.io import export as export_module
    from ridbook.registry.services import AuthorInput, rid_set_authors

    second = rid_create(actor=officer, organization=draft.organization, kind="software", title="Вторая")
    rid_set_authors(
        actor=officer,
        rid=second,
        authors=[AuthorInput(person=a.person, coefficient=a.coefficient) for a in draft.authorships.all()],
    )
    monkeypatch.setattr(export_module, "CHUNK", 1)
    buffer = io.BytesIO()
    with django_assert_num_queries(4):  # the RIDs; authorships of chunk 1, its people; authorships of chunk 2
        assert export_csv(Rid.objects.order_by("number"), buffer) == 2
    rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert [row[11] for row in rows[1:]] == ["Иванов П. С. (60 %); Петрова А. (40 %)"] * 2


def test_an_import_keeps_the_first_warnings_and_counts_the_rest(officer, org_tree, monkeypatch):
    from ridbook.registry.io import report as report_module

    monkeypatch.setattr(report_module, "WARNINGS_KEPT", 2)
    surnames = ["Сидоров", "Кузнецов", "Смирнов", "Козлов", "Орлов"]
    for surname in surnames:  # two people fit «Сидоров П.»: the row creates a third one and warns
        for first in ("Пётр", "Павел"):
            Person.objects.create(last_name=surname, first_name=first, organization=org_tree["department"])
    header = "Вид РИД;Наименование;Авторы"
    rows = [f"программа для ЭВМ;Программа {i};{surname} П. (100 %)" for i, surname in enumerate(surnames)]
    report = registry_import(
        io.BytesIO(("\n".join([header, *rows]) + "\n").encode()),
        actor=officer,
        organization=org_tree["university"],
        dry_run=True,
        filename="r.csv",
    )
    assert report.ok, report.text()
    assert (len(report.warnings), report.warnings_total) == (2, 5)
    assert report.text(max_warnings=20).endswith("  … и ещё 3.")


@postgres_only
def test_primary_keys_are_reserved_in_growing_blocks(django_assert_num_queries):
    reserve = bulk.PkReserve(Person)
    with django_assert_num_queries(1):
        first = reserve.take(3)  # as many as asked at first
    with django_assert_num_queries(1):
        second = reserve.take(4)  # then four times what was taken so far: 12
    with django_assert_num_queries(0):
        third = reserve.take(8)
    taken = [*first, *second, *third]
    assert len(taken) == len(set(taken)) == 15 and taken == sorted(taken)
    reserve.taken = 10**6
    with django_assert_num_queries(1):
        reserve.take(1)
    assert len(reserve.free) == bulk.PkReserve.LARGEST - 1  # no larger than LARGEST


@postgres_only
def test_a_large_import_writes_from_a_thread_and_leaves_foreign_keys_deferred(officer, org_tree, monkeypatch):
    """The COPYs run in the sender's thread, each checking its foreign keys as it ends; after the import the
    transaction checks them at the commit again, as Django declares them (a row may point forward for a while)."""
    monkeypatch.setattr(importer_module, "CHUNK", 2)
    threads: set[str] = set()
    copy = bulk._send

    def recorded(cursor, sql, data):
        threads.add(threading.current_thread().name)
        copy(cursor, sql, data)

    monkeypatch.setattr(bulk, "_send", recorded)
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(
        [["Вид РИД", "Наименование", "Авторы"]]
        + [["программа для ЭВМ", f"Программа {i}", f"Автор{i} А. А. (100 %)"] for i in range(5)]
    )

    report = registry_import(io.BytesIO(text.getvalue().encode()), actor=officer, organization=org_tree["university"])

    assert report.written and report.rids == 5, report.text()
    assert threads == {"ridbook-copy"}
    assert Rid.objects.filter(title__startswith="Программа ").count() == 5
    # deferred: a row pointing at a missing RID is only refused at the commit — here it is gone before
    NoticeEvent.objects.create(rid_id=-1, kind="created", actor_label="")
    NoticeEvent.objects.filter(rid_id=-1).delete()


def test_people_of_a_surname_spelt_with_and_without_yo_are_read_once(org_tree):
    fyodorov = Person.objects.create(
        last_name="Федоров", first_name="Иван", middle_name="Ильич", organization=org_tree["department"]
    )
    people = People(org_tree["university"])
    people.load({"Фёдоров"})  # reads «Фёдоров» and «Федоров»
    people.load({"Федоров"})  # a later chunk: nothing new to read
    assert [slot.pk for slot in people.slots(("федоров", "и", "и"))] == [fyodorov.pk]
    assert not people.unsorted and [slot.pk for slots in people.by_key.values() for slot in slots] == [fyodorov.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pattern indexes are PostgreSQL's")
def test_the_surname_beginning_is_found_through_its_indexes(officer, org_tree):
    """Migration 0012's pattern indexes fit the SQL that ``surname_q`` makes (both branches of its OR): a plan, not
    a time — with sequential scans priced out, the planner reads the people through both indexes."""
    from django.db import transaction

    from ridbook.registry.filters import surname_q

    Person.objects.create(last_name="Иванов", first_name="Пётр", organization=org_tree["department"])
    people = Person.objects.filter(surname_q("last_name", "иван")).order_by()
    sql, params = people.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_person_last_name_upper_like" in plan and "registry_person_last_name_like" in plan, plan
    assert [p.last_name for p in people] == ["Иванов"]
