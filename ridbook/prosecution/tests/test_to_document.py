"""A granted application becomes the protection document: its data carried over, the two linked, nothing of
another RID."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ridbook.prosecution import services
from ridbook.prosecution.tests.conftest import days_ago, with_filing_packet
from ridbook.registry.models import Rid

pytestmark = pytest.mark.django_db


def _granted(officer: Any, rid: Rid) -> Any:
    application = services.application_create(
        actor=officer, rid=rid, office="RU", signatory=officer, number="2026100777", filed_on=days_ago(400)
    )
    for code in ("substantive_exam_requested", "decision_to_grant", "granted"):
        services.event_record(actor=officer, application=application, code=code, on=timezone.localdate())
    return application


def test_the_document_starts_from_the_granted_application(client, officer, decided_rid):
    application = _granted(officer, decided_rid)
    initial = services.document_initial(application)
    assert initial["application_number"] == "2026100777" and initial["filing_date"] == days_ago(400)
    assert initial["granted_on"] == timezone.localdate() and initial["kind"] == "invention"
    client.force_login(officer)
    page = client.get(f"/prosecution/applications/{application.pk}/").content.decode()
    assert 'data-testid="new-document"' in page
    form = client.get(f"/protection/new/{decided_rid.pk}/?application={application.pk}").content.decode()
    assert 'value="2026100777"' in form and 'name="application"' in form
    response = client.post(
        f"/protection/new/{decided_rid.pk}/",
        {
            "application": application.pk,
            "kind": "invention",
            "number": "2800001",
            "application_number": "2026100777",
            "filing_date": days_ago(400).isoformat(),
            "country": "RU",
            "office": "Роспатент",
        },
    )
    assert response.status_code == 302
    document = decided_rid.protection_documents.get()
    assert document.application_ref == f"prosecution.application:{application.pk}"
    page = client.get(f"/prosecution/applications/{application.pk}/").content.decode()
    assert "2800001" in page and 'data-testid="new-document"' not in page


def test_an_application_of_another_rid_is_not_found(client, officer, decided_rid, org_tree):
    other = Rid.objects.create(
        number="РИД-2026-00078",
        kind="invention",
        title="Другой",
        organization=org_tree["department"],
        status="filing",
        protection_form="invention",
    )
    with_filing_packet(other)
    application = _granted(officer, other)
    client.force_login(officer)
    assert client.get(f"/protection/new/{decided_rid.pk}/?application={application.pk}").status_code == 404
    assert client.get(f"/protection/new/{decided_rid.pk}/?application=x").status_code == 404
