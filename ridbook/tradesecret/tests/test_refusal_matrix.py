"""The refusal matrix: every role not on the access list (and a superuser) × every path that shows a RID's content —
pages, API, search, export, documents, change log, admin, letters. None of them ever gets a word of the content; the
refused attempts of the content paths are journaled (once per request); the listed keeper gets the content, journaled."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ridbook.accounts.roles import Role
from ridbook.testing.factories import UserFactory
from ridbook.tradesecret.models import JournalEntry
from ridbook.tradesecret.tests.conftest import SECRET

pytestmark = pytest.mark.django_db

NEEDLES = ("аэрогельного", "Фторопласт", "Фильтрация агрессивных", "reglament-membrana")
UNLISTED = [r for r in Role if r != Role.IP_HEAD]


def _text(response) -> str:
    """A response's text, a DOCX/XLSX opened (every part of the zip), a streamed body joined."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return body.decode("utf-8", "replace")


def _clean(response, path: str) -> None:
    text = _text(response)
    for needle in NEEDLES:
        assert needle not in text, f"{path}: the content leaked ({needle})"


def _paths(secret) -> dict[str, tuple[str, bool]]:
    """path name → (URL, is it a content path whose refusal is journaled)."""
    rid, doc = secret.rid, secret.document
    return {
        "page:summary": (reverse("registry:detail", args=[rid.pk]), True),
        "page:authors": (reverse("registry:tab", args=[rid.pk, "authors"]), True),
        "page:documents": (reverse("registry:tab", args=[rid.pk, "documents"]), True),
        "page:edit": (reverse("registry:edit", args=[rid.pk]), True),
        "page:content": (reverse("tradesecret:content", args=[rid.pk]), True),
        "page:content-txt": (reverse("tradesecret:content_text", args=[rid.pk]), True),
        "page:content-print": (reverse("tradesecret:content_print", args=[rid.pk]), True),
        "page:file": (reverse("registry:packet_file", args=[rid.pk, doc.pk]), True),
        "page:regime": (reverse("tradesecret:regime", args=[rid.pk]), False),
        "page:content-export-txt": (reverse("tradesecret:content_export", args=[secret.regime.pk, "txt"]), True),
        "page:content-export-xlsx": (reverse("tradesecret:content_export", args=[secret.regime.pk, "xlsx"]), True),
        "page:register": (reverse("tradesecret:register"), False),
        "page:register-xlsx": (reverse("tradesecret:register_export"), False),
        "page:keeping": (reverse("tradesecret:keeping", args=[secret.regime.pk]), False),
        "document:notice": (reverse("registry:document", args=[rid.pk, "notice"]), True),
        "search:page": (reverse("registry:list") + "?q=аэрогель", False),
        "search:page-title": (reverse("registry:list") + "?q=мембрана", False),
        "export:csv": (reverse("registry:export") + "?format=csv", False),
        "export:xlsx": (reverse("registry:export") + "?format=xlsx", False),
        "api:detail": (f"/api/v1/rids/{rid.pk}/", True),
        "api:list": ("/api/v1/rids/?q=мембрана", False),
        "api:search": ("/api/v1/rids/?q=аэрогель", False),
        "api:export": ("/api/v1/rids/export/?file_format=xlsx", False),
        "api:document": (f"/api/v1/rids/{rid.pk}/documents/notice/", True),
        "api:content": (f"/api/v1/trade-secrets/rids/{rid.pk}/content/", True),
        "api:regime": (f"/api/v1/trade-secrets/rids/{rid.pk}/", False),
        "api:content-export": (f"/api/v1/trade-secrets/{secret.regime.pk}/content-export/?file_format=txt", True),
        "api:register": ("/api/v1/trade-secrets/", False),
        "audit:page": (reverse("web:audit"), False),
        "audit:api": ("/api/v1/audit/", False),
        "audit:rid-history": (reverse("registry:tab", args=[rid.pk, "history"]), False),
        "audit:export": (reverse("web:audit_export") + "?file_format=xlsx", False),
        "audit:api-export": ("/api/v1/audit/export/?file_format=csv", False),
        "journal:page": (reverse("tradesecret:journal"), False),
        "journal:api": ("/api/v1/trade-secrets/journal/", False),
    }


@pytest.mark.parametrize("role", UNLISTED, ids=[r.value for r in UNLISTED])
def test_no_role_off_the_list_reads_the_content(secret, role):
    user = secret.users[role]
    client = Client()
    client.force_login(user)
    for name, (url, journaled) in _paths(secret).items():
        before = JournalEntry.objects.filter(user_id_value=user.pk, granted=False).count()
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (name, response.status_code)
        _clean(response, name)
        refused = JournalEntry.objects.filter(user_id_value=user.pk, granted=False).count() - before
        if response.status_code == 200 and name == "api:detail":
            data = response.json()
            assert data["content_restricted"] is True
            assert data["abstract"] is None and data["purpose"] is None and data["keywords"] is None
            assert all(a["contribution"] is None for a in data["authors"])
        gate = name != "page:edit"  # the notice form's 403 is the editor's rule, before the regime is asked
        if journaled and (response.status_code == 200 or (gate and response.status_code == 403)):
            assert refused == 1, f"{name}: {refused} refusals journaled for {role}"
        if response.status_code == 404:  # a role that does not see the RID at all: nothing to journal
            assert refused == 0
    for letter in mail.outbox:
        assert SECRET not in letter.body


def test_a_superuser_is_refused_too_and_the_admin_shows_no_content(secret):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    for name, (url, journaled) in _paths(secret).items():
        response = client.get(url)
        _clean(response, name)
        if journaled:
            assert response.status_code in (200, 403), name
    assert client.get(reverse("tradesecret:content", args=[secret.rid.pk])).status_code == 403
    for url in ("/admin/", "/admin/commission/agendaitem/", "/admin/commission/agendaitem/add/"):
        response = client.get(url)
        assert response.status_code == 200, url
        _clean(response, url)
    assert JournalEntry.objects.filter(user_id_value=admin.pk, granted=True).count() == 0


def test_the_keeper_reads_every_content_path_and_each_is_journaled(secret):
    client = Client()
    client.force_login(secret.keeper)
    content = client.get(reverse("tradesecret:content", args=[secret.rid.pk]))
    assert content.status_code == 200 and SECRET in content.content.decode()
    assert "no-store" in content["Cache-Control"]
    assert "КОММЕРЧЕСКАЯ ТАЙНА" in content.content.decode()
    text = client.get(reverse("tradesecret:content_text", args=[secret.rid.pk])).content.decode()
    assert text.splitlines()[0].startswith("КОММЕРЧЕСКАЯ ТАЙНА. Обладатель:")
    assert SECRET in text
    file = client.get(reverse("registry:packet_file", args=[secret.rid.pk, secret.document.pk]))
    assert file.status_code == 200 and SECRET.encode() in file.content
    assert "no-store" in file["Cache-Control"]
    api = client.get(f"/api/v1/rids/{secret.rid.pk}/").json()
    assert api["content_restricted"] is False and SECRET in api["abstract"]
    assert api["authors"][0]["contribution"] == f"Предложил {SECRET}"
    assert api["trade_secret_marking"].startswith("КОММЕРЧЕСКАЯ ТАЙНА")
    page = client.get(reverse("registry:detail", args=[secret.rid.pk])).content.decode()
    assert 'data-testid="open-content"' in page and 'data-testid="marking"' in page
    granted = JournalEntry.objects.filter(user_id_value=secret.keeper.pk, granted=True)
    assert sorted(granted.values_list("action", "channel")) == sorted(
        [("view", "page"), ("export", "export"), ("download", "page"), ("view", "api")]
    )


def test_the_journal_page_shows_who_and_what_never_the_content(secret):
    reader = Client()
    reader.force_login(secret.users[Role.IP_OFFICER])
    reader.get(reverse("tradesecret:content", args=[secret.rid.pk]))  # refused, journaled
    auditor = Client()
    auditor.force_login(secret.users[Role.AUDITOR])
    page = auditor.get(reverse("tradesecret:journal"))
    assert page.status_code == 200
    _clean(page, "journal")
    assert "отказано" in page.content.decode()
    api = auditor.get("/api/v1/trade-secrets/journal/?granted=false").json()
    assert api["count"] == len(api["results"]) > 0 and all(not e["granted"] for e in api["results"])
    author = Client()
    author.force_login(secret.users[Role.AUTHOR])
    assert author.get(reverse("tradesecret:journal")).status_code == 403
    assert author.get("/api/v1/trade-secrets/journal/").status_code == 403


def test_the_matrix_is_live_an_ip_officer_reaches_each_path(secret, personas, org_tree):
    """The IP officer sees the RID: the content paths answer him (200 with the register fields, or 403), so the
    matrix above checks real pages; and the same paths of an ordinary RID do show its content (the needles work)."""
    from ridbook.tradesecret.tests.conftest import make_rid

    client = Client()
    client.force_login(secret.users[Role.IP_OFFICER])
    statuses = {name: client.get(url).status_code for name, (url, _j) in _paths(secret).items()}
    assert statuses["page:summary"] == statuses["api:detail"] == statuses["document:notice"] == 200
    assert statuses["page:content"] == statuses["page:file"] == statuses["api:content"] == 403
    assert statuses["audit:page"] == statuses["export:xlsx"] == 200
    plain, _doc = make_rid(personas, org_tree["university"])
    assert "аэрогельного" in client.get(reverse("registry:detail", args=[plain.pk])).content.decode()
    assert "аэрогельного" in _text(client.get(reverse("web:audit")))
    assert "аэрогельного" in _text(client.get(reverse("web:audit_export") + "?file_format=xlsx"))


def test_printing_is_journaled_granted_and_refused(secret, personas):
    keeper = Client()
    keeper.force_login(secret.keeper)
    printed = keeper.get(reverse("tradesecret:content_print", args=[secret.rid.pk]))
    assert printed.status_code == 200 and SECRET in printed.content.decode()
    assert printed.content.decode().index("КОММЕРЧЕСКАЯ ТАЙНА") < printed.content.decode().index(SECRET)
    assert keeper.post(reverse("tradesecret:content_printed", args=[secret.rid.pk])).status_code == 204
    channels = JournalEntry.objects.filter(user_id_value=secret.keeper.pk, action="print", granted=True)
    assert sorted(channels.values_list("channel", flat=True)) == ["page.print", "print"]
    other = Client()
    other.force_login(personas[Role.IP_OFFICER])
    assert other.post(reverse("tradesecret:content_printed", args=[secret.rid.pk])).status_code == 403
    refused = JournalEntry.objects.filter(user_id_value=personas[Role.IP_OFFICER].pk, action="print", granted=False)
    assert refused.count() == 1


def test_the_rids_documents_carry_the_full_marking(secret):
    from docx import Document

    keeper = Client()
    keeper.force_login(secret.keeper)
    response = keeper.get(reverse("registry:document", args=[secret.rid.pk, "notice"]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    first = document.paragraphs[0].text
    assert first.startswith("КОММЕРЧЕСКАЯ ТАЙНА. Обладатель:") and "Томск, пр. Ленина, 30" in first
    assert all("КОММЕРЧЕСКАЯ ТАЙНА" in s.header.paragraphs[0].text for s in document.sections)
    body = "\n".join(p.text for p in document.paragraphs)
    assert body.count("КОММЕРЧЕСКАЯ ТАЙНА") == 1  # the template's short mark gave way to the full one
    _clean(response, "document:notice (listed)")  # the notice is made of the register fields: no content
