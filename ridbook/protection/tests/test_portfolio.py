"""Import of an existing portfolio of documents from a spreadsheet: a dry run first, then all rows or none."""

from __future__ import annotations

import io

from django.urls import reverse
from rest_framework.test import APIClient

from ridbook.protection.models import ProtectionDocument
from ridbook.protection.portfolio import portfolio_import

from .conftest import decided_rid

HEADER = "Учётный номер РИД;Вид документа;Номер;Номер заявки;Дата подачи;Дата выдачи;Где хранится подлинник\n"


def _file(*rows: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "".join(f"{r}\n" for r in rows)).encode("utf-8-sig"))


def test_a_dry_run_reports_bad_rows_and_a_real_run_writes_all(officer, org_tree, rates):
    rid = decided_rid(officer, org_tree)
    other = decided_rid(officer, org_tree, kind="utility_model", title="Устройство")
    good = f"{rid.number};патент на изобретение;2750001;2019100001;20.05.2019;01.02.2021;сейф 3"
    bad = f"{other.number};патент на модель;;;31.02.2020;;"

    report = portfolio_import(_file(good, bad), actor=officer, organization=org_tree["university"], dry_run=False)
    assert not report.written and report.documents == 1 and not ProtectionDocument.objects.exists()
    assert "Строка 3: Неизвестный вид документа «патент на модель»." in report.errors
    assert "Строка 3: Не указан номер документа." in report.errors
    assert any("31.02.2020" in e for e in report.errors)

    dry = portfolio_import(_file(good), actor=officer, organization=org_tree["university"])
    assert dry.dry_run and not dry.errors and not ProtectionDocument.objects.exists()
    done = portfolio_import(_file(good), actor=officer, organization=org_tree["university"], dry_run=False)
    assert done.written
    document = ProtectionDocument.objects.get()
    assert (document.rid, document.number, document.original_location) == (rid, "2750001", "сейф 3")
    assert document.fees.exists() and document.fees_tracked_from is not None

    again = portfolio_import(_file(good), actor=officer, organization=org_tree["university"])
    assert again.errors == ["Строка 2: Документ № 2750001 уже есть (в реестре или выше в файле)."]


def test_the_import_endpoint(officer, org_tree, rates):
    rid = decided_rid(officer, org_tree)
    client = APIClient()
    client.force_authenticate(officer)
    upload = _file(f"{rid.number};invention;2750002;;20.05.2019;;")
    upload.name = "портфель.csv"
    response = client.post(
        reverse("api:protection-document-import-file"),
        {"file": upload, "organization": org_tree["university"].pk},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"rows": 1, "documents": 1, "dry_run": True, "written": False, "problems": []}
