"""The boundary in the services (below the pages and the API): every target of a write is checked there too, and
the narrower rules inside one tree (an expert, the materials on an open agenda)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from ridbook.accounts.roles import Role
from ridbook.audit.models import ChangeRecord
from ridbook.audit.selectors import change_records_visible_to
from ridbook.commission import services as cs
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.organizations import services as org_services
from ridbook.registry import services as rs
from ridbook.registry.io.importer import registry_import
from ridbook.registry.models import Person, Rid
from ridbook.registry.search import search_filter
from ridbook.testing.world import World, build_world


@pytest.fixture
def worlds(db: Any) -> tuple[World, World]:
    return build_world("Альфин", "a"), build_world("Бетин", "b")


def _refused(call: Any, other: World, exc: type[Exception] = DomainError) -> str:
    before = ChangeRecord.objects.count()
    with pytest.raises(exc) as info:
        call()
    message = str(getattr(info.value, "message", info.value))
    assert other.tag not in message and other.root.short_name not in message  # nothing of the other tree is told
    assert ChangeRecord.objects.count() == before  # nothing written
    return message


def test_a_rid_is_never_moved_into_another_tree(worlds: tuple[World, World]) -> None:
    a, b = worlds
    officer = b.users[Role.IP_OFFICER]
    message = _refused(lambda: rs.rid_update(actor=officer, rid=b.draft, organization=a.department), a)
    assert message == "Организация не найдена среди доступных вам."


def test_authors_and_contributors_come_from_the_rids_legal_entity(worlds: tuple[World, World]) -> None:
    a, b = worlds
    author = b.users[Role.AUTHOR]
    inputs = [rs.AuthorInput(a.author_person, Decimal("100"))]
    message = _refused(lambda: rs.rid_set_authors(actor=author, rid=b.draft, authors=inputs), a)
    assert message.startswith("Человек не найден среди людей организации этого РИД.")
    _refused(lambda: rs.rid_add_contributor(actor=author, rid=b.draft, person=a.outsider, assistance="макет"), a)
    assert list(b.draft.authorships.values_list("person__last_name", flat=True)) == ["Бетин"]


def test_people_are_kept_per_legal_entity(worlds: tuple[World, World]) -> None:
    a, b = worlds
    officer = b.users[Role.IP_OFFICER]
    # the same СНИЛС is both trees' (each keeps its own record): no name of the other tree comes back
    assert Person.objects.filter(snils="112-233-445 95").count() == 2
    message = _refused(
        lambda: rs.person_save(
            actor=officer, last_name="Двойник", first_name="Иван", organization=b.root, snils="112-233-445 95"
        ),
        a,
    )
    assert "Бетин Автор" in message  # the duplicate found is this tree's own person
    _refused(
        lambda: rs.person_save(
            actor=officer, last_name="Новиков", first_name="Ян", organization=b.root, user=a.users[Role.AUTHOR]
        ),
        a,
    )
    _refused(lambda: rs.person_save(actor=officer, last_name="Новиков", first_name="Ян", organization=a.root), a)


def test_the_commission_seats_invites_and_schedules_only_its_own(worlds: tuple[World, World]) -> None:
    a, b = worlds
    secretary = b.users[Role.COMMISSION_SECRETARY]
    stranger = a.users[Role.COMMISSION_MEMBER]
    _refused(
        lambda: cs.member_add(actor=secretary, commission=b.commission, user=stranger, role="member", position="х"), a
    )
    _refused(lambda: cs.expert_invite(actor=secretary, item=b.item, user=a.users[Role.EXPERT]), a)
    _refused(lambda: cs.agenda_add(actor=secretary, meeting=b.meeting, rid=a.accepted, kind="maintenance"), a)
    _refused(
        lambda: cs.commission_create(
            actor=secretary, organization=a.root, order_number="2", order_date=a.commission.order_date
        ),
        a,
        PermissionDeniedError,
    )


def test_an_organization_is_never_hung_under_another_tree(worlds: tuple[World, World]) -> None:
    a, b = worlds
    admin = b.users[Role.ADMINISTRATOR]
    _refused(
        lambda: org_services.organization_update(actor=admin, organization=b.department, parent=a.root),
        a,
        PermissionDeniedError,
    )
    _refused(
        lambda: org_services.organization_create(actor=admin, parent=a.root, name="О", short_name="О", kind="division"),
        a,
        PermissionDeniedError,
    )
    with pytest.raises(PermissionDeniedError, match="только суперпользователь"):
        org_services.organization_create(actor=admin, parent=None, name="Новое", short_name="Н", kind="company")


def test_the_change_log_is_read_by_the_organizations_of_the_records(worlds: tuple[World, World]) -> None:
    a, b = worlds
    auditor = b.users[Role.AUDITOR]
    seen = change_records_visible_to(auditor)
    assert seen.exists()
    assert not seen.filter(object_repr__contains="Альфин").exists()
    assert set(seen.values_list("organization_id", flat=True)) <= {b.root.pk, b.department.pk}
    vote = ChangeRecord.objects.filter(content_type__model="vote").first()
    assert vote is not None and vote.organization_id in {a.root.pk, b.root.pk}  # votes carry their commission's


def test_an_import_matches_only_the_people_of_its_legal_entity(worlds: tuple[World, World]) -> None:
    a, b = worlds
    file = io.BytesIO("Вид РИД;Наименование;Авторы\nпрограмма для ЭВМ;Программа импорта;Альфин А. (100 %)\n".encode())
    report = registry_import(file, organization=b.root, actor=b.users[Role.IP_OFFICER], filename="r.csv", dry_run=False)
    assert report.written, report.text()
    person = Person.objects.get(authorships__rid__title="Программа импорта")
    assert person.pk != a.author_person.pk and person.organization == b.root  # a new person of this tree
    imported = Rid.objects.get(title="Программа импорта")  # the import's number is found by its tail too
    assert imported in search_filter(Rid.objects.all(), imported.number.rsplit("-", 1)[1])


# --- inside one tree ----------------------------------------------------------------------------------------------


def test_an_expert_gets_neither_the_protocol_nor_the_queue(worlds: tuple[World, World]) -> None:
    a, _ = worlds
    client = Client()
    client.force_login(a.users[Role.EXPERT])
    assert client.get(f"/commission/meetings/{a.meeting.pk}/protocol.docx").status_code == 403
    assert client.get(f"/api/v1/meetings/{a.meeting.pk}/protocol.docx/").status_code == 403
    detail = client.get(f"/api/v1/commissions/{a.commission.pk}/").json()
    assert detail["queue"] == []
    page = client.get(f"/commission/meetings/{a.meeting.pk}/").content.decode()
    assert 'data-testid="protocol-docx"' not in page
    secretary = Client()
    secretary.force_login(a.users[Role.COMMISSION_SECRETARY])
    assert secretary.get(f"/commission/meetings/{a.meeting.pk}/protocol.docx").status_code == 200


def test_materials_on_an_open_agenda_are_hidden_everywhere(worlds: tuple[World, World]) -> None:
    a, _ = worlds
    client = Client()
    client.force_login(a.users[Role.DIVISION_HEAD])
    rid = client.get(f"/api/v1/rids/{a.accepted.pk}/").json()
    assert rid["state_secret"] is None and rid["export_control"] is None
    page = client.get(f"/registry/{a.accepted.pk}/tab/documents/").content.decode()
    assert 'data-testid="materials-refused"' in page and "notice.txt" not in page
    officer = Client()
    officer.force_login(a.users[Role.IP_OFFICER])
    assert officer.get(f"/api/v1/rids/{a.accepted.pk}/").json()["state_secret"]["number"] == "1"


def test_an_attempt_on_another_tree_is_logged_for_the_users_own_tree_only(worlds: tuple[World, World]) -> None:
    from ridbook.security.selectors import security_events

    a, b = worlds
    officer = b.users[Role.IP_OFFICER]
    with pytest.raises(PermissionDeniedError):
        rs.rid_update(actor=officer, rid=b.draft, organization=a.department)
    with pytest.raises(PermissionDeniedError) as denied:
        rs.rid_create(actor=officer, organization=a.department, kind="software", title="Чужая")
    assert "Альфин" not in denied.value.message  # the other tree's organization is not named
    mine = list(security_events(b.users[Role.ADMINISTRATOR]).values_list("username", "reason"))
    assert mine and all("Альфин" not in reason for _, reason in mine)
    assert not security_events(a.users[Role.ADMINISTRATOR]).filter(username=officer.username).exists()
