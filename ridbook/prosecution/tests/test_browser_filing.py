"""Real browser (Debian's chromium via Playwright): the IP officer files an application, records an office request
with its term, finds the task on his home page, records the answer (the task is done) and the grant.

The organization's own docket rules (its policy; ru-default's where it is silent) are used; the oracle is the
letter's term. Set RIDBOOK_SCREENSHOTS=<dir> to keep a screenshot of the application's page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.prosecution.choices import Stage
from ridbook.prosecution.models import Application
from ridbook.prosecution.tests.conftest import with_filing_packet
from ridbook.registry.choices import RidStatus
from ridbook.registry.models import Rid
from ridbook.registry.tests.test_browser_notice import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filing_request_answer_and_grant(page, live_server, personas, org_tree):
    officer = personas[Role.IP_OFFICER]
    today = timezone.localdate()
    rid = Rid.objects.create(
        number="РИД-2026-00901",
        kind="invention",
        title="Способ контроля износа рельсов",
        organization=org_tree["department"],
        status=RidStatus.FILING,
        protection_form="invention",
        decided_on=today - timedelta(days=120),
    )
    with_filing_packet(rid)
    filed_on, received, term = today - timedelta(days=100), today - timedelta(days=7), today + timedelta(days=83)
    base = live_server.url

    login(page, base, officer.username)
    page.goto(f"{base}/registry/{rid.pk}/")
    page.click("a[data-tab=applications]")
    page.wait_for_selector("[data-testid=no-applications]")

    # the filing
    page.select_option("#id_office", "RU")
    page.select_option("#id_kind", "invention")
    page.fill("#id_number", "2026100300")
    page.fill("#id_filed_on", filed_on.isoformat())
    page.select_option("#id_signatory", str(officer.pk))
    page.select_option("#id_responsible", str(officer.pk))
    page.fill("#id_attorney_name", "Петров Пётр Петрович")
    page.click("[data-testid=application-form] button[type=submit]")
    page.wait_for_selector(f"[data-testid=application-stage]:has-text('{Stage.FILED.label}')")
    application = Application.objects.get()

    # an office request with its own term
    form = page.locator("[data-testid=letter-form]")
    form.locator("#id_kind").select_option("request")
    form.locator("#id_number").fill("З-2026-17")
    form.locator("#id_received_on").fill(received.isoformat())
    form.locator("#id_term").fill(term.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"[data-testid=letter-due]:has-text('{term:%d.%m.%Y}')")
    row = page.locator("[data-testid=task][data-state=open]", has_text=f"{term:%d.%m.%Y}")
    row.wait_for()
    screenshot(page, "application")

    # the task is on his home page
    page.goto(f"{base}/")
    home = page.locator("tr", has_text="Заявка 2026100300").filter(has_text=f"{term:%d.%m.%Y}")
    home.wait_for()
    home.locator("a").first.click()
    page.wait_for_selector("[data-testid=application-title]:has-text('2026100300')")

    # the answer: the task is done
    page.click("[data-testid=answer] summary")
    page.fill("[data-testid=answer] #id_sent_on", today.isoformat())
    page.fill("[data-testid=answer] #id_number", "И-501")
    page.click("[data-testid=answer] button[type=submit]")
    page.wait_for_selector("[data-testid=letter-answer]:has-text('И-501')")
    assert page.locator("[data-testid=task][data-state=open]", has_text=f"{term:%d.%m.%Y}").count() == 0
    page.goto(f"{base}/")
    page.wait_for_selector("h1:has-text('Мои задачи и сроки')")
    assert page.locator("tr", has_text="Заявка 2026100300").filter(has_text=f"{term:%d.%m.%Y}").count() == 0

    # the examination, the decision and the grant
    page.goto(f"{base}/prosecution/applications/{application.pk}/")
    for code, stage in (
        ("substantive_exam_requested", Stage.SUBSTANTIVE_EXAMINATION),
        ("decision_to_grant", Stage.DECISION_GRANT),
        ("granted", Stage.GRANTED),
    ):
        form = page.locator("[data-testid=event-form]")
        form.locator("#id_code").select_option(code)
        form.locator("#id_on").fill(today.isoformat())
        form.locator("button[type=submit]").click()
        page.wait_for_selector(f"[data-testid=application-stage]:has-text('{stage.label}')")
    application.refresh_from_db()
    assert application.stage == Stage.GRANTED

    # the patent goes into the register of protection documents, from the application: its term and fees follow
    page.click("[data-testid=new-document]")
    page.wait_for_selector("[data-testid=from-application]")
    assert page.input_value("#id_application_number") == "2026100300"
    page.fill("#id_number", "2799999")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector("[data-testid=document-title]")
    filing = application.filing_date
    expected_end = filing.replace(year=filing.year + 20) if not (filing.month == 2 and filing.day == 29) else None
    if expected_end is not None:
        assert f"{expected_end:%d.%m.%Y}" in page.inner_text("[data-testid=expires-on]")
    assert page.locator("[data-testid=fee-row]").count() >= 18  # a fee for each year of the term that is paid
    page.goto(f"{base}/prosecution/applications/{application.pk}/")
    page.wait_for_selector("[data-testid=granted] a:has-text('2799999')")  # linked both ways, no second document
