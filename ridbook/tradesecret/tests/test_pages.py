"""The pages: the register, a regime's keeping page (copies, orders, contracts, disclosure), the inventories."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from ridbook.tradesecret.models import Inventory, JournalEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_client(client, officer):
    client.force_login(officer)
    return client


def test_the_register_and_its_export(browser_client, author, client, regime):
    page = browser_client.get("/tradesecret/").content.decode()
    assert regime.rid.number in page and "Сейф № 3, к. 214" in page and "Громов" in page
    response = browser_client.get("/tradesecret/register.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert str(sheet.cell(1, 1).value).startswith("КОММЕРЧЕСКАЯ ТАЙНА")
    client.force_login(author)
    assert client.get("/tradesecret/").status_code == 403
    assert client.get(f"/tradesecret/{regime.pk}/keeping/").status_code == 404


def test_copies_on_the_keeping_page(browser_client, officer, regime):
    url = f"/tradesecret/{regime.pk}/keeping/"
    body = {"issued_to": officer.pk, "medium": "paper", "purpose": "испытания"}
    for _ in range(2):
        assert browser_client.post(url + "copy/", body).status_code == 302
    refused = browser_client.post(url + "copy/", body)
    assert refused.status_code == 400 and "предел копий по решению — 2" in refused.content.decode()
    first = regime.copies.get(number=1)
    response = browser_client.get(f"/tradesecret/{regime.pk}/copies/{first.pk}/document.docx")
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert "Экземпляр № 1" in document.paragraphs[0].text
    assert browser_client.post(url + "return/", {"copy": first.pk, "on": ""}).status_code == 302
    first.refresh_from_db()
    assert first.state == "returned"
    assert browser_client.post(url + "destroy/", {"copy": first.pk, "note": "акт № 2"}).status_code == 302
    first.refresh_from_db()
    assert first.state == "destroyed"
    actions = list(JournalEntry.objects.filter(regime=regime, copy_number=1).values_list("action", flat=True))
    assert actions == ["copy", "document", "copy_return", "copy_destroy"]
    assert browser_client.get(f"/tradesecret/{regime.pk}/copies/{first.pk}/document.docx").status_code == 400


def test_order_contract_and_disclosure_on_the_page(browser_client, head, regime):
    url = f"/tradesecret/{regime.pk}/keeping/"
    order = {"number": "3-р", "signed_on": "2026-03-01", "signed_by": head.pk, "use": "лицензия"}
    assert browser_client.post(url + "order/", order).status_code == 302
    contract = {
        "use_order": regime.use_orders.get().pk,
        "counterparty_name": "ООО «Рельсы»",
        "counterparty_inn": "7707083893",
        "number": "Д-1",
        "signed_on": "2026-03-05",
        "registration_number": "РД1",
        "confidentiality": "",
        "scope": "лицензия",
    }
    refused = browser_client.post(url + "contract/", contract)
    assert refused.status_code == 400 and "конфиденциальность запрещена" in refused.content.decode()
    contract["confidentiality"] = "не раскрывать"
    assert browser_client.post(url + "contract/", contract).status_code == 302
    assert browser_client.post(url + "disclose/", {"on": "2026-04-01", "details": "статья"}).status_code == 302
    page = browser_client.get(url).content.decode()
    assert "прекращено 01.04.2026" in page


def test_the_inventory_pages(browser_client, org_tree, regime):
    year = date.today().year
    response = browser_client.post(
        "/tradesecret/inventories/", {"organization": org_tree["university"].pk, "year": year}
    )
    inventory = Inventory.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/inventories/{inventory.pk}/")
    entry = inventory.entries.get()
    url = f"/tradesecret/inventories/{inventory.pk}/"
    refused = browser_client.post(url + "close/", {"act_number": "1"})
    assert refused.status_code == 400 and "Не проверены" in refused.content.decode()
    saved = browser_client.post(
        url + "entry/",
        {"entry": entry.pk, "creation_place": "Кафедра", "storage_place": "Сейф", "use_place": "", "result": "found"},
    )
    assert saved.status_code == 302
    assert browser_client.post(url + "close/", {"act_number": "1"}).status_code == 302
    act = browser_client.get(url + "act.docx")
    document = Document(io.BytesIO(b"".join(act.streaming_content)))
    assert document.paragraphs[0].text.startswith("КОММЕРЧЕСКАЯ ТАЙНА")


def test_the_head_reads_the_register_but_keeps_nothing(client, head, officer, regime):
    client.force_login(head)
    assert regime.rid.number in client.get("/tradesecret/").content.decode()
    page = client.get(f"/tradesecret/{regime.pk}/keeping/").content.decode()
    assert 'data-testid="copy-form"' not in page and 'data-testid="disclose-form"' not in page
    body = {"issued_to": officer.pk, "medium": "paper", "purpose": "x"}
    assert client.post(f"/tradesecret/{regime.pk}/keeping/copy/", body).status_code == 403
    assert not regime.copies.exists()
    assert client.get(f"/tradesecret/{regime.pk}/content.txt").status_code == 403  # not on the access list
    assert JournalEntry.objects.filter(regime=regime, action="export", granted=False).count() == 1
