"""Generated documents of the registry: rendered from RIDs built through the services, opened with python-docx."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document
from docx.document import Document as DocumentObject

from ridbook.core.errors import DomainError
from ridbook.registry.choices import CONTROL_LISTS, ExportControlConclusion, ExportControlOutcome, StateSecretOutcome
from ridbook.registry.documents import (
    CONTROL_LIST_TITLES,
    DOCUMENT_KINDS,
    PACKAGED_DIR,
    download_name,
    render_document,
    template_path,
)
from ridbook.registry.services import (
    AuthorInput,
    export_control_record,
    notice_receive,
    notice_submit,
    person_save,
    rid_create,
    rid_set_authors,
    state_secret_record,
)

pytestmark = pytest.mark.django_db

NOTICE_FIELDS = {
    "purpose": "Учёт результатов интеллектуальной деятельности",
    "keywords": ["реестр", "патент", "вознаграждение"],
    "abstract": "Программа ведёт реестр РИД.\nСтрока вторая реферата & символы <b>.",
    "okpd2": "62.01.11.000",
    "funding_kind": "rsf",
    "funding_agreement_number": "23-11-00042",
    "funding_agreement_date": date(2023, 5, 17),
    "rights_allocation": "executor",
    "prototypes_count": 2,
}


def open_docx(data: bytes) -> DocumentObject:
    return Document(BytesIO(data))


def paragraphs(doc: DocumentObject) -> list[str]:
    return [p.text for p in doc.paragraphs]


def all_text(doc: DocumentObject) -> str:
    parts = paragraphs(doc)
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def people(personas, org_tree):
    officer = personas["ip_officer"]
    ivanov = person_save(
        actor=officer,
        last_name="Иванов",
        first_name="Пётр",
        middle_name="Сергеевич",
        user=personas["author"],
        organization=org_tree["department"],
        position="доцент",
        birth_date=date(1980, 3, 4),
        inn="500100732259",
        snils="112-233-445 95",
        phone="+7 900 000-00-00",
        email="ivanov@example.org",
        degree="к.т.н., доцент",
        scopus_id="57190000001",
        orcid="0000-0002-1825-0097",
    )
    petrova = person_save(
        actor=officer,
        last_name="Петрова",
        first_name="Анна",
        workplace="ООО «Рельс»",
        position="инженер",
        organization=org_tree["department"],
    )
    return ivanov, petrova


def make_rid(personas, org_tree, people, **fields):
    author = personas["author"]
    ivanov, petrova = people
    rid = rid_create(
        actor=author,
        organization=org_tree["department"],
        kind="software",
        title="Система «А&Б» учёта РИД",
        **{**NOTICE_FIELDS, **fields},
    )
    rid_set_authors(
        actor=author,
        rid=rid,
        authors=[
            AuthorInput(
                ivanov,
                Decimal("66.50"),
                hours=120,
                period_start=date(2024, 2, 1),
                period_end=date(2024, 6, 30),
                contribution="архитектура и алгоритм поиска",
            ),
            AuthorInput(petrova, Decimal("33.50"), contribution="программная реализация", basis="civil_contract"),
        ],
    )
    return rid


@pytest.fixture
def rid(personas, org_tree, people):
    return make_rid(personas, org_tree, people)


def test_document_kinds_name_their_templates():
    assert DOCUMENT_KINDS["notice"] == ("Уведомление о создании РИД", "notice.docx")
    for kind in DOCUMENT_KINDS.values():
        assert (PACKAGED_DIR / kind.file_name).is_file()


def test_the_notice_has_every_field_of_the_form_and_the_authors(personas, rid):
    doc = open_docx(render_document(rid=rid, kind="notice", viewer=personas["ip_officer"]))
    text = all_text(doc)

    form = doc.tables[0]
    assert [row.cells[0].text for row in form.rows] == [
        "№ п/п",
        "1.",
        "2.",
        "3.",
        "3.1.",
        "3.2.",
        "3.3.",
        "3.4.",
        "3.5.",
        *(f"{n}." for n in range(4, 18)),
    ]
    answers = {row.cells[0].text: row.cells[2].text for row in form.rows}
    assert answers["1."] == "Программа для ЭВМ\n«Система «А&Б» учёта РИД»"
    assert answers["4."] == "реестр, патент, вознаграждение"
    assert answers["5."] == "Программа ведёт реестр РИД.\nСтрока вторая реферата & символы <b>."
    assert "Вид финансирования: грант РНФ" in answers["3."]
    assert "№ 23-11-00042, дата 17.05.2023" in answers["3."]
    assert "Инициативный РИД" not in answers["3."]
    assert answers["3.5."] == "исполнитель"
    assert answers["7."] == "2"
    assert answers["8."] == "—"
    assert answers["14."].startswith("Заключение о возможности открытого опубликования № — от —")
    assert answers["16."] == "Не содержит"
    assert answers["17."].startswith("Не осуществлялась")

    authors = doc.tables[1]
    header = [cell.text for cell in authors.rows[0].cells]
    assert header[1] == "Фамилия Имя Отчество, дата рождения"
    assert header[11] == "Коэффициент участия автора (%)"
    rows = [[cell.text for cell in row.cells] for row in authors.rows[1:]]
    assert len(rows) == 2
    assert rows[0][:3] == ["1.", "Иванов Пётр Сергеевич\n04.03.1980", "Российская Федерация"]
    assert rows[0][3].endswith(", Институт, Кафедра")
    assert rows[0][7] == "трудовые обязанности"
    assert rows[0][8:12] == ["500100732259", "112-233-445 95", "120 ч\nс 01.02.2024 по 30.06.2024", "66,5"]
    assert "ORCID: 0000-0002-1825-0097" in rows[0][13]
    assert rows[1][1] == "Петрова Анна\n—"
    assert rows[1][3] == "ООО «Рельс»"
    assert rows[1][7] == "гражданско-правовой договор"
    assert rows[1][10:13] == ["—\n—", "33,5", "программная реализация"]

    assert "_____________ / Иванов П.С. /" in text
    assert "_____________ / Петрова А. /" in text
    assert "Руководитель структурного подразделения (директор школы)" in text
    assert "КОММЕРЧЕСКАЯ ТАЙНА" not in text
    assert "{{" not in text and "{%" not in text


def test_a_trade_secret_is_marked_at_the_top_of_the_first_page(personas, org_tree, people):
    rid = make_rid(personas, org_tree, people, trade_secret=True)
    doc = open_docx(render_document(rid=rid, kind="notice", viewer=personas["ip_officer"]))
    assert paragraphs(doc)[:2] == ["КОММЕРЧЕСКАЯ ТАЙНА", f"Обладатель: {org_tree['university'].name}"]
    answers = {row.cells[0].text: row.cells[2].text for row in doc.tables[0].rows}
    assert answers["16."] == "Содержит"


def test_the_notice_shows_the_clearances_and_the_date_of_receipt(personas, rid):
    officer = personas["ip_officer"]
    received = timezone.localdate() - timedelta(days=3)
    state_secret_record(
        actor=officer,
        rid=rid,
        number="17",
        date=received,
        commission="Сидоров И.И.",
        outcome=StateSecretOutcome.NO_SECRET_PUBLISHABLE,
    )
    export_control_record(
        actor=officer,
        rid=rid,
        number="ЭК-5",
        date=received,
        outcome=ExportControlOutcome.NO_SIMILARITY,
        conclusion=ExportControlConclusion.NO_PERMITS,
    )
    notice_submit(actor=personas["author"], rid=rid)
    notice_receive(actor=officer, rid=rid, received_on=received)

    doc = open_docx(render_document(rid=rid, kind="notice", viewer=personas["ip_officer"]))
    answers = {row.cells[0].text: row.cells[2].text for row in doc.tables[0].rows}
    day = f"{received:%d.%m.%Y}"
    assert answers["14."] == (
        f"Заключение о возможности открытого опубликования № 17 от {day}\n"
        "Вывод: не содержит государственной тайны, может быть опубликовано открыто"
    )
    assert answers["15."] == (
        f"Акт экспертизы в целях экспортного контроля № ЭК-5 от {day}\n"
        "Заключение: разрешительные документы не требуются"
    )
    assert (
        f"Дата (проставляется сотрудником подразделения по ИС при получении готовых документов): {day}"
    ) in paragraphs(doc)


def test_the_state_secret_conclusion(personas, rid):
    start = timezone.localdate() - timedelta(days=10)
    state_secret_record(
        actor=personas["ip_officer"],
        rid=rid,
        number="42",
        date=start + timedelta(days=5),
        commission="Председатель: Сидоров И.И.\nЭксперт: Кузнецова Е.В.;",
        outcome=StateSecretOutcome.NO_SECRET_NOT_PUBLISHABLE,
        review_start=start,
        review_end=start + timedelta(days=4),
    )
    doc = open_docx(render_document(rid=rid, kind="state_secret", viewer=personas["ip_officer"]))
    lines = paragraphs(doc)
    text = "\n".join(lines)
    assert f"ЗАКЛЮЧЕНИЕ № 42 от {start + timedelta(days=5):%d.%m.%Y}" in lines
    assert f"материалов заявки на программу для ЭВМ «Система «А&Б» учёта РИД» (учётный номер {rid.number})" in lines
    assert "Авторы: Иванов П.С., Петрова А." in lines
    assert [line for line in lines if line[:2] in ("1.", "2.")] == [
        "1. Председатель: Сидоров И.И.",
        "2. Эксперт: Кузнецова Е.В.",
    ]
    assert f"в период с {start:%d.%m.%Y} по {start + timedelta(days=4):%d.%m.%Y} провела экспертизу" in text
    assert "на предмет отсутствия в них сведений" in text and "и невозможности их открытого опубликования" in text
    assert "Вывод: не содержит государственной тайны, открыто публиковать нельзя." in lines
    assert "однако данные материалы не могут быть открыто опубликованы" in text
    assert "КОММЕРЧЕСКАЯ ТАЙНА" not in text and "{{" not in text


def test_the_export_control_act_lists_all_six_control_lists(personas, rid):
    day = timezone.localdate()
    export_control_record(
        actor=personas["ip_officer"],
        rid=rid,
        number="ЭК-7",
        date=day,
        outcome=ExportControlOutcome.SIMILAR_NOT_MATCHING,
        conclusion=ExportControlConclusion.NO_PERMITS,
        outcome_details="п. 5.D.2 списка № 1299: параметры криптографии не достигаются",
    )
    doc = open_docx(render_document(rid=rid, kind="export_control", viewer=personas["ip_officer"]))
    lines = paragraphs(doc)
    assert "АКТ ЭКСПЕРТИЗЫ В ЦЕЛЯХ ЭКСПОРТНОГО КОНТРОЛЯ" in lines
    assert f"№ ЭК-7 от {day:%d.%m.%Y}" in lines
    assert (
        f"ОБЪЕКТ: материалы заявки на программу для ЭВМ «Система «А&Б» учёта РИД» (учётный номер {rid.number})" in lines
    )
    assert "Иванов Пётр Сергеевич, доцент" in lines
    assert "КРАТКОЕ ОПИСАНИЕ: Программа ведёт реестр РИД.\nСтрока вторая реферата & символы <b>." in lines
    list_lines = [line for line in lines if "Список" in line]
    assert len(CONTROL_LISTS) == 6
    assert list_lines == [f"☒ {i}. {CONTROL_LIST_TITLES[code]}" for i, (code, _) in enumerate(CONTROL_LISTS, 1)]
    for number in ("1284", "1285", "1286", "1287", "1288", "1299"):
        assert sum(number in line for line in list_lines) == 1
    assert [line[:4] for line in lines if line.startswith(("☒", "☐")) and "Сходство" in line] == [
        "☐ 1.",
        "☒ 2.",
        "☐ 3.",
    ]
    assert ("Результат экспертизы: выявлено сходство, но объект не соответствует позициям (с обоснованием).") in lines
    assert (
        "Обоснование, позиции контрольных списков: п. 5.D.2 списка № 1299: параметры криптографии не достигаются"
        in lines
    )
    assert [line for line in lines if "разрешительных документов" in line][:2] == [
        "☒ 1. Не требуется получение разрешительных документов, предусмотренных законодательством РФ в области "
        "экспортного контроля.",
        "☐ 2. Требуется получение разрешительных документов, предусмотренных законодательством РФ в области "
        "экспортного контроля.",
    ]
    assert "Итог: разрешительные документы не требуются." in lines


def test_missing_data_is_refused_in_russian(personas, org_tree, rid):
    with pytest.raises(DomainError) as exc:
        render_document(rid=rid, kind="state_secret", viewer=personas["ip_officer"])
    assert exc.value.message == f"Заключение о возможности открытого опубликования для РИД {rid.number} ещё не внесено."
    assert exc.value.code == "document_data_missing"
    with pytest.raises(DomainError) as exc:
        render_document(rid=rid, kind="export_control", viewer=personas["ip_officer"])
    assert exc.value.message == f"Акт экспертизы в целях экспортного контроля для РИД {rid.number} ещё не внесён."
    bare = rid_create(
        actor=personas["ip_officer"], organization=org_tree["department"], kind="invention", title="Способ"
    )
    with pytest.raises(DomainError) as exc:
        render_document(rid=bare, kind="notice", viewer=personas["ip_officer"])
    assert exc.value.message == f"Уведомление о создании РИД {bare.number} не сформировано: не указаны авторы (п. 18)."
    with pytest.raises(DomainError) as exc:
        render_document(rid=rid, kind="patent", viewer=personas["ip_officer"])
    assert exc.value.message == "Неизвестный вид документа: «patent»."


def _own_template(path, marker):
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = Document()
    doc.add_paragraph(marker)
    doc.add_paragraph("{{ title }} — {{ number }}")
    doc.add_paragraph("{%p for a in authors %}")
    doc.add_paragraph("{{ a.full_name }}: {{ a.coefficient }} %")
    doc.add_paragraph("{%p endfor %}")
    doc.save(str(path))


def test_an_organization_template_of_the_nearest_organization_is_used(settings, tmp_path, org_tree, rid, personas):
    settings.MEDIA_ROOT = tmp_path
    root = tmp_path / "document_templates"
    _own_template(root / str(org_tree["university"].pk) / "notice.docx", "Форма ВУЗа")
    assert template_path(organization=rid.organization, kind="notice") == (
        root / str(org_tree["university"].pk) / "notice.docx"
    )
    assert paragraphs(open_docx(render_document(rid=rid, kind="notice", viewer=personas["ip_officer"]))) == [
        "Форма ВУЗа",
        f"Система «А&Б» учёта РИД — {rid.number}",
        "Иванов Пётр Сергеевич: 66,5 %",
        "Петрова Анна: 33,5 %",
    ]
    _own_template(root / str(org_tree["institute"].pk) / "notice.docx", "Форма института")
    assert (
        paragraphs(open_docx(render_document(rid=rid, kind="notice", viewer=personas["ip_officer"])))[0]
        == "Форма института"
    )
    # another organization's template is not used; the other kinds keep the packaged default
    _own_template(tmp_path / "elsewhere" / str(org_tree["holding"].pk) / "notice.docx", "Форма холдинга")
    assert (
        template_path(organization=rid.organization, kind="notice", organization_template_dir=tmp_path / "elsewhere")
        == PACKAGED_DIR / "notice.docx"
    )
    assert template_path(organization=rid.organization, kind="state_secret") == (
        PACKAGED_DIR / "state_secret_conclusion.docx"
    )


def test_a_broken_organization_template_is_reported_in_russian(tmp_path, org_tree, rid, personas):
    path = tmp_path / str(org_tree["department"].pk) / "notice.docx"
    path.parent.mkdir(parents=True)
    doc = Document()
    doc.add_paragraph("{{ title ")
    doc.save(str(path))
    with pytest.raises(DomainError) as exc:
        render_document(rid=rid, kind="notice", viewer=personas["ip_officer"], organization_template_dir=tmp_path)
    assert exc.value.message.startswith("Шаблон документа «notice.docx» не удалось заполнить:")
    assert exc.value.code == "document_template_error"
    path.write_bytes(b"not a docx")
    with pytest.raises(DomainError, match=r"Шаблон документа «notice\.docx» не удалось заполнить"):
        render_document(rid=rid, kind="notice", viewer=personas["ip_officer"], organization_template_dir=tmp_path)


def test_an_organization_template_cannot_reach_beyond_its_variables(tmp_path, org_tree, rid, personas):
    path = tmp_path / str(org_tree["department"].pk) / "notice.docx"
    path.parent.mkdir(parents=True)
    doc = Document()
    doc.add_paragraph("{{ title.__class__.__mro__ }}")
    doc.save(str(path))
    with pytest.raises(DomainError, match="не удалось заполнить"):
        render_document(rid=rid, kind="notice", viewer=personas["ip_officer"], organization_template_dir=tmp_path)


def test_download_name(rid):
    assert download_name(rid=rid, kind="export_control") == (
        f"{rid.number} Акт экспертизы в целях экспортного контроля.docx"
    )
