"""The registry in English (cookie ``django_language=en``): pages, messages and the import report are translated,
while what belongs to a Russian registry stays Russian — the registry file's headers and values, the official
documents, the stored data. Russian is still the default."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ridbook.core.errors import DomainError
from ridbook.notifications.services import preference_save
from ridbook.registry import documents
from ridbook.registry import services as rs
from ridbook.registry.choices import RidKind
from ridbook.registry.io import columns as c
from ridbook.registry.io import export_csv, registry_import
from ridbook.registry.io.report import not_shown
from ridbook.registry.models import Rid
from ridbook.registry.services import rid_create

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def registry_csv(kind: str = "программа для ЭВМ") -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(c.OWN_COLUMNS)
    row = {c.KIND: kind, c.TITLE: "Программа учёта", c.AUTHORS: "Сидоров И. И. (100 %)", c.PUBLISHED: "нет"}
    writer.writerow([row.get(col, "") for col in c.OWN_COLUMNS])
    return SimpleUploadedFile("реестр.csv", text.getvalue().encode("utf-8-sig"))


def test_the_list_and_the_rid_page_in_english(client, officer, draft):
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    listing = page(client, reverse("registry:list"))
    assert "all statuses" in listing and "все статусы" not in listing
    detail = page(client, reverse("registry:detail", args=[draft.pk]))
    assert "Registry number" in detail and "Учётный номер" not in detail
    assert "draft notice" in detail  # a choice label
    authors = page(client, reverse("registry:authors", args=[draft.pk]))
    assert "Share, %" in authors and "Share, %%" not in authors  # a «%» in {% translate %}
    assert "Total of the shares:" in authors


def test_russian_stays_the_default(client, officer, draft):
    client.force_login(officer)
    detail = page(client, reverse("registry:detail", args=[draft.pk]))
    assert "Учётный номер" in detail and "Registry number" not in detail


def test_an_error_message_in_english(officer, org_tree):
    with translation.override("en"), pytest.raises(DomainError) as error:
        rid_create(actor=officer, organization=org_tree["department"], kind="software", title=" ")
    assert error.value.details["fields"]["title"] == "Enter the title of the IP result."


def test_an_english_page_imports_a_russian_file_and_reports_in_english(officer, org_tree):
    with translation.override("en"):
        good = registry_import(registry_csv(), actor=officer, organization=org_tree["university"], dry_run=True)
        bad = registry_import(
            registry_csv("непонятный вид"), actor=officer, organization=org_tree["university"], dry_run=True
        )
        assert "Check without writing" in good.summary()
        [problem] = bad.errors
        assert problem.column_label == "IP result type"  # as the page names it
    assert good.ok and good.rids == 1  # the Russian labels of the file are read whatever the page's language
    assert problem.column == c.KIND  # the file's header, matched in Russian
    assert problem.message.startswith("Unknown IP result type")
    assert "программа для ЭВМ" in problem.message  # what the file may say is Russian


def test_the_registry_file_and_the_documents_stay_russian(officer, draft):
    out = io.StringIO()
    with translation.override("en"):
        export_csv(Rid.objects.filter(pk=draft.pk), out)
        label = documents._label(RidKind, RidKind.SOFTWARE)
    assert c.KIND in out.getvalue() and "изобретение" in out.getvalue()
    assert label == "программа для ЭВМ"


def test_counted_messages_take_the_plural_forms_of_each_language():
    assert [not_shown(n) for n in (1, 3, 5, 21)] == [
        "… и ещё 1 ошибка не показана.",
        "… и ещё 3 ошибки не показаны.",
        "… и ещё 5 ошибок не показаны.",
        "… и ещё 21 ошибка не показана.",
    ]
    with translation.override("en"):
        assert not_shown(1) == "… and 1 more error not shown."
        assert not_shown(5) == "… and 5 more errors not shown."


def test_a_letter_in_english_for_who_chose_english(draft, author, officer, django_capture_on_commit_callbacks):
    preference_save(actor=officer, email_enabled=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        rs.notice_submit(actor=author, rid=draft)
    [letter] = [m for m in mail.outbox if officer.email in m.to]
    assert letter.subject == f'Notice {draft.number} "{draft.title}" submitted'
    assert "Check that it is complete" in letter.body
