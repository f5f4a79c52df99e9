"""Hostile files at the registry's doors: the import (page, API, command) and the packet refuse a «zip-бомба», a file
too big or too long with a Russian message, and an import's report stays small however many rows are bad."""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from ridbook.core.uploads import UploadRefused, import_limits
from ridbook.core.xlsx import SheetWriter
from ridbook.registry.io import columns as c
from ridbook.registry.io import registry_import
from ridbook.registry.models import PacketDocument, Rid
from ridbook.testing.hostile import MB, xlsx_bomb

pytestmark = pytest.mark.django_db


def bomb(name: str = "реестр.xlsx", inflated: int = 200 * MB) -> SimpleUploadedFile:
    data = io.BytesIO()
    xlsx_bomb(data, inflated=inflated)
    return SimpleUploadedFile(name, data.getvalue())


def own_csv(rows: int, bad: bool = False) -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(c.OWN_COLUMNS)
    for n in range(rows):
        kind = "непонятный вид" if bad else "программа для ЭВМ"
        row = {c.KIND: kind, c.TITLE: f"Программа {n}", c.AUTHORS: "Сидоров И. И. (100 %)"}
        writer.writerow([row.get(col, "") for col in c.OWN_COLUMNS])
    return SimpleUploadedFile("реестр.csv", text.getvalue().encode("utf-8-sig"))


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


def test_the_inflating_xlsx_is_refused_by_the_import_api_with_the_error_format(api, org_tree, monkeypatch):
    from openpyxl.reader.excel import ExcelReader

    monkeypatch.setattr(ExcelReader, "read", lambda self: pytest.fail("the bomb was parsed"))
    response = api.post(
        "/api/v1/rids/import/", {"file": bomb(), "organization": org_tree["university"].pk, "dry_run": "false"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "upload_refused"
    assert error["message"].startswith("Файл похож на «zip-бомбу»: часть «xl/sharedStrings.xml»")
    assert error["details"]["fields"]["file"] == error["message"]


def test_the_inflating_xlsx_is_a_form_error_on_the_import_page(client, officer, org_tree):
    client.force_login(officer)
    response = client.post(
        "/registry/import/", {"file": bomb(), "organization": org_tree["university"].pk, "action": "import"}
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Файл похож на «zip-бомбу»" in page
    assert 'data-testid="import-report"' not in page


def test_the_command_says_why_the_file_is_refused(officer, org_tree, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bomb.xlsx"
    xlsx_bomb(path, inflated=200 * MB)
    with pytest.raises(CommandError, match="zip-бомбу"):
        call_command("import_registry", str(path), organization=org_tree["university"].pk, dry_run=True)


def test_a_file_over_the_import_size_is_refused(api, org_tree, settings):
    settings.RIDBOOK_IMPORT_MAX_BYTES = 1024
    response = api.post("/api/v1/rids/import/", {"file": own_csv(20), "organization": org_tree["university"].pk})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Файл слишком большой: ")
    assert response.json()["error"]["message"].endswith("допускается не более 1 КБ.")


def test_more_rows_than_allowed_are_refused_and_nothing_is_written(officer, org_tree, settings, monkeypatch):
    from ridbook.registry.io import importer

    settings.RIDBOOK_IMPORT_MAX_ROWS = 5
    monkeypatch.setattr(importer, "CHUNK", 2)  # the first chunks are written before the sixth row is met
    with pytest.raises(UploadRefused, match="В файле больше 5 строк с данными"):
        registry_import(own_csv(6), actor=officer, organization=org_tree["university"])
    assert not Rid.objects.exists()
    report = registry_import(own_csv(5), actor=officer, organization=org_tree["university"])
    assert report.written and report.rids == 5


def test_the_report_keeps_the_first_errors_and_counts_the_rest(api, officer, org_tree, settings):
    settings.RIDBOOK_IMPORT_ERRORS_KEPT = 10
    report = registry_import(own_csv(300, bad=True), actor=officer, organization=org_tree["university"], dry_run=True)
    assert (report.rows, report.bad_rows, len(report.errors), report.errors_total) == (300, 300, 10, 300)
    assert [p.row for p in report.errors] == list(range(2, 12))
    assert "… и ещё 290 ошибок не показаны." in report.text()
    assert "Строк с данными: 300, с ошибками: 300." in report.summary()
    response = api.post(
        "/api/v1/rids/import/", {"file": own_csv(300, bad=True), "organization": org_tree["university"].pk}
    )
    body = response.json()
    assert (body["bad_rows"], body["errors_total"], len(body["errors"])) == (300, 300, 10)
    # the kept errors are what the report weighs: ten of them, not three hundred
    assert (
        len(json.dumps(body, ensure_ascii=False)) < 10 * len(json.dumps(body["errors"][0], ensure_ascii=False)) + 2000
    )


def test_a_file_error_is_kept_even_when_the_errors_are_full(officer, org_tree, settings):
    from ridbook.registry.io.report import ImportReport, Problem

    settings.RIDBOOK_IMPORT_ERRORS_KEPT = 1
    report = ImportReport(filename="f", dry_run=True, skip_bad_rows=False)
    report.errors += [Problem(2, "", "a"), Problem(3, "", "b"), Problem(None, "", "файл повреждён")]
    assert [p.message for p in report.errors] == ["a", "файл повреждён"]
    assert report.errors_total == 3 and report.file_errors == [Problem(None, "", "файл повреждён")]


def test_a_packet_document_that_is_a_zip_bomb_is_refused(api, draft):
    docx = bomb("уведомление.docx")
    response = api.post(f"/api/v1/rids/{draft.pk}/packet/", {"kind": "notice", "file": docx}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "upload_refused"
    assert "zip-бомбу" in response.json()["error"]["message"]
    assert not PacketDocument.objects.exists()


def test_a_packet_document_over_the_size_limit_is_refused_next_to_the_field(client, officer, draft, settings):
    settings.RIDBOOK_UPLOAD_MAX_BYTES = 1024
    client.force_login(officer)
    big = SimpleUploadedFile("скан.pdf", b"%PDF" + b"x" * 4096)
    response = client.post(f"/registry/{draft.pk}/packet/", {"kind": "notice", "file": big}, follow=True)
    assert "Файл слишком большой: 4 КБ, допускается не более 1 КБ." in html.unescape(response.content.decode())
    assert not PacketDocument.objects.exists()


def test_our_export_of_a_million_rids_is_within_the_import_limits(settings):
    """2,000 rows like the benchmark's (a title of eight words, three authors, keywords, dates), written as our XLSX
    and CSV, scaled to a million: the file, its sheet, the ratio and the rows are all within the import's limits."""

    words = [
        "способ",
        "устройство",
        "контроля",
        "износа",
        "рельсов",
        "диагностика",
        "вагона",
        "локомотива",
        "тягового",
        "двигателя",
    ]
    rows = [
        [
            f"РИД-2024-{n:05d}",
            "программа для ЭВМ",
            " ".join(words[(n + i) % len(words)] for i in range(8)).capitalize(),
            "служебный",
            f"Кафедра {n % 5}.{n % 4}",
            "черновик",
            date(2005 + n % 20, 1 + n % 12, 1 + n % 28),
            "госзадание",
            "; ".join(words[(n + i) % len(words)] for i in range(3)),
            "62.01.11.000",
            "G06F 17/00",
            f"Иванов{n % 97} И. И. (40 %); Петров{n % 89} П. П. (30 %); Сидоров{n % 83} С. С. (30 %)",
            "да",
            date(2010 + n % 15, 1 + n % 12, 1 + n % 28),
            "нет",
        ]
        for n in range(2000)
    ]
    xlsx = io.BytesIO()
    with SheetWriter(xlsx, "Реестр РИД", c.OWN_COLUMNS, [10] * len(c.OWN_COLUMNS)) as sheet:
        sheet.rows(rows)
    part = zipfile.ZipFile(xlsx).getinfo("xl/worksheets/sheet1.xml")
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows([[str(v) for v in row] for row in rows])
    scale = 1_000_000 / len(rows)
    limits = import_limits()
    assert part.file_size * scale < limits.part and part.file_size * scale < limits.total
    assert part.file_size / part.compress_size < limits.ratio
    assert len(xlsx.getvalue()) * scale < limits.size
    assert len(text.getvalue().encode()) * scale < limits.size
    assert settings.RIDBOOK_IMPORT_MAX_ROWS >= 1_000_000
