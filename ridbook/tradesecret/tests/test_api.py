"""The API: the register, copies (limit, return, destroy, document), orders, contracts, disclosure, inventories."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

API = "/api/v1/trade-secrets/"


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


def test_the_register(api, author, regime):
    rows = api.get(API).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert rows[0]["number"] == regime.rid.number and rows[0]["access_count"] == 1
    assert rows[0]["authors"] == ["Громов Д."] or rows[0]["authors"][0].startswith("Громов")
    assert rows[0]["expires_on"] is None
    other = APIClient()
    other.force_authenticate(author)
    assert other.get(API).status_code == 403
    assert other.get(f"{API}{regime.pk}/").status_code == 404
    assert api.get(f"{API}export/").content[:2] == b"PK"


def test_copies(api, officer, regime):
    body = {"issued_to": officer.pk, "medium": "paper", "purpose": "испытания"}
    assert api.post(f"{API}{regime.pk}/copies/", body, format="json").json()["number"] == 1
    assert api.post(f"{API}{regime.pk}/copies/", body, format="json").status_code == 201
    refused = api.post(f"{API}{regime.pk}/copies/", body, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "copy_limit"
    copy = regime.copies.get(number=2)
    document = api.get(f"{API}{regime.pk}/copies/{copy.pk}/document/?file_format=docx")
    assert "Экземпляр № 2" in Document(io.BytesIO(document.content)).paragraphs[0].text
    assert api.post(f"{API}{regime.pk}/copies/{copy.pk}/return/", {}, format="json").json()["state"] == "returned"
    destroyed = api.post(f"{API}{regime.pk}/copies/{copy.pk}/destroy/", {"note": "акт"}, format="json")
    assert destroyed.json()["state"] == "destroyed"
    assert len(api.get(f"{API}{regime.pk}/copies/").json()) == 2


def test_orders_contracts_and_disclosure(api, head, regime):
    order = api.post(
        f"{API}{regime.pk}/orders/",
        {"number": "1-р", "signed_on": "2026-03-01", "signed_by": head.pk, "use": "лицензия"},
        format="json",
    )
    assert order.status_code == 201
    contract = {
        "use_order": order.json()["id"],
        "counterparty_name": "ООО «Рельсы»",
        "counterparty_inn": "7707083893",
        "counterparty_ogrn": "",
        "number": "Д-1",
        "signed_on": "2026-03-05",
        "registration_number": "РД1",
        "confidentiality": "",
        "scope": "лицензия",
    }
    refused = api.post(f"{API}{regime.pk}/contracts/", contract, format="json")
    assert refused.status_code == 400 and "конфиденциальность" in refused.json()["error"]["message"]
    contract["confidentiality"] = "не раскрывать"
    assert api.post(f"{API}{regime.pk}/contracts/", contract, format="json").status_code == 201
    disclosed = api.post(f"{API}{regime.pk}/disclose/", {"on": "2026-04-01", "details": "статья"}, format="json")
    assert disclosed.status_code == 200
    assert disclosed.json()["expires_on"] == "2026-04-01" and disclosed.json()["end_reason"] == "disclosed"


def test_content_export_for_the_access_list(api, regime):
    response = api.get(f"{API}{regime.pk}/content-export/?file_format=txt")
    assert response.content.decode().startswith("КОММЕРЧЕСКАЯ ТАЙНА")


def test_inventories(api, org_tree, regime):
    created = api.post(
        "/api/v1/trade-secret-inventories/",
        {"organization": org_tree["university"].pk, "year": date.today().year},
        format="json",
    )
    assert created.status_code == 201
    inventory = created.json()
    entry = inventory["entries"][0]["id"]
    url = f"/api/v1/trade-secret-inventories/{inventory['id']}/"
    assert api.post(url + "close/", {"act_number": "1"}, format="json").status_code == 400
    saved = api.post(
        url + f"entries/{entry}/",
        {"creation_place": "Кафедра", "storage_place": "Сейф", "use_place": "", "result": "found"},
        format="json",
    )
    assert saved.status_code == 200
    closed = api.post(url + "close/", {"act_number": "1"}, format="json")
    assert closed.status_code == 200 and closed.json()["changes"]["added"] == [regime.rid.number]
    act = api.get(url + "act/")
    assert Document(io.BytesIO(act.content)).paragraphs[0].text.startswith("КОММЕРЧЕСКАЯ ТАЙНА")
