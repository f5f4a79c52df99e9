"""Several packet files at once (issue 12: 3): on the page (each kind's row takes several files, one submit), in the
API (several ``file`` parts, one ``kind`` for all or one per file) and in the service; each file is checked as a
single one; all or nothing, and the refusal names every refused file."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from ridbook.audit.models import ChangeRecord
from ridbook.core.errors import DomainError
from ridbook.registry.models import PacketDocument
from ridbook.registry.services import packet_upload_many
from ridbook.testing.hostile import MB, xlsx_bomb

pytestmark = pytest.mark.django_db


def pdf(name: str, body: bytes = b"%PDF-1.4 test") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def bomb(name: str) -> SimpleUploadedFile:
    data = io.BytesIO()
    xlsx_bomb(data, inflated=200 * MB)
    return SimpleUploadedFile(name, data.getvalue())


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


def test_the_service_stores_every_file_and_journals_each(officer, draft, media):
    before = ChangeRecord.objects.filter(content_type__model="packetdocument", action="create").count()
    documents = packet_upload_many(
        actor=officer,
        rid=draft,
        files=[("application_form", pdf("заявление.pdf")), ("application_form", pdf("приложение.pdf")),
               ("patent_search_report", pdf("отчёт.pdf"))],
    )  # fmt: skip
    assert [d.kind for d in documents] == ["application_form", "application_form", "patent_search_report"]
    assert draft.packet.count() == 3
    records = ChangeRecord.objects.filter(content_type__model="packetdocument", action="create")
    assert records.count() == before + 3
    assert set(records.values_list("actor", flat=True)) == {officer.pk}
    assert stored_files(media) == ["заявление.pdf", "отчёт.pdf", "приложение.pdf"]


def test_one_refused_file_stores_nothing_and_is_named(officer, draft, media, settings):
    settings.RIDBOOK_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(DomainError) as caught:
        packet_upload_many(
            actor=officer,
            rid=draft,
            files=[("application_form", pdf("заявление.pdf")), ("patent_search_report", pdf("скан.pdf", b"x" * 4096)),
                   ("coauthors_agreement", pdf("пусто.pdf", b""))],
        )  # fmt: skip
    error = caught.value
    assert error.code == "upload_refused"
    assert error.message == (
        "Ни один файл не загружен, не приняты файлы: «скан.pdf» — Файл слишком большой: 4 КБ, допускается не более "
        "1 КБ; «пусто.pdf» — Файл пуст."
    )
    assert "заявление.pdf" not in error.message
    assert [r["name"] for r in error.details["refused"]] == ["скан.pdf", "пусто.pdf"]
    assert not PacketDocument.objects.exists()
    assert stored_files(media) == []


def test_a_failure_while_storing_removes_the_files_already_written(officer, draft, media, monkeypatch):
    from ridbook.registry import services

    calls = {"n": 0}
    original = PacketDocument.objects.create

    def create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the disk is full")
        return original(**kwargs)

    monkeypatch.setattr(services.PacketDocument.objects, "create", create)
    with pytest.raises(RuntimeError):
        packet_upload_many(
            actor=officer, rid=draft, files=[("notice", pdf("a.pdf")), ("application_form", pdf("b.pdf"))]
        )
    assert not PacketDocument.objects.exists()
    assert stored_files(media) == []


def test_the_page_takes_several_files_in_several_rows_in_one_submit(client, officer, draft, media):
    client.force_login(officer)
    page = text(client.get(reverse("registry:tab", args=[draft.pk, "documents"])))
    assert 'name="file_application_form" id="id_file_application_form" multiple' in page
    assert page.count('data-testid="packet-upload"') == 1
    response = client.post(
        reverse("registry:packet_upload", args=[draft.pk]),
        {
            "file_application_form": [pdf("заявление.pdf"), pdf("приложение.pdf")],
            "file_patent_search_report": [pdf("отчёт.pdf")],
        },
        follow=True,
    )
    page = text(response)
    assert (
        "Загружено файлов: 3 («заявление (форма заявки в патентное ведомство)», «отчёт о патентных исследованиях "
        "(ГОСТ Р 15.011-96)»)."
    ) in page
    assert draft.packet.filter(kind="application_form").count() == 2
    row = page[page.index('data-kind="application_form"') :]
    row = row[: row.index("</tr>")]
    assert "заявление.pdf" in row and "приложение.pdf" in row


def test_the_page_refuses_all_when_one_file_is_a_zip_bomb(client, officer, draft, media):
    client.force_login(officer)
    response = client.post(
        reverse("registry:packet_upload", args=[draft.pk]),
        {"file_application_form": [pdf("заявление.pdf")], "file_patent_search_report": [bomb("поиск.docx")]},
    )
    page = text(response)
    assert response.status_code == 200
    assert 'data-testid="upload-error"' in page
    assert "Ни один файл не загружен, не принят файл «поиск.docx» — Файл похож на «zip-бомбу»" in page
    row = page[page.index('data-kind="patent_search_report"') :]
    assert "«поиск.docx»: Файл похож на «zip-бомбу»" in row[: row.index("</tr>")]
    assert not PacketDocument.objects.exists()
    assert stored_files(media) == []


def test_the_older_page_shape_kind_and_file_still_works(client, officer, draft, media):
    client.force_login(officer)
    response = client.post(
        reverse("registry:packet_upload", args=[draft.pk]), {"kind": "notice", "file": pdf("уведомление.pdf")}
    )
    assert response.status_code == 302
    assert draft.packet.get().kind == "notice"


def test_no_file_chosen_is_said(client, officer, draft, media):
    client.force_login(officer)
    response = client.post(reverse("registry:packet_upload", args=[draft.pk]), {})
    assert "<li>Выберите файл.</li>" in text(response)


def test_the_api_takes_several_files_with_one_kind(api, draft, media):
    response = api.post(
        f"/api/v1/rids/{draft.pk}/packet/",
        {"kind": "application_form", "file": [pdf("a.pdf"), pdf("b.pdf")]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert draft.packet.filter(kind="application_form").count() == 2


def test_the_api_takes_one_kind_per_file(api, draft, media):
    response = api.post(
        f"/api/v1/rids/{draft.pk}/packet/",
        {"kind": ["application_form", "patent_search_report"], "file": [pdf("a.pdf"), pdf("b.pdf")]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert sorted(draft.packet.values_list("kind", "file")) == [
        ("application_form", f"rid/{draft.pk}/packet/application_form/a.pdf"),
        ("patent_search_report", f"rid/{draft.pk}/packet/patent_search_report/b.pdf"),
    ]
    assert response.json()["packet_by_stage"]["filing"] == ["соглашение соавторов о распределении вознаграждения"]


def test_the_api_refuses_all_and_names_the_refused_file(api, draft, media):
    response = api.post(
        f"/api/v1/rids/{draft.pk}/packet/",
        {"kind": "application_form", "file": [pdf("a.pdf"), bomb("b.docx")]},
        format="multipart",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "upload_refused"
    assert "не принят файл «b.docx»" in error["message"] and "zip-бомбу" in error["message"]
    assert not PacketDocument.objects.exists()


def test_the_api_says_when_kinds_and_files_do_not_match(api, draft, media):
    response = api.post(
        f"/api/v1/rids/{draft.pk}/packet/",
        {"kind": ["notice", "application_form"], "file": [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "видов 2, файлов 3" in str(response.json())
    assert not PacketDocument.objects.exists()


def test_the_api_refuses_an_unknown_kind(api, draft, media):
    response = api.post(
        f"/api/v1/rids/{draft.pk}/packet/", {"kind": "passport", "file": [pdf("a.pdf")]}, format="multipart"
    )
    assert response.status_code == 400
    assert "Неизвестный вид документа пакета: passport." in response.json()["error"]["message"]
