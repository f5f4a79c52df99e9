"""Build the packaged .docx template of the commission's protocol (docxtpl: Jinja tags inside Word).

Run after editing: ``.venv/bin/python -m ridbook.commission.document_templates.build_templates``. The generated
``protocol.docx`` is committed next to this script; ``ridbook.commission.documents`` renders it. The form is VGTU
appendix 1 (seed 001, «Форма протокола заседания комиссии по интеллектуальной собственности») with the parts the
regulation requires of a protocol: attendance and quorum (§6.2), invited experts and their written opinions (§3.4),
the open vote (§6.5) and dissenting opinions attached to the protocol (§5.4.4). An organization may put its own
version into ``MEDIA_ROOT/document_templates/<organization id>/protocol.docx`` (see ``documents.py``).

The page set-up, styles and the ``para``/``tag`` helpers are those of the registry's builder.
"""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocumentObject
from docx.text.paragraph import Paragraph

from ridbook.registry.document_templates.build_templates import CENTER, JUSTIFY, RIGHT, new_document, para, tag

HERE = Path(__file__).resolve().parent
FILE_NAME = "protocol.docx"


def labeled(doc: DocumentObject, label: str, value: str, *, space_before: int = 0) -> Paragraph:
    """«СЛУШАЛИ: …» — the label in bold, the value in plain type."""
    p = para(doc, align=JUSTIFY, space_before=space_before)
    p.add_run(label).bold = True
    p.add_run(" " + value)
    return p


def signature(doc: DocumentObject, title: str, prefix: str) -> None:
    para(doc, f"{title} _______________ {{{{ {prefix}_name }}}}", space_before=18)
    tag(doc, f"if {prefix}_signed")
    para(doc, f"(подписано электронно {{{{ {prefix}_signed_at }}}})")
    tag(doc, "endif")


def build_protocol() -> DocumentObject:
    doc = new_document()
    tag(doc, "if is_draft")
    para(doc, "ПРОЕКТ", bold=True, align=RIGHT)
    para(doc, "(протокол не подписан председателем и секретарём комиссии)", align=RIGHT)
    tag(doc, "endif")
    para(doc, "{{ ministry }}", align=CENTER)
    para(doc)
    para(doc, "{{ legal_entity_name }}", bold=True, align=CENTER)
    para(doc)
    para(doc, "ПРОТОКОЛ", bold=True, align=CENTER)
    para(doc, "№ {{ number }}", bold=True, align=CENTER)
    para(doc, "{{ place }}", align=CENTER)
    para(doc)
    para(doc, "заседания {{ commission_genitive }}", bold=True, align=CENTER)
    para(doc, "от {{ date }}, начало в {{ time }}", align=CENTER)
    para(doc)
    tag(doc, "if entered_after_fact")
    para(doc, "{{ entered_after_fact }}", align=JUSTIFY)
    para(doc)
    tag(doc, "endif")

    para(doc, "В составе:")
    tag(doc, "for m in composition")
    para(doc, "{{ m.number }}. {{ m.full_name }} – {{ m.role }}; ({{ m.position }})")
    tag(doc, "endfor")
    para(doc)
    labeled(doc, "Присутствовали:", "{{ present }}")
    labeled(doc, "Отсутствовали:", "{{ absent }}")
    para(doc, "{{ quorum }}")
    tag(doc, "if opened_unnotified")
    para(doc, "{{ opened_unnotified }}")
    tag(doc, "endif")
    tag(doc, "if experts")
    para(doc)
    para(doc, "Приглашённые эксперты (без права голоса):")
    tag(doc, "for e in experts")
    para(doc, "{{ e.full_name }}{{ e.position }} — по вопросу № {{ e.item_numbers }}")
    tag(doc, "endfor")
    tag(doc, "endif")
    para(doc)

    para(doc, "ПОВЕСТКА:", bold=True)
    tag(doc, "for item in items")
    para(doc, "{{ item.number }}. {{ item.title }}", align=JUSTIFY)
    tag(doc, "endfor")

    tag(doc, "for item in items")
    para(doc, "{{ item.number }}. {{ item.title }}", bold=True, align=JUSTIFY, space_before=12)
    labeled(doc, "СЛУШАЛИ:", "{{ item.heard }}", space_before=6)
    labeled(doc, "ВЫСТУПИЛИ:", "{{ item.spoke }}", space_before=6)
    tag(doc, "for op in item.opinions")
    para(doc, "Письменное заключение эксперта {{ op.full_name }}{{ op.position }}: «{{ op.text }}»", align=JUSTIFY)
    tag(doc, "endfor")
    labeled(doc, "ПОСТАНОВИЛИ:", "{{ item.resolution }}", space_before=6)
    para(
        doc,
        "Голосовали: «за» {{ item.votes_for }}, «против» {{ item.votes_against }}, «воздержались» {{ item.abstained }}.",
    )
    para(doc, "{{ item.result }}")
    tag(doc, "if item.dissents")
    para(doc, "{{ item.dissent_note }}", align=JUSTIFY)
    tag(doc, "endif")
    tag(doc, "endfor")

    para(doc)
    signature(doc, "Председатель комиссии", "chair")
    signature(doc, "Секретарь", "secretary")

    tag(doc, "if dissents")
    attachment = para(doc, "Приложение к протоколу № {{ number }} от {{ date }}", align=RIGHT)
    attachment.paragraph_format.page_break_before = True
    para(doc, "ОСОБЫЕ МНЕНИЯ ЧЛЕНОВ КОМИССИИ", bold=True, align=CENTER, space_before=12)
    tag(doc, "for d in dissents")
    para(doc, "Особое мнение по вопросу № {{ d.item }}", bold=True, space_before=12)
    para(doc, "{{ d.full_name }} – {{ d.role }}; ({{ d.position }})")
    para(doc, "{{ d.text }}", align=JUSTIFY)
    para(doc, "Дата: {{ d.date }}         _______________ {{ d.short_name }}", space_before=6)
    tag(doc, "endfor")
    tag(doc, "endif")
    return doc


def main() -> None:
    target = HERE / FILE_NAME
    build_protocol().save(str(target))
    print(f"written {target}")


if __name__ == "__main__":
    main()
