"""The protocol of a meeting (VGTU appendix 1) rendered from a meeting held through the services."""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from docx import Document

from ridbook.accounts.roles import Role
from ridbook.commission import documents
from ridbook.commission import services as cs
from ridbook.commission.documents import download_name, protocol_docx, protocol_pdf
from ridbook.commission.models import Meeting
from ridbook.commission.tests.conftest import accept, open_with, seats
from ridbook.registry.services import AuthorInput, rid_create, rid_set_authors
from ridbook.registry.tests.conftest import NOTICE

HEARD = "Иванова П.С. о заявке на изобретение «Способ контроля износа рельсов»."
SPOKE = "Сидоров П.И.: способ применим на сети дорог."
OPINION = "Изобретение обладает новизной; рекомендую подать заявку."
DISSENT = "Считаю подачу заявки преждевременной: нет опытного образца."


def text_of(content: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(content)).paragraphs]


def name(user: Any, last: str, first: str, middle: str = "") -> None:
    user.last_name, user.first_name, user.middle_name = last, first, middle
    user.save()


@dataclass
class Held:
    meeting: Meeting
    chair: Any
    secretary: Any
    expert: Any


def second_rid(author, author_person, org_tree, officer):
    rid = rid_create(
        actor=author, organization=org_tree["department"], kind="invention", title="Датчик стыка", **NOTICE
    )
    rid_set_authors(actor=author, rid=rid, authors=[AuthorInput(author_person, Decimal("100"), contribution="всё")])
    return accept(rid, author=author, officer=officer)


@pytest.fixture
def held(meeting, commission, accepted, chair, secretary, personas, author, author_person, org_tree, officer):
    """Two items, an expert's opinion, member4 excused and member5 absent without reason, a dissent; voting closed."""
    name(chair, "Сидоров", "Пётр", "Иванович")
    name(secretary, "Кузнецова", "Мария", "Олеговна")
    name(personas[Role.COMMISSION_MEMBER], "Орлов", "Андрей")
    expert = personas[Role.EXPERT]
    name(expert, "Экспертов", "Ефим")
    other = second_rid(author, author_person, org_tree, officer)

    first = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    second = cs.agenda_add(actor=secretary, meeting=meeting, rid=other)
    invitation = cs.expert_invite(actor=secretary, item=first, user=expert, position="доцент кафедры пути")
    cs.expert_opinion(actor=expert, invitation=invitation, text=OPINION)
    cs.notices_send(actor=secretary, meeting=meeting, confirm_late=True)
    meeting = open_with(meeting, secretary, absent=("member5",), excused=("member4",))

    first = cs.item_propose(
        actor=secretary, item=first, outcome="file", protection_form="invention", heard=HEARD, spoke=SPOKE
    )
    second = cs.item_propose(actor=secretary, item=second, outcome="postpone", reason="нет отзыва кафедры")
    by_name = seats(commission)
    choices = {"member2": "abstain", "member3": "against"}
    for username in ("commission_chair", "commission_secretary", "commission_member", "member2", "member3"):
        member = by_name[username]
        cs.vote_cast(actor=secretary, item=first, member=member, choice=choices.get(username, "for"))
        cs.vote_cast(actor=secretary, item=second, member=member, choice="for")
    cs.dissent_add(actor=by_name["member3"].user, item=first, text=DISSENT)
    meeting = cs.meeting_close(actor=secretary, meeting=meeting)
    return Held(meeting=meeting, chair=chair, secretary=secretary, expert=expert)


def test_signed_protocol_follows_the_vgtu_form(held, org_tree):
    cs.protocol_sign(actor=held.chair, meeting=held.meeting)
    meeting = cs.protocol_sign(actor=held.secretary, meeting=held.meeting)
    meeting.refresh_from_db()
    assert meeting.status == "signed"
    assert meeting.protocol_docx.name.endswith(".docx")
    with meeting.protocol_docx.open("rb") as stored:
        lines = text_of(stored.read())
    text = "\n".join(lines)

    assert "ПРОЕКТ" not in text
    assert lines[0] == "Министерство науки и высшего образования Российской Федерации"
    assert org_tree["university"].name in lines  # the legal entity, not the department of the RID
    number = lines.index("ПРОТОКОЛ")
    assert lines[number + 1 : number + 3] == [f"№ {meeting.number}", "ауд. 1212"]
    assert "заседания комиссии по интеллектуальной собственности" in lines
    assert f"от {meeting.date:%d.%m.%Y}, начало в 15:00" in lines

    start = lines.index("В составе:")
    assert lines[start + 1 : start + 4] == [
        "1. Сидоров Пётр Иванович – председатель комиссии; (проректор)",
        "2. Орлов Андрей – заместитель председателя комиссии; (декан)",
        "3. Кузнецова Мария Олеговна – секретарь; (начальник ЦПТИ)",
    ]
    members = lines[start + 4 : start + 8]
    assert [line.split(". ", 1)[0] for line in members] == ["4", "5", "6", "7"]
    assert all(" – член комиссии; (профессор " in line for line in members)
    assert "Присутствовали: 5 из 7 членов комиссии (П.И. Сидоров, А. Орлов, М.О. Кузнецова, " in text
    full = {m.user.username: m.user.full_name for m in meeting.commission.members.select_related("user")}
    assert (
        f"Отсутствовали: {full['member4']} – отсутствует по уважительной причине; "
        f"{full['member5']} – отсутствует без уважительной причины"
    ) in lines
    assert "Кворум есть: присутствуют 5 из 7 (нужно не менее 50 %)." in lines
    assert "Экспертов Ефим, доцент кафедры пути — по вопросу № 1" in lines

    agenda = lines.index("ПОВЕСТКА:")
    assert lines[agenda + 1].startswith("1. О заявке на РИД «Способ контроля износа рельсов»")
    assert lines[agenda + 2].startswith("2. О заявке на РИД «Датчик стыка»")

    assert f"СЛУШАЛИ: {HEARD}" in lines
    assert f"ВЫСТУПИЛИ: {SPOKE}" in lines
    assert f"Письменное заключение эксперта Экспертов Ефим, доцент кафедры пути: «{OPINION}»" in lines
    assert "ПОСТАНОВИЛИ: подать заявку / зарегистрировать за счёт организации: патент на изобретение" in lines
    assert "Голосовали: «за» 3, «против» 1, «воздержались» 1." in lines
    first_item = meeting.items.get(order=1)
    assert first_item.result_text.startswith("Решение принято")
    assert first_item.result_text in lines
    # the second item: СЛУШАЛИ defaults to the item's title, no speakers
    assert f"СЛУШАЛИ: {meeting.items.get(order=2).title}" in lines
    assert "ВЫСТУПИЛИ: —" in lines
    assert "ПОСТАНОВИЛИ: перенести рассмотрение на следующее заседание. Причина: нет отзыва кафедры" in lines
    assert "Голосовали: «за» 5, «против» 0, «воздержались» 0." in lines

    signed_at = timezone.localtime(meeting.chair_signed_at)
    assert "Председатель комиссии _______________ П.И. Сидоров" in lines
    assert "Секретарь _______________ М.О. Кузнецова" in lines
    assert f"(подписано электронно {signed_at:%d.%m.%Y %H:%M})" in lines
    assert text.count("(подписано электронно ") == 2

    attachment = lines.index("ОСОБЫЕ МНЕНИЯ ЧЛЕНОВ КОМИССИИ")
    assert lines.index("Секретарь _______________ М.О. Кузнецова") < attachment
    assert lines[attachment - 1] == f"Приложение к протоколу № {meeting.number} от {meeting.date:%d.%m.%Y}"
    assert lines[attachment + 1] == "Особое мнение по вопросу № 1"
    assert lines[attachment + 2] == f"{full['member3']} – член комиссии; (профессор 3)"
    assert lines[attachment + 3] == DISSENT
    assert f"К решению приложено особое мнение ({full['member3']}; см. приложение к протоколу)." in text

    # a later rendering of the locked meeting gives the same text
    assert text_of(protocol_docx(meeting)) == lines
    assert (
        download_name(meeting, "docx") == f"Протокол № {meeting.number}-{meeting.year} от {meeting.date:%d.%m.%Y}.docx"
    )


def test_an_unsigned_protocol_is_a_draft(held):
    lines = text_of(protocol_docx(held.meeting))
    assert lines[:2] == ["ПРОЕКТ", "(протокол не подписан председателем и секретарём комиссии)"]
    assert "Председатель комиссии _______________ П.И. Сидоров" in lines
    assert not any(line.startswith("(подписано электронно") for line in lines)
    assert "Голосовали: «за» 3, «против» 1, «воздержались» 1." in lines
    assert download_name(held.meeting, ".pdf").startswith("Проект протокола № ")

    meeting = cs.protocol_sign(actor=held.chair, meeting=held.meeting)
    lines = text_of(protocol_docx(meeting))
    assert lines[0] == "ПРОЕКТ"
    chair_line = lines.index("Председатель комиссии _______________ П.И. Сидоров")
    assert lines[chair_line + 1].startswith("(подписано электронно ")
    assert lines[chair_line + 2] == "Секретарь _______________ М.О. Кузнецова"
    assert sum(line.startswith("(подписано электронно") for line in lines) == 1
    meeting.refresh_from_db()
    assert not meeting.protocol_docx


def test_a_protocol_before_the_meeting_lists_todays_composition(meeting, accepted, secretary):
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    lines = text_of(protocol_docx(meeting))
    assert lines[0] == "ПРОЕКТ"
    assert "1. " in lines[lines.index("В составе:") + 1]
    assert lines[lines.index("В составе:") + 1].endswith("– председатель комиссии; (проректор)")
    assert "Присутствовали: заседание не открыто, явка не отмечена" in lines
    assert "Голосовали: «за» 0, «против» 0, «воздержались» 0." in lines
    assert "Итоги голосования не подведены." in lines


def test_an_organization_template_is_used(settings, tmp_path, meeting, accepted, secretary, org_tree):
    settings.MEDIA_ROOT = tmp_path
    cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    folder = tmp_path / "document_templates" / str(org_tree["university"].pk)
    folder.mkdir(parents=True)
    doc = Document()
    doc.add_paragraph("Свой бланк: протокол № {{ number }} от {{ date }}")
    doc.save(str(folder / "protocol.docx"))
    assert text_of(protocol_docx(meeting)) == [f"Свой бланк: протокол № {meeting.number} от {meeting.date:%d.%m.%Y}"]


def test_no_pdf_without_libreoffice(monkeypatch, meeting):
    monkeypatch.setattr(documents.shutil, "which", lambda _name: None)
    assert protocol_pdf(meeting) is None


def test_signed_protocol_as_pdf(held):
    if not documents.pdf_available():
        if os.environ.get("RIDBOOK_REQUIRE_PDF") == "1":
            pytest.fail(
                "LibreOffice Writer is missing and RIDBOOK_REQUIRE_PDF=1: apt-get install libreoffice-writer-nogui"
            )
        pytest.skip("PDF test skipped: LibreOffice Writer is not installed (apt-get install libreoffice-writer-nogui)")
    cs.protocol_sign(actor=held.chair, meeting=held.meeting)
    meeting = cs.protocol_sign(actor=held.secretary, meeting=held.meeting)
    pdf = protocol_pdf(meeting)
    assert pdf is not None
    assert pdf.startswith(b"%PDF")


def test_the_pdf_button_is_offered_only_where_a_pdf_can_be_made(client, held, monkeypatch):
    client.force_login(held.secretary)
    url = f"/commission/meetings/{held.meeting.pk}/"
    monkeypatch.setattr(documents, "_office", lambda: None)
    page = client.get(url).content.decode()
    assert 'data-testid="protocol-docx"' in page and 'data-testid="protocol-pdf"' not in page
    monkeypatch.setattr(documents, "_office", lambda: "/usr/bin/soffice")
    assert 'data-testid="protocol-pdf"' in client.get(url).content.decode()
