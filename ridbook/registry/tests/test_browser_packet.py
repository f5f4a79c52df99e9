"""Real browser (Debian's chromium via Playwright): several packet files chosen at once, in two rows, and sent with one
button; a «zip-бомба» among them refuses them all with its name; the good ones then go in one submit.

Set RIDBOOK_SCREENSHOTS=<dir> to keep screenshots of the refusal and of the stored files.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from ridbook.accounts.roles import Role
from ridbook.registry.models import PacketDocument
from ridbook.testing.factories import PASSWORD
from ridbook.testing.hostile import MB, xlsx_bomb

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    target = os.environ.get("RIDBOOK_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def pdf(name: str) -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": b"%PDF-1.4 " + name.encode()}


def test_several_files_are_uploaded_at_once_all_or_nothing(page, live_server, personas, draft):
    officer = personas[Role.IP_OFFICER]
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Мои задачи и сроки')")

    page.goto(f"{base}/registry/{draft.pk}/tab/documents/")
    page.wait_for_selector("[data-testid=packet-upload-form]")
    assert page.get_attribute("#id_file_application_form", "multiple") is not None

    # a «zip-бомба» among three files: none is stored, the refused one is named
    data = io.BytesIO()
    xlsx_bomb(data, inflated=200 * MB)
    page.set_input_files("#id_file_application_form", [pdf("заявление.pdf"), pdf("приложение.pdf")])
    bomb = {"name": "поиск.docx", "mimeType": "application/octet-stream", "buffer": data.getvalue()}
    page.set_input_files("#id_file_patent_search_report", [bomb])
    page.click("[data-testid=packet-upload]")
    error = page.wait_for_selector("[data-testid=upload-error]")
    assert "Ни один файл не загружен, не принят файл «поиск.docx» — Файл похож на «zip-бомбу»" in error.inner_text()
    row = page.locator("tr[data-kind=patent_search_report]")
    assert "«поиск.docx»" in row.inner_text()
    assert not PacketDocument.objects.exists()
    screenshot(page, "packet-refused")

    # the good files, in two rows, one submit
    page.set_input_files("#id_file_application_form", [pdf("заявление.pdf"), pdf("приложение.pdf")])
    page.set_input_files("#id_file_patent_search_report", [pdf("поиск.pdf")])
    page.click("[data-testid=packet-upload]")
    page.wait_for_selector(".messages :text('Загружено файлов: 3')")
    files = page.locator("tr[data-kind=application_form] [data-testid=packet-file]")
    assert files.count() == 2
    assert "поиск.pdf" in page.locator("tr[data-kind=patent_search_report]").inner_text()
    screenshot(page, "packet-stored")
    assert sorted(PacketDocument.objects.values_list("kind", flat=True)) == [
        "application_form",
        "application_form",
        "patent_search_report",
    ]
