"""The API: an application filed, a request with its term answered, an extension, a refused event, tasks."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from ridbook.accounts.roles import Role
from ridbook.prosecution.choices import TaskState
from ridbook.prosecution.models import Application
from ridbook.prosecution.tests.conftest import days_ago
from ridbook.workdays.calendar import add_months

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_life_of_an_application_through_the_api(personas, officer, decided_rid, test_rules) -> None:
    api = client_of(officer)
    created = api.post(
        "/api/v1/applications/",
        {
            "rid": decided_rid.pk,
            "office": "RU",
            "signatory": officer.pk,
            "number": "2026100100",
            "filed_on": days_ago(50).isoformat(),
            "priorities": [{"kind": "exhibition", "number": "Выставка «Иннопром»", "date": days_ago(80).isoformat()}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage"] == "filed" and body["kind"] == "invention" and body["filing_date"] == days_ago(50).isoformat()
    assert body["priorities"][0]["kind_label"] == "выставочный приоритет"
    pk = body["id"]

    term = add_months(days_ago(10), 3)
    letter = api.post(
        f"/api/v1/applications/{pk}/letters/",
        {"kind": "request", "number": "З-5", "received_on": days_ago(10).isoformat(), "term": term.isoformat()},
        format="json",
    )
    assert letter.status_code == 201, letter.content
    letter_id = letter.json()["id"]
    tasks = api.get(f"/api/v1/applications/{pk}/tasks/").json()
    request_task = next(t for t in tasks if t["rule_code"] == "answer_office_request")
    assert request_task["due"] == term.isoformat() and request_task["state"] == "open"
    assert "не сверено с официальным текстом" in request_task["rule_text"]

    later = add_months(days_ago(10), 4)
    extended = api.post(
        f"/api/v1/applications/{pk}/letters/{letter_id}/extend/", {"until": later.isoformat()}, format="json"
    )
    assert extended.status_code == 200 and extended.json()["due"] == later.isoformat()
    mine = api.get("/api/v1/docket-tasks/", {"state": "open", "mine": "yes"}).json()
    assert later.isoformat() in [t["due"] for t in mine["results"]]

    answered = api.post(
        f"/api/v1/applications/{pk}/letters/{letter_id}/answer/", {"sent_on": days_ago(1).isoformat()}, format="json"
    )
    assert answered.status_code == 201
    task = api.get(f"/api/v1/docket-tasks/{request_task['id']}/").json()
    assert task["state"] == TaskState.DONE

    refused = api.post(
        f"/api/v1/applications/{pk}/events/", {"code": "granted", "on": days_ago(1).isoformat()}, format="json"
    )
    assert refused.status_code == 400
    assert "невозможно на стадии" in refused.json()["error"]["message"]
    for code in ("substantive_exam_requested", "decision_to_grant", "granted"):
        recorded = api.post(
            f"/api/v1/applications/{pk}/events/", {"code": code, "on": days_ago(0).isoformat()}, format="json"
        )
        assert recorded.status_code == 201, recorded.content
    assert api.get(f"/api/v1/applications/{pk}/").json()["stage_label"] == "патент выдан"
    assert [e["code"] for e in api.get(f"/api/v1/applications/{pk}/events/").json()][-1] == "granted"


def test_others_read_but_only_the_ip_department_writes(personas, officer, decided_rid, test_rules) -> None:
    application = client_of(officer).post(
        "/api/v1/applications/", {"rid": decided_rid.pk, "office": "RU", "signatory": officer.pk}, format="json"
    )
    pk = application.json()["id"]
    auditor = client_of(personas[Role.AUDITOR])
    assert auditor.get(f"/api/v1/applications/{pk}/").status_code == 200
    denied = auditor.post(f"/api/v1/applications/{pk}/events/", {"code": "filed", "on": "2026-01-10"}, format="json")
    assert denied.status_code == 403
    author = client_of(personas[Role.AUTHOR])
    refused = author.post(
        "/api/v1/applications/", {"rid": decided_rid.pk, "office": "RU", "signatory": officer.pk}, format="json"
    )
    assert refused.status_code in (400, 403)  # the author does not even see this RID (not his)
    assert Application.objects.count() == 1


def test_reassign_a_task(personas, officer, decided_rid, org_tree, test_rules) -> None:
    from ridbook.testing.factories import persona

    colleague = persona(Role.IP_OFFICER, org_tree["department"], username="dept-officer")
    api = client_of(officer)
    pk = api.post(
        "/api/v1/applications/",
        {"rid": decided_rid.pk, "office": "RU", "signatory": officer.pk, "filed_on": days_ago(5).isoformat()},
        format="json",
    ).json()["id"]
    task = api.get(f"/api/v1/applications/{pk}/tasks/").json()[0]
    moved = api.post(f"/api/v1/docket-tasks/{task['id']}/reassign/", {"owner": colleague.pk}, format="json")
    assert moved.status_code == 200 and moved.json()["owner"] == colleague.pk
    assert client_of(colleague).get("/api/v1/docket-tasks/", {"mine": "yes"}).json()["count"] == 1
