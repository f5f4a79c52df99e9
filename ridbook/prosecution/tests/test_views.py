"""The pages: the RID's «Заявки» tab, a new application, events, letters and answers, read-only for others."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ridbook.accounts.roles import Role
from ridbook.prosecution.choices import Stage, TaskState
from ridbook.prosecution.models import Application
from ridbook.prosecution.tests.conftest import days_ago

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_ip_officer_files_and_answers_on_the_pages(officer, decided_rid, test_rules) -> None:
    web = client_of(officer)
    rid_page = web.get(f"/registry/{decided_rid.pk}/").content.decode()
    assert f"/prosecution/rids/{decided_rid.pk}/" in rid_page and "Заявки" in rid_page
    page = web.get(f"/prosecution/rids/{decided_rid.pk}/")
    assert page.status_code == 200 and "Новая заявка" in page.content.decode()

    bad = web.post(f"/prosecution/rids/{decided_rid.pk}/new/", {"office": "foreign", "kind": "invention"})
    assert bad.status_code == 400 and not Application.objects.exists()

    made = web.post(
        f"/prosecution/rids/{decided_rid.pk}/new/",
        {
            "office": "RU",
            "kind": "invention",
            "number": "2026100200",
            "filed_on": days_ago(30).isoformat(),
            "signatory": officer.pk,
            "responsible": officer.pk,
        },
    )
    application = Application.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/prosecution/applications/{application.pk}/"
    url = f"/prosecution/applications/{application.pk}/"
    upload = SimpleUploadedFile("zapros.txt", "запрос".encode(), content_type="text/plain")
    web.post(
        f"{url}do/letter/",
        {"kind": "request", "received_on": days_ago(5).isoformat(), "term": days_ago(-80).isoformat(), "file": upload},
    )
    letter = application.letters.get()
    detail = web.get(url).content.decode()
    assert days_ago(-80).strftime("%d.%m.%Y") in detail and "не сверено с официальным текстом" in detail
    assert web.get(f"{url}files/letter/{letter.pk}/").status_code == 200

    refused = web.post(f"{url}do/event/", {"code": "granted", "on": days_ago(1).isoformat()})
    assert refused.status_code == 400  # not even offered on the stage «заявка подана»
    web.post(f"{url}do/answer/", {"letter": letter.pk, "sent_on": days_ago(1).isoformat()})
    assert application.tasks.get(rule_code="answer_office_request").state == TaskState.DONE
    web.post(f"{url}do/event/", {"code": "substantive_exam_requested", "on": days_ago(1).isoformat()})
    application.refresh_from_db()
    assert application.stage == Stage.SUBSTANTIVE_EXAMINATION


def test_others_see_the_application_read_only(personas, officer, decided_rid, test_rules) -> None:
    from ridbook.prosecution import services

    application = services.application_create(
        actor=officer, rid=decided_rid, office="RU", signatory=officer, filed_on=days_ago(3)
    )
    auditor = client_of(personas[Role.AUDITOR])
    page = auditor.get(f"/prosecution/applications/{application.pk}/").content.decode()
    assert "заявка подана" in page and "Записать событие" not in page
    denied = auditor.post(f"/prosecution/applications/{application.pk}/do/event/", {"code": "withdrawn", "on": "x"})
    assert denied.status_code in (400, 403)
    assert auditor.get(f"/prosecution/rids/{decided_rid.pk}/").status_code == 200
    assert "Новая заявка" not in auditor.get(f"/prosecution/rids/{decided_rid.pk}/").content.decode()
    # the author of another RID does not see this one
    assert client_of(personas[Role.AUTHOR]).get(f"/prosecution/applications/{application.pk}/").status_code == 404


def test_the_data_of_an_application_is_edited_not_its_stage(officer, decided_rid, test_rules) -> None:
    from ridbook.prosecution import services

    application = services.application_create(
        actor=officer, rid=decided_rid, office="RU", signatory=officer, filed_on=days_ago(3)
    )
    web = client_of(officer)
    url = f"/prosecution/applications/{application.pk}/"
    assert "Изменить сведения" in web.get(url).content.decode()
    data = {"kind": "invention", "number": "2026100999", "signatory": officer.pk, "responsible": officer.pk}
    assert web.post(f"{url}do/edit/", {**data, "stage": "granted"}).status_code == 302
    application.refresh_from_db()
    assert application.number == "2026100999" and application.stage == Stage.FILED
    refused = web.post(f"{url}do/edit/", {**data, "kind": "utility_model"})
    assert refused.status_code == 400 and "только до подачи" in refused.content.decode()


def test_the_pages_in_english(officer, decided_rid, test_rules) -> None:
    from django.conf import settings

    from ridbook.prosecution import services

    application = services.application_create(
        actor=officer, rid=decided_rid, office="RU", signatory=officer, filed_on=days_ago(3)
    )
    web = client_of(officer)
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = web.get(f"/prosecution/applications/{application.pk}/").content.decode()
    assert "Correspondence with the office" in page and "Record the event" in page and "filed" in page
    refused = web.post(f"/prosecution/applications/{application.pk}/do/letter/", {"kind": "notification"})
    assert refused.status_code == 400
