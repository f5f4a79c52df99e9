"""Personal data by need to know (152-ФЗ), role × field: the matrix, the person page, the API and the notice DOCX."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from docx import Document

from ridbook.accounts.personal_data import (
    ALL_FIELDS,
    PERSONAL_DATA,
    PersonalDataAccess,
    PersonalField,
)
from ridbook.accounts.roles import Role
from ridbook.registry.documents import render_document
from ridbook.testing.world import World, build_world

F = PersonalField
EXPECTED: dict[Role, set[PersonalField]] = {
    Role.IP_OFFICER: set(F),
    Role.IP_HEAD: set(F),
    Role.ACCOUNTANT: {F.INN, F.SNILS, F.BIRTH_DATE, F.DEATH_DATE, F.CITIZENSHIP},
    Role.ADMINISTRATOR: {F.EMAIL},
    Role.AUTHOR: set(),
    Role.COMMISSION_SECRETARY: set(),
    Role.COMMISSION_CHAIR: set(),
    Role.COMMISSION_MEMBER: set(),
    Role.EXPERT: set(),
    Role.APPROVER: set(),
    Role.DIVISION_HEAD: set(),
    Role.AUDITOR: set(),
}
# how each field of the world's author shows, where it shows
SHOWN = {
    F.INN: "500100732259",
    F.SNILS: "112-233-445 95",
    F.BIRTH_DATE: "04.03.1980",
    F.ADDRESS: "ул. Альфин, 1",
    F.PHONE: "+7 900 000-00-00",
    F.EMAIL: "a-person@example.org",
}


@pytest.fixture
def world(db: Any) -> World:
    return build_world("Альфин", "a")


def test_the_matrix_is_pinned_for_every_role() -> None:
    assert {role: set(fields) for role, fields in PERSONAL_DATA.items()} == EXPECTED
    assert set(PERSONAL_DATA) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_fields_of_a_colleague_and_none_of_another_tree(world: World, role: Role) -> None:
    other = build_world("Бетин", "b")
    access = PersonalDataAccess(world.users[role])
    coauthor = world.outsider  # kept by the department, below the role's organization
    own = world.author_person
    assert set(access.fields(coauthor)) == EXPECTED[role]
    assert access.fields(other.author_person) == frozenset()  # another tree: nothing, whatever the role
    expected_own = ALL_FIELDS if role == Role.AUTHOR else EXPECTED[role]  # the author's own record is his
    assert set(access.fields(own)) == set(expected_own)


@pytest.mark.parametrize("role", [Role.IP_OFFICER, Role.ACCOUNTANT, Role.COMMISSION_MEMBER, Role.AUDITOR, Role.AUTHOR])
def test_the_person_page_shows_only_the_fields_of_the_role(world: World, role: Role) -> None:
    client = Client()
    client.force_login(world.users[role])
    page = client.get(f"/registry/people/{world.author_person.pk}/").content.decode()
    for field, text in SHOWN.items():
        may = field in EXPECTED[role] or role == Role.AUTHOR  # the author is this person
        assert (text in page) == may, (role, field)


def test_the_api_returns_personal_fields_by_need_to_know(world: World) -> None:
    def fetch(role: Role) -> dict[str, Any]:
        client = Client()
        client.force_login(world.users[role])
        return client.get(f"/api/v1/people/{world.outsider.pk}/").json()

    officer = fetch(Role.IP_OFFICER)
    assert {f.value for f in F} <= set(officer) and officer["workplace"] == "ООО «Альфин»"
    author = fetch(Role.AUTHOR)  # a co-author: name, workplace, position only
    assert not {f.value for f in F} & set(author)
    assert author["full_name"] == "Альфин Внешний" and author["is_external"] is True


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_notice_for_a_commission_member_has_no_personal_data(world: World) -> None:
    full = _docx_text(render_document(rid=world.accepted, kind="notice", viewer=world.users[Role.IP_OFFICER]))
    for text in SHOWN.values():
        assert text in full
    member = world.users[Role.COMMISSION_MEMBER]
    client = Client()
    client.force_login(member)
    response = client.get(f"/commission/meetings/{world.meeting.pk}/items/{world.item.pk}/materials/notice/")
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "Альфин Автор" in text and "скрыто" in text  # the authors are named; their personal data is not
    for field, shown in SHOWN.items():
        assert shown not in text, field
    accountant = _docx_text(render_document(rid=world.accepted, kind="notice", viewer=world.users[Role.ACCOUNTANT]))
    assert SHOWN[F.INN] in accountant and SHOWN[F.SNILS] in accountant
    assert SHOWN[F.ADDRESS] not in accountant and SHOWN[F.PHONE] not in accountant


def test_the_change_log_keeps_no_personal_data(world: World) -> None:
    from ridbook.audit.models import ChangeRecord

    for record in ChangeRecord.objects.filter(content_type__model="person"):
        assert not {f.value for f in F} & set(record.after or {})
