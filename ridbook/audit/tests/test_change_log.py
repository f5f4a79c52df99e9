"""The change log in words: a signed meeting reads as Russian sentences with people's names and the labels of
choices, never field names, codes or logins; its filters narrow it; its CSV and XLSX open; another tree sees none of it."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ridbook.accounts.roles import Role
from ridbook.audit.export import COLUMNS
from ridbook.audit.models import ChangeRecord
from ridbook.audit.presentation import present
from ridbook.audit.selectors import change_records_visible_to
from ridbook.commission.models import Meeting, Vote
from ridbook.organizations.models import Organization
from ridbook.policies.loader import get_policy
from ridbook.registry.models import Person
from ridbook.testing.factories import persona

pytestmark = pytest.mark.django_db

RAW = [r"\bchair_signed_by\b", r"\bchoice\b", r"\badopted\b", r"\bfor\b", r"\bTrue\b", r"\bFalse\b", r"\bNone\b"]
MOMENT = r"\d\d\.\d\d\.\d{4} \d\d:\d\d"


def _words(entries):
    """Everything a reader sees of the entries."""
    parts = []
    for e in entries:
        parts += [e.sentence, e.who, e.object, e.organization]
        parts += [f"{c.label} {c.old} {c.new}" for c in e.changes]
    return "\n".join(parts)


def _usernames():
    from ridbook.accounts.models import User

    return list(User.objects.values_list("username", flat=True))


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_signed_meeting_reads_as_russian_sentences(signed_meeting, auditor, chair, secretary):
    entries = present(change_records_visible_to(auditor))
    signing = [
        e
        for e in entries
        if e.record.content_type.model_class() is Meeting
        and any(c.label == "председатель (подпись)" and c.new == chair.full_name for c in e.changes)
    ]
    assert len(signing) == 1
    assert re.fullmatch(
        f"{MOMENT} {chair.full_name} изменил «Протокол № 1 от \\d\\d\\.\\d\\d\\.\\d{{4}}» \\(заседание комиссии\\): "
        f"подписан председателем: — → {MOMENT}; председатель \\(подпись\\): — → {chair.full_name}",
        signing[0].sentence,
    ), signing[0].sentence
    votes = [e for e in entries if e.record.content_type.model_class() is Vote and e.record.action == "create"]
    assert len(votes) == 6  # six present, one excused
    for vote in votes:
        assert vote.who == secretary.full_name
        assert "голос — за" in vote.sentence and "член комиссии — " in vote.sentence
        assert "вопрос повестки — 1. О заявке на РИД" in vote.sentence
    members = {e.record.after["member"]: next(c.new for c in e.changes if c.label == "член комиссии") for e in votes}
    assert chair.full_name in members.values()
    words = _words(entries)
    assert "решение принято: — → да" in words
    assert "статус: голосование завершено, протокол на подписи → протокол подписан" in words
    for raw in RAW:
        assert not re.search(raw, words), raw
    for username in _usernames():
        assert not re.search(rf"\b{re.escape(username)}\b", words), username


def test_the_page_and_the_api_read_the_same_words(signed_meeting, auditor, chair):
    page = _client(auditor).get(reverse("web:audit")).content.decode()
    assert chair.full_name in page and "изменил «Протокол № 1 от " in page and "(заседание комиссии)" in page
    assert "страница 1 / 2" in page  # more than 50 records: paged
    second = _client(auditor).get(reverse("web:audit"), {"page": 2}).content.decode()
    assert "страница 2 / 2" in second
    for raw in RAW:
        assert not re.search(raw, re.sub(r"<[^>]+>", " ", page)), raw
    body = _api(auditor).get("/api/v1/audit/", {"model": "commission.vote", "action": "create"}).json()
    assert body["count"] == 6
    for row in body["results"]:
        assert row["before"] is None and row["after"]["choice"] == "for"  # the stored values stay as they are
        assert row["object"].startswith("Голос «") and row["who"] and " создал " in row["sentence"]
        assert {"field": "choice", "label": "голос", "old": "—", "new": "за"} in row["changes"]


def _count(user, **query):
    response = _api(user).get("/api/v1/audit/", query)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_filters_by_object_person_organization_and_period_each_narrow_the_log(
    signed_meeting, auditor, chair, accepted, org_tree
):
    total = _count(auditor)
    meeting = {"model": "commission.meeting", "object_id": signed_meeting.pk}
    by_object = _count(auditor, **meeting)
    by_kind = _count(auditor, model="commission.vote")
    by_person = _count(auditor, actor=chair.pk)
    by_organization = _count(auditor, organization=org_tree["department"].pk)  # the RID and its people, not the meeting
    assert 0 < by_object < total and 0 < by_kind < total and 0 < by_person < total and 0 < by_organization < total
    assert by_person == 1  # the chair only signed
    records = change_records_visible_to(auditor)
    assert by_organization == records.filter(organization=org_tree["department"]).count()
    page = _client(auditor).get(reverse("web:audit"), {"actor": chair.pk}).content.decode()
    assert "Найдена 1 запись" in page  # the page takes the same filters
    # a record of last year: the period takes it or leaves it
    ChangeRecord.objects.create(
        at=datetime(2025, 3, 10, 9, 0, tzinfo=UTC),
        actor=chair,
        actor_label=chair.username,
        action="update",
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=str(org_tree["university"].pk),
        object_repr="ВУЗ",
        organization=org_tree["university"],
        before={"name": "Старое"},
        after={"name": "Новое"},
    )
    today = timezone.localdate()
    assert _count(auditor, since="2025-01-01", until="31.12.2025") == 1
    assert _count(auditor, since=today.isoformat()) == total
    assert _count(auditor, until=(today - timedelta(days=1)).isoformat()) == 1
    assert _count(auditor, since=(today + timedelta(days=1)).isoformat()) == 0
    # a date out of range is refused with its reason (400 in the API; on the page the filter is not applied)
    response = _api(auditor).get("/api/v1/audit/", {"since": "31.12.1899"})
    assert response.status_code == 400 and "год от 1900 до 2199" in response.content.decode()
    page = _client(auditor).get(reverse("web:audit"), {"since": "1.1.9999"}).content.decode()
    assert "год от 1900 до 2199" in page


def _streamed(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_csv_and_xlsx_exports_open_with_the_expected_rows(signed_meeting, auditor, chair):
    votes = present(change_records_visible_to(auditor).filter(content_type=ContentType.objects.get_for_model(Vote)))
    expected = sum(max(1, len(e.changes)) for e in votes)  # one row per changed field
    data = _streamed(
        _client(auditor).get(reverse("web:audit_export"), {"file_format": "csv", "model": "commission.vote"})
    )
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Russian Excel opens it
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + expected
    assert any(row[5:] == ["голос", "—", "за"] and row[3].startswith("Голос «") for row in rows[1:])
    assert all(re.fullmatch(MOMENT, row[0]) for row in rows[1:])

    response = _api(auditor).get("/api/v1/audit/export/", {"file_format": "xlsx", "actor": chair.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(_streamed(response)), read_only=True).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == COLUMNS
    assert len(cells) == 1 + 2  # the chair signed: two fields
    assert {row[1] for row in cells[1:]} == {chair.full_name}
    assert {row[5] for row in cells[1:]} == {"подписан председателем", "председатель (подпись)"}


def test_another_tree_sees_none_of_it(signed_meeting, chair, org_tree):
    stranger = persona(Role.AUDITOR, org_tree["holding"], username="holding-auditor")
    seen = _api(stranger).get("/api/v1/audit/").json()["results"]
    assert {row["organization_name"] for row in seen} == {"Холдинг"}  # his own user and role, nothing of the ВУЗ
    page = _client(stranger).get(reverse("web:audit")).content.decode()
    assert chair.full_name not in page and "Протокол № 1" not in page and "ВУЗ" not in page
    # the other tree's people and organizations are not even choices
    assert _api(stranger).get("/api/v1/audit/", {"actor": chair.pk}).status_code == 400
    assert _api(stranger).get("/api/v1/audit/", {"organization": org_tree["university"].pk}).status_code == 400
    data = _streamed(_client(stranger).get(reverse("web:audit_export"), {"file_format": "csv"}))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == COLUMNS and {row[4] for row in rows[1:]} == {"Холдинг"}
    assert chair.full_name not in data.decode("utf-8-sig")


def _record(model, obj_id, org, before, after, action="update"):
    return ChangeRecord.objects.create(
        actor=None,
        actor_label="команда проверки",
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(obj_id),
        object_repr="запись",
        organization=org,
        before=before,
        after=after,
    )


def test_personal_data_of_an_old_snapshot_is_never_shown(auditor, org_tree):
    person = Person.objects.create(last_name="Сидоров", first_name="Иван", organization=org_tree["department"])
    _record(
        Person,
        person.pk,
        org_tree["department"],
        {"last_name": "Сидоров", "inn": "500100732259", "snils": "112-233-445 95", "birth_date": "1980-01-02"},
        {"last_name": "Сидорова", "inn": "500100732260", "snils": "112-233-445 96", "birth_date": "1980-01-03"},
    )
    (entry,) = present(change_records_visible_to(auditor).filter(actor_label="команда проверки"))
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("фамилия", "Сидоров", "Сидорова")]
    assert entry.who == "команда проверки"  # a command: its name
    for secret in ("500100732259", "112-233-445", "1980", "ИНН", "СНИЛС", "дата рождения"):
        assert secret not in _words([entry])


def test_references_read_as_names_and_a_deleted_one_says_so(signed_meeting, auditor, chair, org_tree):
    vote = Vote.objects.first()
    _record(Vote, vote.pk, org_tree["university"], {"member": 999999}, {"member": vote.member_id})
    _record(
        Organization, org_tree["university"].pk, org_tree["university"], {"policy_name": "vgtu"}, {"policy_name": "tpu"}
    )
    entries = present(change_records_visible_to(auditor).filter(actor_label="команда проверки"))
    changes = {c.name: c for e in entries for c in e.changes}
    assert changes["member"].old == "№ 999999 (удалён)"
    assert changes["member"].new == vote.member.user.full_name
    assert changes["policy_name"].old == get_policy("vgtu").meta.title
    assert changes["policy_name"].new == get_policy("tpu").meta.title


def test_the_history_tabs_read_the_same_sentences(signed_meeting, accepted, officer, personas, org_tree):
    tab = _client(officer).get(reverse("registry:tab", args=[accepted.pk, "history"])).content.decode()
    assert f"{officer.full_name} изменил «{accepted.number} " in tab and "Принято к рассмотрению комиссией" in tab
    assert officer.username not in re.sub(r"<[^>]+>", " ", tab)
    full = _client(officer).get(reverse("web:audit"), {"model": "registry.rid", "object_id": accepted.pk})
    assert full.content.decode().count('data-testid="change"') == tab.count('data-testid="change"')
    admin = personas[Role.ADMINISTRATOR]
    org = _client(admin).get(reverse("web:organization_tab", args=[org_tree["university"].pk, "history"]))
    assert (
        org.status_code == 200 and "создал(а) «ВУЗ» (организация)"
    )  # no user acted: the common form in org.content.decode()


def test_a_page_of_fifty_records_is_a_bounded_number_of_queries(
    signed_meeting, auditor, accepted, officer, django_assert_max_num_queries
):
    client, api = _client(auditor), _api(auditor)
    client.get(reverse("web:audit"))  # the first request fills the caches (content types)
    # 21 on SQLite: the session and the user 2, his roles 1, the organizations below his 6 (three levels, for the
    # records and for the organization filter), the count and the page 2, the names 6 (one query per model referred
    # to: users, organizations, RIDs, agenda items, members with their users, meetings), the filter's choices 2.
    # None of it grows with the rows of the page.
    with django_assert_max_num_queries(25):
        response = client.get(reverse("web:audit"))
    assert response.content.decode().count('data-testid="change"') == 50
    with django_assert_max_num_queries(25):
        assert len(api.get("/api/v1/audit/").json()["results"]) == 50
    officer_client = _client(officer)
    officer_client.get(reverse("registry:tab", args=[accepted.pk, "history"]))
    with django_assert_max_num_queries(25):
        officer_client.get(reverse("registry:tab", args=[accepted.pk, "history"]))


def test_every_journaled_model_and_field_has_a_russian_name():
    """The log labels a record by its model's ``verbose_name`` and a field by its own: none may be Django's default
    made of the code name («chair signed by»)."""
    from django.apps import apps

    from ridbook.audit.models import AuditedModel

    unnamed = []
    for model in apps.get_models():
        if not issubclass(model, AuditedModel) or model._meta.app_label == "testing":
            continue
        if str(model._meta.verbose_name) == re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower():
            unnamed.append(model._meta.label)
        hidden = {model._meta.pk.name, *model.audit_exclude}
        for field in model._meta.concrete_fields:
            if field.name not in hidden and str(field.verbose_name) == field.name.replace("_", " "):
                unnamed.append(f"{model._meta.label}.{field.name}")
    assert not unnamed


def test_the_verb_agrees_with_the_actor(db):
    from types import SimpleNamespace

    from ridbook.audit.presentation import Entry

    def verb(who: str, actor_id: int | None) -> str:
        record = SimpleNamespace(action="update", actor_id=actor_id)
        return Entry(record, "", who, "изменение", "", "", "", "", []).verb  # type: ignore[arg-type]

    assert verb("Кузнецова Ольга Петровна", 1) == "изменила"
    assert verb("Соколов Дмитрий Александрович", 2) == "изменил"
    assert verb("команда import_registry", None) == "изменил(а)"  # a job: no gender to agree with
