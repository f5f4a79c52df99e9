"""Build the packaged .docx templates of the registry's documents (docxtpl: Jinja tags inside Word).

Run after editing: ``.venv/bin/python -m ridbook.registry.document_templates.build_templates``. The generated files
are committed next to this script; ``ridbook.registry.documents`` renders them. Form texts follow the TPU forms in
seed 002 (notice of creation, appendix 2; conclusion on open publication; export-control act); names of TPU units
are replaced by neutral wording, since the packaged forms serve every organization (an organization may put its own
version into ``MEDIA_ROOT/document_templates/<organization id>/``, see ``documents.py``).

Tags: ``{{ x }}`` prints a value; ``{%p ... %}`` alone in a paragraph and ``{%tr ... %}`` in the first cell of a
table row are docxtpl's paragraph and row statements (the paragraph / row holding them is removed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
SMALL = "Таблица мелко"

RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


# --- helpers --------------------------------------------------------------------------------------------------


def new_document() -> DocumentObject:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    small = doc.styles.add_style(SMALL, WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size = Pt(9)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    return doc


def para(
    doc: DocumentObject,
    text: str = "",
    *,
    bold: bool = False,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    space_before: int = 0,
) -> Paragraph:
    p = doc.add_paragraph()
    if text:
        p.add_run(text).bold = bold
    if align is not None:
        p.alignment = align
    if space_before:
        p.paragraph_format.space_before = Pt(space_before)
    return p


def tag(doc: DocumentObject, statement: str) -> None:
    """A docxtpl paragraph statement, e.g. ``tag(doc, "for a in authors")`` → ``{%p for a in authors %}``."""
    doc.add_paragraph(f"{{%p {statement} %}}")


def fill(cell: _Cell, *lines: str, bold: bool = False, small: bool = False) -> None:
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if small:
            p.style = SMALL
        if line:
            p.add_run(line).bold = bold


def table(doc: DocumentObject, widths_mm: Sequence[float]) -> Table:
    t = doc.add_table(rows=0, cols=len(widths_mm))
    t.style = "Table Grid"
    t.autofit = False
    for column, width in zip(t.columns, widths_mm, strict=True):
        column.width = Mm(width)
    return t


def add_row(
    t: Table, widths_mm: Sequence[float], *cells: tuple[str, ...], bold: bool = False, small: bool = False
) -> None:
    row = t.add_row()
    for cell, width, lines in zip(row.cells, widths_mm, cells, strict=True):
        cell.width = Mm(width)
        fill(cell, *lines, bold=bold, small=small)


def repeat_as_header(t: Table, index: int = 0) -> None:
    tr_pr = t.rows[index]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def trade_secret_mark(doc: DocumentObject) -> None:
    """«КОММЕРЧЕСКАЯ ТАЙНА» with the holder (98-ФЗ, ст. 10) at the top of the first page, when the RID is flagged."""
    tag(doc, "if is_trade_secret")
    para(doc, "КОММЕРЧЕСКАЯ ТАЙНА", bold=True, align=RIGHT)
    para(doc, "Обладатель: {{ legal_entity_name }}", align=RIGHT)
    tag(doc, "endif")


def approval_block(doc: DocumentObject, *lines: str) -> None:
    for line in lines:
        para(doc, line, align=RIGHT)


# --- 1. notice of creation (TPU appendix 2) --------------------------------------------------------------------

NOTICE_WIDTHS = [14, 70, 86]

NOTICE_ROWS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("1.", ("Наименование результата интеллектуальной деятельности",), ("{{ kind_label }}", "«{{ title }}»")),
    ("2.", ("Назначение (задача)",), ("{{ purpose }}",)),
    (
        "3.",
        ("Источник финансирования работ по созданию служебного результата интеллектуальной деятельности",),
        (
            "1. Вид финансирования: {{ funding_kind }}",
            "2. Реквизиты соглашения: № {{ funding_agreement_number }}, дата {{ funding_agreement_date }}",
            "3. Внутренний номер проекта (номер, присвоенный в организации): {{ internal_project_number }}",
            "{%p if is_initiative %}",
            "Инициативный РИД; средства и оборудование работодателя использованы: {{ employer_resources_used }}; "
            "договор с работодателем: {{ initiative_agreement }}",
            "{%p endif %}",
        ),
    ),
    ("3.1.", ("Наименование НИОКР",), ("{{ rnd_title }}",)),
    ("3.2.", ("Руководитель НИОКР",), ("{{ rnd_leader }}",)),
    ("3.3.", ("Регистрационный номер НИОКР",), ("{{ rnd_registration_number }}",)),
    (
        "3.4.",
        ("Сведения о заказчике НИОКР", "Если Минобрнауки РФ, укажите только Минобрнауки РФ"),
        (
            "Наименование заказчика (полное): {{ customer_full_name }}",
            "Наименование заказчика (сокращённое): {{ customer_short_name }}",
            "Учредитель (ведомственная принадлежность): {{ customer_founder }}",
            "ОГРН: {{ customer_ogrn }}",
            "ОКОПФ: {{ customer_okopf }}",
        ),
    ),
    ("3.5.", ("Предполагаемое закрепление прав по договору/соглашению",), ("{{ rights_allocation }}",)),
    ("4.", ("Ключевые слова", "(1-5 слов или словосочетаний, отражающих тематику РИД)"), ("{{ keywords }}",)),
    (
        "5.",
        (
            "Реферат",
            "(не должен превышать 900 знаков)",
            "- для ПрЭВМ/БД раскрывается назначение, область применения и функциональные возможности",
        ),
        ("{{ abstract }}",),
    ),
    ("6.", ("Возможные направления (способы) использования",), ("{{ uses }}",)),
    ("7.", ("Количество опытных образцов, при создании которых использован РИД",), ("{{ prototypes_count }}",)),
    ("8.", ("Примерный срок полезного использования (сколько лет)",), ("{{ useful_life_years }}",)),
    (
        "9.",
        ("РИД создан с использованием оборудования Центра коллективного пользования (ЦКП) организации",),
        ("{{ core_facility_used }}", "Наименование ЦКП: {{ core_facility_name }}"),
    ),
    (
        "10.",
        (
            "Общероссийский Классификатор Продукции по видам экономической Деятельности (ОКПД)",
            "(указывается только 1 подкатегория: ХХ.ХХ.ХХ.ХХХ)",
        ),
        ("{{ okpd2 }}",),
    ),
    ("11.", ("Коды тематических рубрик (ГРНТИ)",), ("{{ grnti_codes }}",)),
    (
        "12.",
        ("Классификатор, разработанный Организацией экономического сотрудничества и развития (ОЭСР)",),
        ("{{ oecd_code }}",),
    ),
    (
        "13.",
        ("Коды международной патентной классификации", "(заполняется только для изобретений)"),
        ("{{ ipc_codes }}",),
    ),
    (
        "14.",
        ("Документы не содержат сведения, составляющие государственную тайну",),
        (
            "Заключение о возможности открытого опубликования № {{ state_secret_number }} от {{ state_secret_date }}",
            "Вывод: {{ state_secret_outcome }}",
        ),
    ),
    (
        "15.",
        (
            "Документы не содержат информацию о принадлежности объекта к товарам, технологиям, включенным в "
            "контрольные списки (экспортного контроля)",
        ),
        (
            "Акт экспертизы в целях экспортного контроля № {{ export_control_number }} от {{ export_control_date }}",
            "Заключение: {{ export_control_conclusion }}",
        ),
    ),
    (
        "16.",
        (
            "Документы не содержат сведения, составляющие коммерческую тайну организации (в соответствии с "
            "Положением о коммерческой тайне)",
        ),
        ("{{ trade_secret }}",),
    ),
    (
        "17.",
        ("Публикация сведений о РИД",),
        ("{{ published }}", "Дата первой публикации: {{ publication_date }}", "Источники: {{ publication_sources }}"),
    ),
]

AUTHOR_COLUMNS: list[tuple[float, str, tuple[str, ...]]] = [
    (7, "№", ("{{ a.number }}",)),
    (26, "Фамилия Имя Отчество, дата рождения", ("{{ a.full_name }}", "{{ a.birth_date }}")),
    (17, "Гражданство", ("{{ a.citizenship }}",)),
    (26, "Место работы, подразделение", ("{{ a.workplace }}",)),
    (18, "Должность", ("{{ a.position }}",)),
    (22, "Адрес", ("{{ a.address }}",)),
    (22, "Контактные данные (телефон, e-mail)", ("{{ a.phone }}", "{{ a.email }}")),
    (18, "Основание привлечения к работе (должностные обязанности, договор ГПХ, иное)", ("{{ a.basis }}",)),
    (17, "ИНН", ("{{ a.inn }}",)),
    (17, "СНИЛС", ("{{ a.snils }}",)),
    (20, "Количество затраченных на РИД часов, период", ("{{ a.hours }}", "{{ a.period }}")),
    (13, "Коэффициент участия автора (%)", ("{{ a.coefficient }}",)),
    (
        24,
        "Вклад в работу (не в %, а конкретно по творческому вкладу в создание РИД)",
        ("{{ a.contribution }}",),
    ),
    (
        20,
        "Ученая степень, ученое звание, WOS Researcher ID, Scopus Author ID, ORCID",
        (
            "{{ a.degree }}",
            "ResearcherID: {{ a.researcher_id }}",
            "Scopus ID: {{ a.scopus_id }}",
            "ORCID: {{ a.orcid }}",
        ),
    ),
]


def build_notice() -> DocumentObject:
    doc = new_document()
    trade_secret_mark(doc)
    para(doc, "Учётный номер: {{ number }}", align=RIGHT)
    para(doc, "Поступило в подразделение по ИС: {{ received_on }}", align=RIGHT)
    para(doc)
    para(
        doc,
        "Уведомление о создании {{ origin_genitive }} результата интеллектуальной деятельности, в отношении "
        "которого возможна правовая охрана",
        bold=True,
        align=CENTER,
    )
    para(doc)
    para(doc, "В подразделение по интеллектуальной собственности", align=RIGHT)
    para(doc, "{{ legal_entity_name }}", align=RIGHT)
    para(doc)

    t = table(doc, NOTICE_WIDTHS)
    add_row(t, NOTICE_WIDTHS, ("№ п/п",), ("Вопросы",), ("Ответы",), bold=True)
    repeat_as_header(t)
    for number, question, answer in NOTICE_ROWS:
        add_row(t, NOTICE_WIDTHS, (number,), question, answer)

    # item 18 — the appendix with the authors, on landscape pages
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(15), Mm(15)
    para(
        doc,
        "Приложение к уведомлению о создании {{ origin_genitive }} результата интеллектуальной деятельности, "
        "в отношении которого возможна правовая охрана",
        align=RIGHT,
    )
    para(doc)
    para(doc, "18. Сведения об авторах", bold=True)
    widths = [w for w, _, _ in AUTHOR_COLUMNS]
    authors = table(doc, widths)
    add_row(authors, widths, *((title,) for _, title, _ in AUTHOR_COLUMNS), bold=True, small=True)
    repeat_as_header(authors)
    add_row(authors, widths, ("{%tr for a in authors %}",), *(("",) for _ in AUTHOR_COLUMNS[1:]), small=True)
    add_row(authors, widths, *(lines for _, _, lines in AUTHOR_COLUMNS), small=True)
    add_row(authors, widths, ("{%tr endfor %}",), *(("",) for _ in AUTHOR_COLUMNS[1:]), small=True)

    para(doc)
    para(doc, "Автор (соавторы)", space_before=12)
    tag(doc, "for a in authors")
    para(doc, "_____________ / {{ a.short_name }} /", align=RIGHT, space_before=6)
    tag(doc, "endfor")
    para(
        doc,
        "Руководитель структурного подразделения (директор школы)      _____________ / ______________ /",
        space_before=12,
    )
    para(doc)
    para(
        doc,
        "Дата (проставляется сотрудником подразделения по ИС при получении готовых документов): {{ received_on }}",
        space_before=12,
    )
    return doc


# --- 2. conclusion on open publication (state secret) ------------------------------------------------------------


def build_state_secret() -> DocumentObject:
    doc = new_document()
    trade_secret_mark(doc)
    approval_block(
        doc,
        "УТВЕРЖДАЮ",
        "Руководитель организации (проректор по науке)",
        "{{ legal_entity_name }}",
        "________________ И.О. Фамилия",
        "«____» _______________ 20__ г.",
    )
    para(doc)
    para(doc, "ЗАКЛЮЧЕНИЕ № {{ number }} от {{ date }}", bold=True, align=CENTER)
    para(doc, "о возможности открытого опубликования", bold=True, align=CENTER)
    para(doc)
    para(doc, "{{ object_genitive }} «{{ title }}» (учётный номер {{ rid_number }})", align=JUSTIFY)
    para(doc, "Авторы: {{ authors }}")
    para(doc)
    para(doc, "Экспертная комиссия в составе (или руководитель-эксперт):")
    tag(doc, "for member in commission")
    para(doc, "{{ loop.index }}. {{ member }}")
    tag(doc, "endfor")
    para(doc)
    para(
        doc,
        "в период с {{ review_start }} по {{ review_end }} провела экспертизу {{ object_genitive }} «{{ title }}» "
        "на предмет {{ subject }} в них сведений, составляющих государственную тайну, и {{ possibility }} их "
        "открытого опубликования.",
        align=JUSTIFY,
    )
    para(doc)
    para(
        doc,
        "Руководствуясь Законом Российской Федерации «О государственной тайне», Перечнем сведений, отнесенных к "
        "государственной тайне, утвержденным Указом Президента Российской Федерации от 30 ноября 1995 г. № 1203, "
        "а также Перечнем сведений, подлежащих засекречиванию, Министерства науки и высшего образования "
        "Российской Федерации, утвержденным приказом Минобрнауки России от 04.12.2023 г. № 31с, комиссия "
        "установила:",
        align=JUSTIFY,
    )
    para(doc)
    para(
        doc,
        "Сведения, содержащиеся в рассматриваемых материалах, находятся в компетенции {{ legal_entity_name }}.",
        align=JUSTIFY,
    )
    para(doc, "{{ finding }}", align=JUSTIFY)
    para(doc)
    para(doc, "Вывод: {{ outcome }}.", bold=True)
    para(doc)
    para(doc, "Члены комиссии (руководитель-эксперт):")
    tag(doc, "for member in commission")
    para(doc, "{{ member }} _____________________________", space_before=6)
    tag(doc, "endfor")
    return doc


# --- 3. export-control act ---------------------------------------------------------------------------------------


def build_export_control() -> DocumentObject:
    doc = new_document()
    trade_secret_mark(doc)
    approval_block(doc, "УТВЕРЖДАЮ", "Руководитель", "___________ И.О. Фамилия", "«___» ___________ 20____ г.")
    para(doc)
    para(doc, "АКТ ЭКСПЕРТИЗЫ В ЦЕЛЯХ ЭКСПОРТНОГО КОНТРОЛЯ", bold=True, align=CENTER)
    para(doc, "№ {{ number }} от {{ date }}", bold=True, align=CENTER)
    para(doc, "материалов заявок на регистрацию результатов интеллектуальной деятельности", align=CENTER)
    para(doc)
    para(doc, "ОБЪЕКТ: {{ object_nominative }} «{{ title }}» (учётный номер {{ rid_number }})", align=JUSTIFY)
    para(doc)
    para(doc, "АВТОРЫ (ФИО, должность):")
    tag(doc, "for a in authors")
    para(doc, "{{ a.full_name }}, {{ a.position }}")
    tag(doc, "endfor")
    para(doc)
    para(doc, "КРАТКОЕ ОПИСАНИЕ: {{ description }}", align=JUSTIFY)
    para(doc)
    para(
        doc,
        "На основании представленных сведений проведен анализ принадлежности объекта к товарам, технологиям, "
        "включенным в контрольные списки. Идентификация проводилась путем сопоставления объекта экспертизы с "
        "позициями и параметрами всех Контрольных Списков (☒ — объект сопоставлен с позициями списка):",
        align=JUSTIFY,
    )
    tag(doc, "for item in control_lists")
    para(doc, "{{ item.mark }} {{ item.number }}. {{ item.title }}", align=JUSTIFY)
    tag(doc, "endfor")
    para(doc)
    para(
        doc, "Возможность принадлежности объекта экспертизы к объектам, подлежащим экспортному контролю:", align=JUSTIFY
    )
    tag(doc, "for item in outcomes")
    para(doc, "{{ item.mark }} {{ item.number }}. {{ item.text }}", align=JUSTIFY)
    tag(doc, "endfor")
    para(doc, "Результат экспертизы: {{ outcome }}.", bold=True)
    para(doc, "Обоснование, позиции контрольных списков: {{ outcome_details }}", align=JUSTIFY)
    para(doc)
    para(doc, "Заключение:")
    tag(doc, "for item in conclusions")
    para(doc, "{{ item.mark }} {{ item.number }}. {{ item.text }}", align=JUSTIFY)
    tag(doc, "endfor")
    para(doc, "Итог: {{ conclusion }}.", bold=True)
    para(doc)
    para(doc, "Исполнитель                 ___________ И.О. Фамилия", space_before=12)
    para(doc, "Уполномоченный по экспортному контролю", space_before=12)
    para(doc, "структурного подразделения                 ____________ И.О. Фамилия")
    return doc


BUILDERS = {
    "notice.docx": build_notice,
    "state_secret_conclusion.docx": build_state_secret,
    "export_control_act.docx": build_export_control,
}


def main() -> None:
    for file_name, build in BUILDERS.items():
        build().save(str(HERE / file_name))
        print(f"written {HERE / file_name}")


if __name__ == "__main__":
    main()
