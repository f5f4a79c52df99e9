"""The registry through /api/v1/: the same operations as the pages, with the common error format."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ridbook.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user():
    def client(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return client


def test_a_notice_from_draft_to_the_commission_queue(as_user, author, officer, author_person, org_tree):
    api = as_user(author)
    created = api.post(
        "/api/v1/rids/",
        {
            "organization": org_tree["department"].pk,
            "kind": "software",
            "title": "Программа диагностики стрелок",
            "purpose": "Диагностика стрелочных переводов",
            "keywords": ["стрелка", "диагностика"],
            "abstract": "Программа анализирует сигналы датчиков стрелочного перевода.",
            "okpd2": "62.01.29.000",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    rid_id = created.json()["id"]
    bad = api.put(f"/api/v1/rids/{rid_id}/authors/", [{"person": author_person.pk, "coefficient": "90"}], format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["details"]["fields"]["authors"] == (
        "Сумма коэффициентов участия авторов должна быть ровно 100 %, сейчас 90 %."
    )
    ok = api.put(f"/api/v1/rids/{rid_id}/authors/", [{"person": author_person.pk, "coefficient": "100"}], format="json")
    assert ok.status_code == 200 and ok.json()["authors"][0]["person_name"] == "Иванов Пётр Сергеевич"
    assert api.post(f"/api/v1/rids/{rid_id}/submit/").json()["status"] == "submitted"

    ip = as_user(officer)
    assert ip.post(f"/api/v1/rids/{rid_id}/receive/", {}, format="json").json()["status"] == "under_check"
    # the notice that ridbook makes counts as the notice of the packet: nothing to upload back (VGTU: the policy
    # is silent, the common practice asks for the notice alone at acceptance)
    accepted = ip.post(f"/api/v1/rids/{rid_id}/accept/").json()
    assert accepted["status"] == "accepted" and accepted["missing_packet_documents"] == []
    assert accepted["packet_by_stage"] == {"acceptance": [], "commission": [], "filing": []}
    assert accepted["filing_blockers"] == [
        "нет заключения о возможности открытого опубликования",
        "нет акта экспертизы экспортного контроля",
    ]


def test_list_filters_search_and_visibility(as_user, draft, author, officer, org_tree, personas):
    api = as_user(officer)
    rows = api.get("/api/v1/rids/", {"kind": "invention", "status": "draft"}).json()["results"]
    assert [r["number"] for r in rows] == [draft.number]
    assert rows[0]["authors"] == ["Иванов П.С. (60 %)", "Петрова А. (40 %)"]
    assert api.get("/api/v1/rids/", {"q": "износа рельсов"}).json()["count"] == 1
    assert api.get("/api/v1/rids/", {"q": "изобретения трамвая"}).json()["count"] == 0
    assert api.get("/api/v1/rids/", {"author": "Петр"}).json()["count"] == 1
    assert as_user(personas[Role.ACCOUNTANT]).get("/api/v1/rids/").json()["count"] == 0
    assert as_user(personas[Role.ACCOUNTANT]).get(f"/api/v1/rids/{draft.pk}/").status_code == 404


def test_people_duplicates_are_refused_with_a_link(as_user, officer, author_person):
    response = as_user(officer).post(
        "/api/v1/people/",
        {
            "last_name": "Иванов",
            "first_name": "Пётр",
            "snils": "112-233-445 95",
            "organization": author_person.organization_id,
        },
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "duplicate_person" and error["details"]["person_id"] == author_person.pk
    found = as_user(officer).get("/api/v1/people/", {"q": "Иван"}).json()["results"]
    assert [p["full_name"] for p in found] == ["Иванов Пётр Сергеевич"]
    assert found[0]["snils"] == "112-233-445 95"  # the IP department sees what filing needs


def test_field_errors_come_back_per_field(as_user, draft, author):
    response = as_user(author).patch(
        f"/api/v1/rids/{draft.pk}/", {"okpd2": "62.01", "ipc_codes": ["G06F"]}, format="json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["details"]["fields"]
    assert fields["ipc_codes"].startswith("Код МПК G06F записан неверно")
    assert fields["okpd2"].startswith("Код ОКПД2 «62.01»")


def test_registry_endpoints_are_in_the_openapi_schema(as_user, author):
    paths = as_user(author).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    for path in (
        "/api/v1/rids/",
        "/api/v1/rids/{id}/submit/",
        "/api/v1/rids/{id}/return/",
        "/api/v1/rids/{id}/authors/",
        "/api/v1/people/",
        "/api/v1/rids/import/",
        "/api/v1/rids/export/",
    ):
        assert path in paths


def test_notice_document_downloads_as_docx(as_user, draft, author):
    import io

    from docx import Document

    response = as_user(author).get(f"/api/v1/rids/{draft.pk}/documents/notice/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "".join(Document(io.BytesIO(response.content)).element.body.itertext())
    assert "Способ контроля износа рельсов" in text
    missing = as_user(author).get(f"/api/v1/rids/{draft.pk}/documents/state_secret/")
    assert missing.status_code == 400
    assert "ещё не внесено" in missing.json()["error"]["message"]
    assert as_user(author).get(f"/api/v1/rids/{draft.pk}/documents/nope/").status_code == 404


def test_import_checks_by_default_then_writes_and_skips_what_is_registered(as_user, officer, author, org_tree):
    from ridbook.registry.io import columns as c
    from ridbook.registry.models import Rid

    fips = (
        "\ufeff" + ",".join(c.FIPS_COLUMNS) + "\r\n"
        '2020610001,20200110,,,"Иванов П.С. (RU)",1,,,Прога,,,,true,\r\n'
        '2020610002,20201399,,,"Петров И. И. (RU)",1,,,Без даты,,,,true,\r\n'  # a title-less row lands (flagged)
    ).encode()

    def upload(**data):
        file = SimpleUploadedFile("evm.csv", fips, content_type="text/csv")
        return as_user(officer).post(
            "/api/v1/rids/import/", {"file": file, "organization": org_tree["university"].pk, **data}
        )

    checked = upload()
    assert checked.status_code == 200
    report = checked.json()
    assert (report["format"], report["dry_run"], report["written"], report["rows"], report["bad_rows"]) == (
        "fips",
        True,
        False,
        2,
        1,
    )
    assert report["errors"] == [
        {"row": 3, "column": "registration date", "message": "Дата «20201399» не распознана: нужен вид ГГГГММДД."}
    ]
    assert Rid.objects.count() == 0
    strict = upload(dry_run="false").json()
    assert not strict["written"] and Rid.objects.count() == 0
    assert "Ничего не записано: строк с ошибками 1." in strict["summary"]
    written = upload(dry_run="false", skip_bad_rows="true").json()
    assert (written["written"], written["rids"]) == (True, 1) and Rid.objects.count() == 1
    rid = Rid.objects.get()
    assert as_user(officer).get(f"/api/v1/rids/{rid.pk}/").json()["state_registration_number"] == "2020610001"
    again = upload(dry_run="false", skip_bad_rows="true").json()
    assert (again["rids"], again["already_registered"]) == (0, 1)
    assert (
        again["warnings"][0]["message"]
        == f"Программа для ЭВМ № 2020610001 уже в реестре ({rid.number}): строка пропущена."
    )
    refused = as_user(author).post(
        "/api/v1/rids/import/",
        {"file": SimpleUploadedFile("evm.csv", fips), "organization": org_tree["university"].pk},
    )
    assert refused.status_code == 403
    missing = as_user(officer).post("/api/v1/rids/import/", {"organization": org_tree["university"].pk})
    assert missing.status_code == 400


def test_export_streams_the_filtered_registry(as_user, officer, draft, org_tree):
    import csv
    import io

    import openpyxl

    api = as_user(officer)
    response = api.get("/api/v1/rids/export/", {"kind": "invention"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Учётный номер" and [r[0] for r in rows[1:]] == [draft.number]
    none = api.get("/api/v1/rids/export/", {"kind": "software"})
    assert len(list(csv.reader(io.StringIO(b"".join(none.streaming_content).decode("utf-8-sig"))))) == 1
    xlsx = api.get("/api/v1/rids/export/", {"file_format": "xlsx", "q": "рельсов"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [draft.number]


def test_a_draft_is_deleted_through_the_api_by_its_author(as_user, author, draft):
    response = as_user(author).delete(f"/api/v1/rids/{draft.pk}/")
    assert response.status_code == 204
    assert as_user(author).get(f"/api/v1/rids/{draft.pk}/").status_code == 404
