"""The IP department records an author's date of death on the person's page: the program's term becomes known."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.protection import services

from .conftest import decided_rid


def test_the_death_date_entered_on_the_page_makes_the_term_known(client, officer, personas, org_tree):
    rid = decided_rid(officer, org_tree, kind="software", title="Программа учёта")
    document = services.document_create(
        actor=officer, rid=rid, kind="software", number="2024610002", filing_date=date(2024, 1, 10)
    )
    person = rid.authorships.get().person
    client.force_login(officer)
    page = client.get(f"/protection/{document.pk}/").content.decode()
    assert "не определяется" in page
    assert 'data-testid="death-date"' in client.get(f"/registry/people/{person.pk}/").content.decode()
    future = timezone.localdate() + timedelta(days=3)
    response = client.post(f"/registry/people/{person.pk}/death-date/", {"death_date": future.isoformat()}, follow=True)
    assert "Дата смерти не может быть в будущем" in response.content.decode()
    client.post(f"/registry/people/{person.pk}/death-date/", {"death_date": "2020-05-06"})
    person.refresh_from_db()
    assert person.death_date == date(2020, 5, 6)
    assert "31.12.2090" in client.get(f"/protection/{document.pk}/").content.decode()  # art. 1281: +70 from 1 January

    # an author does not record it (and does not see the form)
    author = personas[Role.AUTHOR]
    client.force_login(author)
    assert client.post(f"/registry/people/{person.pk}/death-date/", {"death_date": ""}).status_code in (403, 404)
    person.refresh_from_db()
    assert person.death_date == date(2020, 5, 6)
