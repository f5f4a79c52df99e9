"""The API of protection documents: expiry (null with the reason when not determinable), payments, permissions."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from rest_framework.test import APIClient

from ridbook.accounts.roles import Role
from ridbook.protection import services
from ridbook.protection.models import FeePayment

from .conftest import YEAR_FEE, decided_rid


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_software_without_a_death_date_has_no_expiry_but_a_note(officer, org_tree):
    rid = decided_rid(officer, org_tree, kind="software", title="Программа учёта")
    document = services.document_create(
        actor=officer,
        rid=rid,
        kind="software",
        number="2024610001",
        filing_date=date(2024, 1, 10),
        granted_on=date(2024, 2, 1),
    )
    body = _api(officer).get(reverse("api:protection-document-detail", args=[document.pk])).json()
    assert body["expires_on"] is None and body["latest_possible"] is None
    assert body["expiry_note"].startswith("не определяется")

    person = rid.authorships.get().person
    person.death_date = date(2030, 5, 6)
    person.save()
    body = _api(officer).get(reverse("api:protection-document-detail", args=[document.pk])).json()
    assert body["expires_on"] == "2100-12-31"  # 70 years from 1 January after the death (art. 1281)


def test_a_document_is_created_and_paid_through_the_api(officer, org_tree, rates):
    rid = decided_rid(officer, org_tree)
    api = _api(officer)
    created = api.post(
        reverse("api:protection-document-list"),
        {
            "rid": rid.pk,
            "kind": "invention",
            "number": "2800001",
            "filing_date": "2020-01-15",
            "granted_on": "2021-03-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["expires_on"] == "2040-01-15" and body["holders"][0]["share"] == "100.00"
    schedule = api.get(reverse("api:protection-document-schedule", args=[body["id"]])).json()
    due = schedule[0]
    refused = api.post(
        reverse("api:fee-payment-list"),
        {"due": due["id"], "paid_on": "2022-03-01", "amount": str(YEAR_FEE), "order_number": "7"},
        format="json",
    )
    assert refused.status_code == 400 and "доплата" in refused.json()["error"]["message"]
    paid = api.post(
        reverse("api:fee-payment-list"),
        {"due": due["id"], "paid_on": due["due_on"], "amount": str(YEAR_FEE), "order_number": "7"},
        format="json",
    )
    assert paid.status_code == 201, paid.content
    assert FeePayment.objects.get().order_number == "7"


def test_others_may_not_pay_and_authors_do_not_see_others_documents(personas, invention):
    due = invention.fees.first()
    payload = {"due": due.pk, "paid_on": str(due.due_on), "amount": str(YEAR_FEE), "order_number": "1"}
    assert (
        _api(personas[Role.COMMISSION_SECRETARY])
        .post(reverse("api:fee-payment-list"), payload, format="json")
        .status_code
        == 403
    )
    author = _api(personas[Role.AUTHOR])
    assert author.get(reverse("api:protection-document-detail", args=[invention.pk])).status_code == 404
    assert author.post(reverse("api:fee-payment-list"), payload, format="json").status_code == 400  # not visible
    assert not FeePayment.objects.exists()


def test_fee_rates_are_added_with_their_source(officer, org_tree):
    api = _api(officer)
    row = {
        "organization": org_tree["university"].pk,
        "kind": "utility_model",
        "basis": "year",
        "first": 1,
        "last": 10,
        "amount": "850.00",
        "valid_from": "2025-01-01",
        "source": "",
    }
    assert api.post(reverse("api:fee-rate-list"), row, format="json").status_code == 400
    row["source"] = "приказ о пошлинах, тестовая строка"
    assert api.post(reverse("api:fee-rate-list"), row, format="json").status_code == 201
    assert api.get(reverse("api:fee-rate-list")).json()["results"][0]["source"] == row["source"]
