"""Import and export of the registry: XLSX and CSV export, round trip, FIPS open data, bad input."""

from __future__ import annotations

import csv
import gc
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.audit.models import ChangeRecord
from ridbook.audit.selectors import change_history
from ridbook.core.errors import PermissionDeniedError
from ridbook.registry.choices import RidKind, RidStatus
from ridbook.registry.io import columns as c
from ridbook.registry.io import csv_stream, export_csv, export_xlsx, registry_import
from ridbook.registry.io import export as export_module
from ridbook.registry.io import importer as importer_module
from ridbook.registry.io.formats import equal_shares
from ridbook.registry.models import Authorship, NoticeEvent, Person, Rid
from ridbook.registry.search import search_filter
from ridbook.registry.services import refresh_search, rid_create

pytestmark = pytest.mark.django_db

FIPS_SAMPLE = "/work/shared/data/fips/evm-registry-sample.csv"
FIPS_BAD_ROWS = 0  # issue 13: every row of the official file lands
FIPS_FLAGGED_ROWS = 17  # … and these are flagged for review


def own_csv(rows: list[dict[str, str]], columns: list[str] = c.OWN_COLUMNS, encoding: str = "utf-8-sig") -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(col, "") for col in columns])
    return io.BytesIO(text.getvalue().encode(encoding))


def good_row(**values: str) -> dict[str, str]:
    return {
        c.KIND: "программа для ЭВМ",
        c.TITLE: "Программа учёта износа",
        c.AUTHORS: "Сидоров И. И. (100 %)",
        **values,
    }


def run(source, officer, org, **kwargs):
    return registry_import(source, actor=officer, organization=org, filename="реестр.csv", **kwargs)


def messages(report) -> list[str]:
    return [str(p) for p in report.errors]


@pytest.fixture
def published(officer, org_tree):
    return rid_create(  # by the IP department: no author named yet
        actor=officer,
        organization=org_tree["institute"],
        kind="software",
        title="Программа «Рельс»",
        keywords=["рельс"],
        published=True,
        publication_date=date(2024, 3, 5),
        publication_sources="журнал",
        trade_secret=True,
    )


# --- export -----------------------------------------------------------------------------------------------------


def test_export_xlsx_has_russian_header_and_readable_cells(draft, published):
    buffer = io.BytesIO()
    assert export_xlsx(Rid.objects.order_by("number"), buffer) == 2
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == c.OWN_COLUMNS
    assert rows[0][0] == "Учётный номер" and sheet["A1"].font.bold
    first = dict(zip(c.OWN_COLUMNS, rows[1], strict=True))
    assert first[c.NUMBER] == draft.number
    assert first[c.KIND] == "изобретение"
    assert first[c.TITLE] == "Способ контроля износа рельсов"
    assert first[c.ORIGIN] == "служебный"
    assert first[c.DIVISION] == "Кафедра"
    assert first[c.STATUS] == "черновик уведомления"
    assert first[c.CREATED] == datetime.combine(timezone.localdate(), datetime.min.time())
    assert sheet["G2"].number_format == "DD.MM.YYYY"
    assert first[c.FUNDING] == "без внешнего финансирования"
    assert first[c.KEYWORDS] == "рельс; износ; контроль"
    assert first[c.OKPD2] == "62.01.11.000"
    assert first[c.IPC] is None
    assert first[c.AUTHORS] == "Иванов П. С. (60 %); Петрова А. (40 %)"
    assert (first[c.PUBLISHED], first[c.PUBLICATION_DATE], first[c.TRADE_SECRET]) == ("нет", None, "нет")
    second = dict(zip(c.OWN_COLUMNS, rows[2], strict=True))
    assert (second[c.KIND], second[c.DIVISION], second[c.AUTHORS]) == ("программа для ЭВМ", "Институт", None)
    assert (second[c.PUBLISHED], second[c.PUBLICATION_DATE], second[c.TRADE_SECRET]) == (
        "да",
        datetime(2024, 3, 5),
        "да",
    )


def test_export_csv_is_utf8_with_bom_and_semicolons(draft, published):
    buffer = io.BytesIO()
    assert export_csv(Rid.objects.order_by("number"), buffer) == 2
    data = buffer.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == c.OWN_COLUMNS
    assert rows[1][:3] == [draft.number, "изобретение", "Способ контроля износа рельсов"]
    assert rows[1][6] == f"{timezone.localdate():%d.%m.%Y}"
    assert rows[1][11] == "Иванов П. С. (60 %); Петрова А. (40 %)"
    assert rows[2][12:] == ["да", "05.03.2024", "да"]
    assert "".join(csv_stream(Rid.objects.order_by("number"))).encode() == data


def test_export_reads_rids_and_authors_in_chunks(draft, published, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(export_module, "CHUNK", 1)
    # the RIDs (one cursor); per chunk its authorships, then the names of the people the export has not met yet
    # (the second RID has no authors: no names to read)
    assert not published.authorships.exists()
    with django_assert_num_queries(4):
        assert export_csv(Rid.objects.order_by("number"), io.BytesIO()) == 2


def test_export_of_other_kind_keeps_its_subtype(author, org_tree):
    rid_create(
        actor=author,
        organization=org_tree["department"],
        kind="other",
        other_subtype="топология ИМС",
        title="Топология",
    )
    rows = list(csv.reader(io.StringIO("".join(csv_stream(Rid.objects.all()))), delimiter=";"))
    assert rows[1][1] == "иной РИД: топология ИМС"


FORMULA_TITLES = ["=1+1 «Формула»", "-50 °C: испытание", "+7 999 «Связь»", "@SUM(A1) отчёт", "'-5 с апострофом"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_is_neutralized_and_read_back(fmt, author, officer, org_tree):
    for title in FORMULA_TITLES:
        rid_create(
            actor=author, organization=org_tree["department"], kind="software", title=title, keywords=["=HYPERLINK(x)"]
        )
    tab = Rid.objects.create(
        organization=org_tree["department"], kind="software", title="\tТабуляция", number="\rРИД-1", created_by=author
    )  # the services strip such text; a row written otherwise still goes out neutralized
    export = export_xlsx if fmt == "xlsx" else export_csv
    buffer = io.BytesIO()
    export(Rid.objects.order_by("pk"), buffer)
    if fmt == "xlsx":
        rows = [
            [cell or "" for cell in row] for row in openpyxl.load_workbook(buffer).active.iter_rows(values_only=True)
        ]
    else:
        rows = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"), newline=""), delimiter=";"))
    titles = [row[2] for row in rows[1:]]
    assert titles == [f"'{title}" for title in FORMULA_TITLES] + ["'\tТабуляция"]
    # XML reads a carriage return as a line feed: either way the cell begins with the apostrophe
    assert rows[1][8] == "'=HYPERLINK(x)" and rows[-1][0] in ("'\rРИД-1", "'\nРИД-1")
    assert not any(str(cell).startswith(tuple("=+-@\t\r")) for row in rows for cell in row)
    tab.delete()
    buffer = io.BytesIO()
    export(Rid.objects.all(), buffer)
    buffer.seek(0)
    before = sorted(Rid.objects.values_list("title", flat=True))
    Rid.objects.all().delete()
    assert run(buffer, officer, org_tree["university"]).written
    assert sorted(Rid.objects.values_list("title", flat=True)) == before == sorted(FORMULA_TITLES)
    assert all(keywords == ["=HYPERLINK(x)"] for keywords in Rid.objects.values_list("keywords", flat=True))


# --- round trip -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_of_our_export(fmt, draft, published, officer, org_tree, author_person, coauthor):
    buffer = io.BytesIO()
    (export_csv if fmt == "csv" else export_xlsx)(Rid.objects.order_by("number"), buffer)
    numbers = sorted(Rid.objects.values_list("number", flat=True))
    Rid.objects.all().delete()
    people = Person.objects.count()
    buffer.seek(0)

    report = run(buffer, officer, org_tree["university"])

    assert report.ok, report.text()
    assert (report.format, report.rows, report.rids, report.written) == ("own", 2, 2, True)
    assert (report.people_matched, report.people_created) == (2, 0)
    assert sorted(Rid.objects.values_list("number", flat=True)) == numbers
    rid = Rid.objects.get(number=numbers[0])
    assert (rid.kind, rid.title, rid.organization, rid.status) == (
        RidKind.INVENTION,
        "Способ контроля износа рельсов",
        org_tree["department"],
        RidStatus.DRAFT,
    )
    assert (rid.keywords, rid.okpd2, rid.created_by) == (["рельс", "износ", "контроль"], "62.01.11.000", officer)
    assert [(a.person, a.coefficient) for a in rid.authorships.all()] == [
        (author_person, Decimal("60.00")),
        (coauthor, Decimal("40.00")),
    ]
    other = Rid.objects.get(number=numbers[1])
    assert (other.published, other.publication_date, other.trade_secret) == (True, date(2024, 3, 5), True)
    assert Person.objects.count() == people
    assert list(search_filter(Rid.objects.all(), "износа рельса")) == [rid]
    stored = rid.search_lemmas
    refresh_search(rid)
    assert rid.search_lemmas == stored  # the importer stores what the services would
    record = change_history(instance=rid).get()
    assert (record.action, record.actor, record.actor_label) == ("create", officer, officer.username)
    assert record.after["authors"] == ["Иванов П.С. (60 %)", "Петрова А. (40 %)"]
    assert record.after["source"] == "импорт из файла «реестр.csv», строка 2"
    assert NoticeEvent.objects.filter(rid=rid, kind="created", actor=officer).count() == 1


def test_the_same_export_cannot_be_imported_twice(draft, officer, org_tree):
    buffer = io.BytesIO()
    export_csv(Rid.objects.all(), buffer)
    buffer.seek(0)
    report = run(buffer, officer, org_tree["university"])
    assert messages(report) == [
        f"Строка 2, столбец «Учётный номер»: РИД с учётным номером «{draft.number}» уже есть в реестре."
    ]
    assert Rid.objects.count() == 1


def test_rows_without_number_get_numbers_in_one_block(officer, org_tree, draft):
    report = run(own_csv([good_row(), good_row(**{c.TITLE: "Вторая программа"})]), officer, org_tree["university"])
    assert report.ok
    year = timezone.localdate().year
    assert sorted(Rid.objects.exclude(pk=draft.pk).values_list("number", flat=True)) == [
        f"РИД-{year}-00002",
        f"РИД-{year}-00003",
    ]
    for rid in Rid.objects.exclude(pk=draft.pk):
        stored = rid.search_lemmas
        refresh_search(rid)
        assert rid.search_lemmas == stored
    person = Person.objects.get(last_name="Сидоров")
    assert (person.first_name, person.middle_name) == ("И.", "И.")
    assert Authorship.objects.get(person=person, rid__title="Вторая программа").coefficient == Decimal("100")
    assert change_history(instance=person).get().after["last_name"] == "Сидоров"


# --- FIPS -------------------------------------------------------------------------------------------------------


def test_fips_sample_dry_run_reports_every_odd_row_and_writes_nothing(officer, org_tree):
    records = ChangeRecord.objects.count()
    report = registry_import(FIPS_SAMPLE, actor=officer, organization=org_tree["university"], dry_run=True)

    assert (report.format, report.rows, report.bad_rows) == ("fips", 885, FIPS_BAD_ROWS)
    assert report.rids == 885 - FIPS_BAD_ROWS
    text = "\n".join(str(w) for w in report.warnings)
    assert (
        "Строка 482, столбец «authors»: Автор «Sett (RU)» записан не как фамилия и имя (одним словом или "
        "инициалами): не импортирован, проверьте авторов."
    ) in text
    assert "Строка 533, столбец «authors»: Автор Поварчук А. М. указан в строке дважды: учтён один раз." in text
    assert "Строка 3, столбец «authors»: Авторы не указаны: РИД импортирован без авторов." in [
        str(w) for w in report.warnings
    ]
    assert report.summary().startswith(
        "Файл «evm-registry-sample.csv»: открытый реестр программ для ЭВМ (ФИПС). "
        f"Строк с данными: 885, с ошибками: {FIPS_BAD_ROWS}.\nПроверка без записи"
    )
    assert (Rid.objects.count(), Person.objects.count(), ChangeRecord.objects.count()) == (0, 0, records)


def test_fips_sample_strict_run_writes_nothing_and_skipping_writes_the_good_rows(officer, org_tree):
    kosareva = Person.objects.create(
        last_name="Косарева", first_name="Юлия", middle_name="Андреевна", organization=org_tree["department"]
    )

    report = registry_import(FIPS_SAMPLE, actor=officer, organization=org_tree["university"])

    assert report.written and Rid.objects.count() == 885 - FIPS_BAD_ROWS == report.rids
    assert Rid.objects.filter(needs_review=True).count() == FIPS_FLAGGED_ROWS
    rid = Rid.objects.get(publication_sources__contains="№ 940274 ")
    assert (rid.kind, rid.status, rid.title, rid.organization) == (
        RidKind.SOFTWARE,
        RidStatus.PROTECTED,
        "«ПРОФИ-Т»",
        org_tree["university"],
    )
    assert (rid.accepted_on, rid.publication_date, rid.published) == (date(1994, 7, 11), date(1994, 12, 20), True)
    assert rid.publication_sources.startswith(
        "Свидетельство о государственной регистрации программы для ЭВМ № 940274 от 11.07.1994 (заявка № 940178). "
        'Правообладатели: Общество с ограниченной ответственностью "Фирма ПИЛОТ".'
    )
    authors = [
        (a.person.last_name, a.person.first_name, a.person.middle_name, a.coefficient)
        for a in rid.authorships.select_related("person")
    ]
    assert authors == [
        ("Косарева", "Юлия", "Андреевна", Decimal("33.34")),
        ("Усов", "А.", "Ю.", Decimal("33.33")),
        ("Бондаренко", "В.", "С.", Decimal("33.33")),
    ]
    assert rid.authorships.first().person == kosareva
    sums = set(Authorship.objects.values("rid").annotate(total=Sum("coefficient")).values_list("total", flat=True))
    assert sums == {Decimal("100.00")}
    assert Person.objects.filter(last_name="Лыков", first_name="Александр").count() == 1  # one person, many RIDs
    assert change_history(instance=rid).get().actor == officer
    rid_records = ChangeRecord.objects.filter(content_type__model="rid", action="create")
    assert rid_records.count() == report.rids
    assert ChangeRecord.objects.filter(content_type__model="person", actor=officer).count() == report.people_created
    assert rid in search_filter(Rid.objects.all(), "Косарева профи-т")
    assert rid.state_registration_number == "940274"
    assert rid in search_filter(Rid.objects.all(), "940274")  # the certificate's number finds it


def test_a_newer_copy_of_the_fips_registry_adds_only_the_new_registrations(officer, org_tree):
    university = org_tree["university"]
    first = run(
        fips(
            '2020610001,20200110,,,"Иванов П.С. (RU)",1,,,Прога,,,,true,',
            '2020610002,20200111,,,"Петров И. И. (RU)",1,,,Прога 2,,,,true,',
        ),
        officer,
        university,
    )
    assert first.written and first.rids == 2 and first.already_registered == 0
    known = Rid.objects.get(state_registration_number="2020610001")
    people = Person.objects.count()

    again = run(
        fips(
            '2020610001,20200110,,,"Иванов П.С. (RU)",1,,,Прога,,,,true,',
            '2020610003,20200112,,,"Сидоров А. А. (RU)",1,,,Прога 3,,,,true,',
            '2020610003,20200112,,,"Сидоров А. А. (RU)",1,,,Прога 3,,,,true,',
            '2020610002,20200111,,,"Петров И. И. (RU)",1,,,Прога 2,,,,true,',
        ),
        officer,
        university,
    )

    assert again.ok and again.written, again.text()
    assert (again.rows, again.rids, again.already_registered, again.bad_rows) == (4, 1, 3, 0)
    assert [str(w) for w in again.warnings] == [
        f"Строка 2, столбец «registration number»: Программа для ЭВМ № 2020610001 уже в реестре ({known.number}): "
        "строка пропущена.",
        "Строка 4, столбец «registration number»: Программа для ЭВМ № 2020610003 уже в строке 3: строка пропущена.",
        f"Строка 5, столбец «registration number»: Программа для ЭВМ № 2020610002 уже в реестре "
        f"({Rid.objects.get(state_registration_number='2020610002').number}): строка пропущена.",
    ]
    assert "Уже были в реестре и пропущены: 3." in again.summary()
    assert sorted(Rid.objects.values_list("state_registration_number", flat=True)) == [
        "2020610001",
        "2020610002",
        "2020610003",
    ]
    assert Person.objects.count() == people + 1  # Сидоров only: the skipped rows create nobody


def test_one_state_registration_is_one_rid(officer, org_tree):
    rid = rid_create(actor=officer, organization=org_tree["university"], kind="software", title="Прога")
    Rid.objects.filter(pk=rid.pk).update(state_registration_number="2020610001")
    other = rid_create(actor=officer, organization=org_tree["university"], kind="software", title="Прога 2")
    other.state_registration_number = "2020610001"
    with pytest.raises(ValidationError) as caught:
        other.full_clean()
    assert caught.value.messages == ["РИД с таким номером государственной регистрации уже есть в реестре."]
    database = rid_create(actor=officer, organization=org_tree["university"], kind="database", title="БД")
    database.state_registration_number = "2020610001"  # another kind: another register (БД № 2020610001)
    database.full_clean()


def test_equal_shares_sum_to_exactly_one_hundred():
    for n in range(1, 30):
        shares = equal_shares(n)
        assert sum(shares) == Decimal("100.00") and max(shares) - min(shares) <= Decimal("0.01")
    assert equal_shares(7) == [Decimal("14.29")] * 4 + [Decimal("14.28")] * 3


FIPS_HEADER = ",".join(c.FIPS_COLUMNS)


def fips(*lines: str) -> io.BytesIO:
    return io.BytesIO(("\ufeff" + FIPS_HEADER + "\r\n" + "\r\n".join(lines) + "\r\n").encode())


def test_fips_people_are_matched_by_name_and_initials(officer, org_tree):
    ivanov = Person.objects.create(
        last_name="Иванов", first_name="Пётр", middle_name="Сергеевич", organization=org_tree["department"]
    )
    Person.objects.create(
        last_name="Петров", first_name="Иван", middle_name="Ильич", organization=org_tree["department"]
    )
    Person.objects.create(
        last_name="Петров", first_name="Игорь", middle_name="Игоревич", organization=org_tree["department"]
    )
    report = run(
        fips(
            '2020610001,20200110,,,"Иванов П.С. (RU)\nПетров И.И. (BY)",2,,,Прога,,,,true,',
            '2020610002,20200111,,,"Петров И. И. (RU)",1,,,Прога 2,,,,true,',
        ),
        officer,
        org_tree["university"],
    )
    assert report.ok, report.text()
    assert (report.people_matched, report.people_created) == (1, 1)
    assert [str(w) for w in report.warnings] == [
        "Строка 2, столбец «authors»: «Петров И. И.»: в реестре подходят несколько людей (Петров Иван Ильич, "
        "Петров Игорь Игоревич) — создан новый человек, проверьте авторство."
    ]
    new = Person.objects.get(last_name="Петров", first_name="И.")
    assert new.citizenship == "Республика Беларусь"
    assert [a.person for a in Rid.objects.get(title="Прога").authorships.all()] == [ivanov, new]
    assert [a.person for a in Rid.objects.get(title="Прога 2").authorships.all()] == [new]


def test_a_warning_names_five_of_many_namesakes_and_not_the_new_person(officer, org_tree):
    for first in ["Иван", "Игорь", "Илья", "Игнат", "Иннокентий", "Ираклий", "Исай"]:
        Person.objects.create(
            last_name="Сидоров", first_name=first, middle_name="Ильич", organization=org_tree["department"]
        )
    report = run(fips('2020610001,20200110,,,"Сидоров И.И. (RU)",1,,,Прога,,,,true,'), officer, org_tree["university"])
    assert report.ok, report.text()
    assert [str(w) for w in report.warnings] == [
        "Строка 2, столбец «authors»: «Сидоров И. И.»: в реестре подходят несколько людей (Сидоров Иван Ильич, "
        "Сидоров Игнат Ильич, Сидоров Игорь Ильич, Сидоров Илья Ильич, Сидоров Иннокентий Ильич и ещё 2) — "
        "создан новый человек, проверьте авторство."
    ]


def test_full_names_match_only_the_same_name_and_initials_match_any(officer, org_tree):
    petr = Person.objects.create(
        last_name="Ёлкин", first_name="Пётр", middle_name="Сергеевич", organization=org_tree["department"]
    )
    Person.objects.create(
        last_name="Елкин", first_name="Павел", middle_name="Андреевич", organization=org_tree["department"]
    )
    rows = [
        good_row(**{c.TITLE: "Полное имя", c.AUTHORS: "Елкин Пётр Сергеевич (100 %)"}),  # «ё» and «е» are one
        good_row(**{c.TITLE: "Инициалы", c.AUTHORS: "Ёлкин П. С. (100 %)"}),  # initials fit Пётр Сергеевич only
        good_row(**{c.TITLE: "Другое имя", c.AUTHORS: "Ёлкин Прохор Сергеевич (100 %)"}),  # nobody: new person
    ]

    report = run(own_csv(rows), officer, org_tree["university"])

    assert report.ok, report.text()
    assert (report.people_matched, report.people_created) == (1, 1)
    assert Rid.objects.get(title="Полное имя").authorships.get().person == petr
    assert Rid.objects.get(title="Инициалы").authorships.get().person == petr
    assert Rid.objects.get(title="Другое имя").authorships.get().person.first_name == "Прохор"


def test_a_number_the_import_gave_cannot_come_again_in_a_later_row(officer, org_tree, monkeypatch):
    monkeypatch.setattr(importer_module, "CHUNK", 1)  # the first row has its number before the second is read
    number = f"РИД-{timezone.localdate().year}-00001"
    rows = [good_row(), good_row(**{c.NUMBER: number, c.TITLE: "С номером"})]

    report = run(own_csv(rows), officer, org_tree["university"])

    assert_nothing_written(report)
    assert messages(report) == [
        f"Строка 3, столбец «Учётный номер»: Учётный номер «{number}» импорт уже присвоил строке 2, где номера не было."
    ]


def test_a_number_repeated_in_a_later_chunk_is_named_as_a_repeat(officer, org_tree, monkeypatch):
    monkeypatch.setattr(importer_module, "CHUNK", 1)  # the first row is written before the second is checked
    number = f"РИД-{timezone.localdate().year}-00007"
    rows = [good_row(**{c.NUMBER: number}), good_row(**{c.NUMBER: number, c.TITLE: "Другая"})]

    report = run(own_csv(rows), officer, org_tree["university"])

    assert_nothing_written(report)
    assert messages(report) == [
        f"Строка 3, столбец «Учётный номер»: Учётный номер «{number}» повторяется в файле (строка 2)."
    ]


def test_a_number_taken_while_the_import_runs_means_nothing_is_written(officer, org_tree, monkeypatch):
    """Another user saves a RID with the number of a file's row after the check and before the write: the
    database's unique constraint stops the write (on PostgreSQL in the thread of the COPY), and the whole import is
    rolled back with a message — never a traceback, never half an import."""
    monkeypatch.setattr(importer_module, "CHUNK", 1)
    number = f"РИД-{timezone.localdate().year}-00009"
    rows = [good_row(), good_row(**{c.NUMBER: number, c.TITLE: "Вторая"}), good_row(**{c.TITLE: "Третья"})]
    write = importer_module._Writer.write

    def write_after_a_rival(self, rows):
        if rows[0].rid.number == number:
            Rid.objects.create(number=number, kind=RidKind.SOFTWARE, title="Чужой", organization=org_tree["university"])
        write(self, rows)

    monkeypatch.setattr(importer_module._Writer, "write", write_after_a_rival)
    before = (Person.objects.count(), ChangeRecord.objects.count(), NoticeEvent.objects.count())

    report = run(own_csv(rows), officer, org_tree["university"])

    assert_nothing_written(report)
    assert (Person.objects.count(), ChangeRecord.objects.count(), NoticeEvent.objects.count()) == before
    assert messages(report) == [
        "Импорт не записан: пока он шёл, в реестр добавили РИД с теми же учётными номерами или номерами "
        "государственной регистрации. Повторите импорт."
    ]
    assert run(own_csv(rows[:1]), officer, org_tree["university"]).written


def test_import_makes_no_garbage_cycles(draft, published, officer, org_tree):
    """The import pauses Python's cyclic collector (``importer._collector_paused``): that is safe because it makes
    no reference cycles — what it drops, reference counting frees. And the collector runs again after it."""
    rows = [
        good_row(**{c.TITLE: f"Программа {i}", c.AUTHORS: f"Сидоров И. И. (50 %); Новиков{i} Н. Н. (50 %)"})
        for i in range(30)
    ]
    rows.append(good_row(**{c.KIND: "патент"}))  # a bad row: problems are reported too
    gc.collect()
    gc.disable()
    try:
        report = run(own_csv(rows), officer, org_tree["university"], skip_bad_rows=True)
        assert report.written and report.rids == 30
        assert gc.collect() == 0
    finally:
        gc.enable()
    run(own_csv(rows[:1]), officer, org_tree["university"], dry_run=True)
    assert gc.isenabled()


# --- bad input --------------------------------------------------------------------------------------------------


def assert_nothing_written(report):
    assert not report.written
    assert Rid.objects.count() == 0


def test_wrong_columns_are_named(officer, org_tree):
    unknown = run(own_csv([good_row()], columns=[c.KIND, c.TITLE, "Примечание"]), officer, org_tree["university"])
    assert messages(unknown) == [
        "Неизвестные столбцы: «Примечание». Переименуйте или удалите их; допустимые столбцы: "
        + ", ".join(f"«{col}»" for col in c.OWN_COLUMNS)
        + "."
    ]
    missing = run(own_csv([good_row()], columns=[c.NUMBER, c.TITLE, c.AUTHORS]), officer, org_tree["university"])
    assert messages(missing) == ["Нет обязательных столбцов: «Вид РИД»."]
    neither = run(own_csv([{}], columns=["Название", "Автор"]), officer, org_tree["university"])
    assert messages(neither) == [
        "Формат файла не распознан: нужна выгрузка реестра РИД (столбцы «Вид РИД», «Наименование», …) или открытый "
        "реестр ФИПС: программ для ЭВМ (столбцы «registration number», «program name», …), изобретений "
        "(«invention name»), полезных моделей («utility model name») или промышленных образцов "
        "(«industrial design name»). В заголовке файла: «Название», «Автор»."
    ]
    repeated = run(own_csv([good_row()], columns=[c.KIND, c.TITLE, c.TITLE]), officer, org_tree["university"])
    assert messages(repeated) == ["Столбцы повторяются: «Наименование»."]
    assert_nothing_written(unknown)


def test_cp1251_is_read_correctly_with_a_warning(officer, org_tree):
    report = run(
        own_csv([good_row(**{c.TITLE: "Программа «Ёлка»"})], encoding="cp1251"), officer, org_tree["university"]
    )
    assert report.ok and report.written
    assert [str(w) for w in report.warnings] == [
        "Файл в кодировке Windows-1251: прочитан в ней. Лучше сохранять выгрузки как «CSV UTF-8»."
    ]
    assert Rid.objects.get().title == "Программа «Ёлка»"


def test_utf16_tab_separated_text_from_excel_is_read(officer, org_tree):
    text = "\t".join([c.KIND, c.TITLE]) + "\r\n" + "\t".join(["база данных", "База «Рельсы»"]) + "\r\n"
    report = run(io.BytesIO(text.encode("utf-16")), officer, org_tree["university"])
    assert report.ok and Rid.objects.get().title == "База «Рельсы»"


def test_an_unknown_encoding_is_reported(officer, org_tree):
    report = run(io.BytesIO("Вид РИД;Наименование\r\n".encode() + b"\xff\x98;x\r\n"), officer, org_tree["university"])
    assert messages(report) == ["Файл не в кодировке UTF-8 и не в Windows-1251: сохраните его как «CSV UTF-8»."]


def xlsx(rows, merge: str = "") -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_merged_header_cells_are_refused(officer, org_tree):
    report = run(
        xlsx(
            [[c.KIND, c.TITLE, c.AUTHORS], ["программа для ЭВМ", "Программа", "Сидоров И. И. (100 %)"]], merge="B1:C1"
        ),
        officer,
        org_tree["university"],
    )
    assert messages(report) == [
        "В строке заголовка объединены ячейки B1:C1: у каждого столбца должно быть своё "
        "название в отдельной ячейке — разъедините ячейки."
    ]
    assert_nothing_written(report)


def test_a_merged_title_above_the_header_is_skipped(officer, org_tree):
    report = run(
        xlsx(
            [
                ["Реестр РИД кафедры"],
                [c.KIND, c.TITLE, c.PUBLICATION_DATE],
                ["программа для ЭВМ", "Программа", datetime(2023, 5, 4)],
                [],
                ["патент", "Другая", None],
            ],
            merge="A1:C1",
        ),
        officer,
        org_tree["university"],
    )
    assert messages(report) == [
        "Строка 5, столбец «Вид РИД»: Неизвестный вид РИД «патент»: допустимы изобретение, "
        "полезная модель, промышленный образец, программа для ЭВМ, база данных, секрет "
        "производства (ноу-хау), иной РИД."
    ]
    assert report.rows == 2


def test_empty_rows_are_skipped_and_partly_filled_rows_reported(officer, org_tree):
    source = own_csv([good_row(), {}, {c.TITLE: "Только наименование"}, {c.KEYWORDS: "ключ"}])
    report = run(source, officer, org_tree["university"])
    assert report.rows == 3
    assert messages(report) == [
        "Строка 4, столбец «Вид РИД»: Обязательное поле не заполнено.",
        "Строка 5, столбец «Вид РИД»: Обязательное поле не заполнено.",
        "Строка 5, столбец «Наименование»: Обязательное поле не заполнено.",
        "Строка 5, столбец «Наименование»: Укажите наименование РИД.",
    ]


def test_dates_in_the_future_and_unreadable_dates(officer, org_tree):
    tomorrow = timezone.localdate() + timedelta(days=1)
    report = run(
        own_csv(
            [
                good_row(**{c.PUBLISHED: "да", c.PUBLICATION_DATE: "01.01.2099"}),
                good_row(**{c.PUBLICATION_DATE: "32.13.2020"}),
            ]
        ),
        officer,
        org_tree["university"],
    )
    assert messages(report) == [
        "Строка 2, столбец «Дата публикации»: Дата публикации не может быть в будущем (01.01.2099).",
        "Строка 3, столбец «Дата публикации»: Дата «32.13.2020» не распознана: нужен вид ДД.ММ.ГГГГ.",
    ]
    fips_report = run(
        fips(f'2020610001,{tomorrow:%Y%m%d},,,"Иванов П.С. (RU)",1,,,Прога,,,,true,'), officer, org_tree["university"]
    )
    assert messages(fips_report) == [
        f"Строка 2, столбец «registration date»: Дата регистрации не может быть в будущем ({tomorrow:%d.%m.%Y})."
    ]


def test_values_are_checked_by_the_rules_of_the_notice(officer, org_tree):
    report = run(
        own_csv(
            [
                good_row(
                    **{
                        c.AUTHORS: "Сидоров И. И. (60 %); Петров П. П. (30 %)",
                        c.OKPD2: "62.01",
                        c.PUBLISHED: "может",
                        c.DIVISION: "Деканат",
                        c.ORIGIN: "личный",
                        c.IPC: "G06F 17/30",
                    }
                ),
                good_row(**{c.AUTHORS: "Сидоров И. И.; Петров (50 %); Иванов И. И. (пятьдесят %)"}),
            ]
        ),
        officer,
        org_tree["university"],
    )
    assert messages(report) == [
        "Строка 2, столбец «Подразделение»: Подразделение «Деканат» не найдено в организации «ВУЗ».",
        "Строка 2, столбец «Служебный / инициативный»: Неизвестное значение «личный»: допустимо служебный, "
        "инициативный.",
        "Строка 2, столбец «Опубликован»: Ожидается «да» или «нет», а не «может».",
        "Строка 2, столбец «Авторы»: Сумма коэффициентов участия авторов должна быть ровно 100 %, сейчас 90 %.",
        "Строка 2, столбец «ОКПД2»: Код ОКПД2 «62.01» должен быть одной подкатегорией вида XX.XX.XX.XXX, например "
        "62.01.11.000.",
        "Строка 2, столбец «МПК»: Коды МПК указываются только для изобретений.",
        "Строка 3, столбец «Авторы»: Автор «Сидоров И. И.» записан неверно: нужен вид «Фамилия И. О. (50 %)».",
        "Строка 3, столбец «Авторы»: Автор «Петров (50 %)» записан неверно: нужен вид «Фамилия И. О. (50 %)».",
        "Строка 3, столбец «Авторы»: Коэффициент участия «пятьдесят» — не число.",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Файл пуст: нет ни заголовка, ни строк."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
            "Файл в старом формате Excel (.xls): сохраните его как .xlsx или как CSV UTF-8.",
        ),
        (b"PK\x03\x04garbage", "Файл XLSX повреждён или это не таблица Excel: откройте и сохраните его заново."),
    ],
)
def test_unreadable_files_are_reported(officer, org_tree, data, message):
    assert messages(run(io.BytesIO(data), officer, org_tree["university"])) == [message]


def test_ragged_csv_rows_are_reported(officer, org_tree):
    text = ";".join(c.OWN_COLUMNS) + "\r\n" + ";программа для ЭВМ;Программа\r\n" + ";" * 15 + "лишнее\r\n"
    report = run(io.BytesIO(text.encode()), officer, org_tree["university"])
    assert messages(report) == [
        "Строка 2: В строке 3 значений, а в заголовке 15 столбцов: строка обрезана или разделитель не тот.",
        "Строка 3: Есть значения правее последнего столбца заголовка (столбец P и дальше): проверьте разделитель "
        "и кавычки.",
        "Строка 3, столбец «Вид РИД»: Обязательное поле не заполнено.",
        "Строка 3, столбец «Наименование»: Обязательное поле не заполнено.",
        "Строка 3, столбец «Наименование»: Укажите наименование РИД.",
    ]


# --- atomicity and permissions ------------------------------------------------------------------------------------


def test_a_bad_row_means_nothing_is_written_unless_skipping(officer, org_tree, monkeypatch):
    monkeypatch.setattr(importer_module, "CHUNK", 1)  # the good rows are written before the bad one is read
    rows = [
        good_row(),
        good_row(**{c.TITLE: "Вторая", c.AUTHORS: "Новиков Н. Н. (100 %)"}),
        good_row(**{c.KIND: "патент"}),
    ]
    before = (Person.objects.count(), ChangeRecord.objects.count(), NoticeEvent.objects.count())

    strict = run(own_csv(rows), officer, org_tree["university"])

    assert_nothing_written(strict)
    assert (Person.objects.count(), ChangeRecord.objects.count(), NoticeEvent.objects.count()) == before
    assert strict.summary().endswith(
        "Ничего не записано: строк с ошибками 1. Исправьте их или запустите импорт с пропуском строк с ошибками."
    )

    skipping = run(own_csv(rows), officer, org_tree["university"], skip_bad_rows=True)

    assert skipping.written and (skipping.rids, skipping.bad_rows) == (2, 1)
    assert sorted(Rid.objects.values_list("title", flat=True)) == ["Вторая", "Программа учёта износа"]
    assert (
        "Импорт выполнен. РИД создано: 2; новых людей: 2; авторов найдено в реестре: 0. Строки с ошибками "
        "пропущены: 1." in skipping.summary()
    )


def test_importing_needs_the_ip_officer_role(personas, org_tree):
    with pytest.raises(PermissionDeniedError):
        run(own_csv([good_row()]), personas[Role.AUTHOR], org_tree["university"])
    with pytest.raises(PermissionDeniedError):
        run(own_csv([good_row()]), personas[Role.IP_OFFICER], org_tree["holding"])
    assert Rid.objects.count() == 0


# --- the commands -------------------------------------------------------------------------------------------------


def test_export_and_import_commands(draft, officer, org_tree, tmp_path):
    out = io.StringIO()
    call_command(
        "export_registry",
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "r.xlsx"),
        "--organization",
        str(org_tree["institute"].pk),
        stdout=out,
    )
    assert out.getvalue().startswith(f"Выгружено РИД: 1 в {tmp_path / 'r.xlsx'}")
    call_command(
        "export_registry",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "r.csv"),
        "--as-user",
        officer.username,
        stdout=io.StringIO(),
    )
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")

    out = io.StringIO()
    call_command(
        "import_registry",
        FIPS_SAMPLE,
        "--organization",
        str(org_tree["university"].pk),
        "--dry-run",
        "--as-user",
        officer.username,
        stdout=out,
    )
    assert "Проверка без записи" in out.getvalue()

    out = io.StringIO()
    call_command(
        "import_registry", FIPS_SAMPLE, "--organization", str(org_tree["university"].pk), "--skip-bad-rows", stdout=out
    )
    assert f"РИД создано: {885 - FIPS_BAD_ROWS}" in out.getvalue()
    record = ChangeRecord.objects.filter(content_type__model="rid", action="create").first()
    assert (record.actor, record.actor_label) == (None, "команда import_registry")


# --- the FIPS open registries of patents (columns as ../shared/data/fips/README.md lists them) ----------------------
PATENT_COMMON = (
    "registration number, registration date, application number, application date, authors, authors in latin, "
    "patent holders, patent holders in latin, correspondence address, correspondence address in latin"
)
PATENT_MIDDLE = (
    "receipt date of additional data to application, date of application to which additional data has been "
    "received, number of application to which additional data has been received, initial application number, "
    "initial application date, initial application priority date, previous application number, previous "
    "application date, paris convention priority number, paris convention priority date, paris convention priority "
    "country code"
)
PCT = (
    "PCT application examination start date, PCT application number, PCT application date, PCT application publish "
    "number, PCT application publish date"
)
EA = "EA application number, EA application date, EA application publish number, EA application publish date"
PATENT_END = (
    "application publish date, application publish number, patent grant publish date, patent grant publish number, "
    "revoked patent number, information about the obligation to conclude contract of alienation, expiration date"
)
# the README does not name the three Crimean columns: these stand for them
CRIMEAN = "crimean application number, crimean application date, crimean patent number"
INVENTIONS_HEADER = (
    f"{PATENT_COMMON}, invention name, patent starting date, {CRIMEAN}, {PATENT_MIDDLE}, {PCT}, {EA}, {PATENT_END}, "
    "invention formula numbers for which patent term is prolonged, additional patent, actual, mpk"
).split(", ")
UTILITY_MODELS_HEADER = (
    f"{PATENT_COMMON}, utility model name, patent starting date, {CRIMEAN}, {PATENT_MIDDLE}, {PCT}, {PATENT_END}, "
    "utility model formula numbers for which patent term is prolonged, additional patent, actual, publication URL, mpk"
).split(", ")
DESIGNS_HEADER = (
    f"{PATENT_COMMON}, industrial design name, patent starting date, {CRIMEAN}, {PATENT_MIDDLE}, {PATENT_END}, "
    "numbers of list of essential features for which patent term is prolonged, industrial designs names and number "
    "for which patent term is prolonged, additional patent, actual, publication URL, actual_date, mkpo"
).split(", ")


def patents(header: list[str], *rows: dict[str, str]) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return io.BytesIO(("\ufeff" + text.getvalue()).encode())


def test_the_fips_registry_of_inventions_gives_accepted_inventions_with_their_patents(officer, org_tree):
    row = {
        "registration number": "2751234",
        "registration date": "20210315",
        "application number": "2020112233",
        "application date": "20200401",
        "authors": "Иванов Пётр Сергеевич (RU)\nSmith J. (US)",
        "patent holders": 'Федеральное государственное бюджетное учреждение "Вуз" (RU)',
        "invention name": "Способ контроля износа рельсов",
        "application publish date": "20201201",
        "application publish number": "34",
        "patent grant publish date": "20210315",
        "patent grant publish number": "8",
        "expiration date": "20400401",
        "actual": "1",
        "mpk": "B61K 9/08 (2006.01), G01N3/56(2006.01), не код",
        "crimean patent number": "—",
    }
    report = run(patents(INVENTIONS_HEADER, row), officer, org_tree["university"])

    assert report.ok and report.written and report.format == "fips_inventions", report.text()
    assert report.summary().startswith("Файл «реестр.csv»: открытый реестр изобретений (ФИПС). Строк с данными: 1")
    rid = Rid.objects.get()
    assert (rid.kind, rid.status, rid.title, rid.state_registration_number) == (
        RidKind.INVENTION,
        RidStatus.PROTECTED,
        "Способ контроля износа рельсов",
        "2751234",
    )
    assert rid.ipc_codes == ["B61K 9/08", "G01N 3/56"]
    assert (rid.accepted_on, rid.received_on, rid.published, rid.publication_date) == (
        date(2021, 3, 15),
        date(2020, 4, 1),
        True,
        date(2020, 12, 1),  # the application was published first
    )
    assert rid.publication_sources == (
        "Патент на изобретение № 2751234 от 15.03.2021 (заявка № 2020112233 от 01.04.2020). "
        'Патентообладатели: Федеральное государственное бюджетное учреждение "Вуз" (RU). '
        "Срок действия истекает 01.04.2040. "
        "Публикация заявки: бюллетень «Изобретения. Полезные модели» № 34 от 01.12.2020. "
        "Публикация патента: бюллетень «Изобретения. Полезные модели» № 8 от 15.03.2021."
    )
    authors = [
        (a.person.last_name, a.person.citizenship, a.coefficient) for a in rid.authorships.select_related("person")
    ]
    assert authors == [("Иванов", "Российская Федерация", Decimal("50.00")), ("Smith", "США", Decimal("50.00"))]
    warnings = [str(w) for w in report.warnings]
    assert warnings[0].startswith("Эти столбцы файла не импортируются (у РИД нет таких полей): «authors in latin»")
    assert "«crimean patent number»" in warnings[0] and "«mpk»" not in warnings[0]
    assert "Строка 2, столбец «mpk»: Не коды МПК, не импортированы: не код." in warnings

    again = run(patents(INVENTIONS_HEADER, row), officer, org_tree["university"])
    assert again.rids == 0 and again.already_registered == 1 and Rid.objects.count() == 1


def test_utility_models_and_industrial_designs_keep_their_classification_in_the_sources(officer, org_tree):
    model = run(
        patents(
            UTILITY_MODELS_HEADER,
            {
                "registration number": "201234",
                "registration date": "20200910",
                "authors": "Петрова А. В. (RU)",
                "utility model name": "Датчик износа",
                "patent grant publish date": "20200910",
                "patent grant publish number": "26",
                "mpk": "G01B 7/00",
                "actual": "0",
                "publication URL": "https://fips.ru/201234",
            },
        ),
        officer,
        org_tree["university"],
    )
    design = run(
        patents(
            DESIGNS_HEADER,
            {
                "registration number": "123456",
                "registration date": "20190105",
                "authors": "Сидоров И. И. (RU)",
                "industrial design name": "Корпус датчика",
                "mkpo": "10-04",
            },
        ),
        officer,
        org_tree["university"],
    )
    assert model.written and design.written, model.text() + design.text()
    assert (model.format, design.format) == ("fips_utility_models", "fips_designs")
    utility = Rid.objects.get(kind=RidKind.UTILITY_MODEL)
    assert utility.ipc_codes == []  # the form's IPC codes are the inventions' (SPEC §3): here in the sources
    assert utility.publication_sources == (
        "Патент на полезную модель № 201234 от 10.09.2020. "
        "Публикация патента: бюллетень «Изобретения. Полезные модели» № 26 от 10.09.2020. "
        "МПК: G01B 7/00. https://fips.ru/201234"
    )
    assert "Строка 2, столбец «actual»: Регистрация не действует (actual = false)." in [str(w) for w in model.warnings]
    drawing = Rid.objects.get(kind=RidKind.INDUSTRIAL_DESIGN)
    assert (drawing.title, drawing.state_registration_number, drawing.published) == ("Корпус датчика", "123456", False)
    assert drawing.publication_sources == "Патент на промышленный образец № 123456 от 05.01.2019. МКПО: 10-04."


def test_a_patent_registry_without_a_required_column_is_refused(officer, org_tree):
    header = [h for h in INVENTIONS_HEADER if h != "authors"]
    report = run(patents(header, {"registration number": "1", "invention name": "Х"}), officer, org_tree["university"])
    assert messages(report) == ["Нет обязательных столбцов: «authors»."]
    assert not report.written and Rid.objects.count() == 0
