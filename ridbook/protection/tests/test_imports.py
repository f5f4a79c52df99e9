"""Registrations already granted (the FIPS open registry): a RID with its protection document, never a commission
queue item; every row of the official sample lands, the odd ones flagged for review; old imports fixed by the data
migration."""

from __future__ import annotations

from datetime import date
from importlib import import_module

from django.apps import apps
from django.urls import reverse

from ridbook.commission import services as cs
from ridbook.commission.selectors import queue
from ridbook.protection.choices import DocumentStatus
from ridbook.protection.models import ProtectionDocument
from ridbook.registry.choices import RidStatus
from ridbook.registry.deadlines import rid_deadlines
from ridbook.registry.io.importer import registry_import
from ridbook.registry.models import Rid

FIPS_SAMPLE = "/work/shared/data/fips/evm-registry-sample.csv"
FLAGGED = 17


def test_every_row_of_the_sample_lands_and_the_odd_ones_are_flagged(client, officer, org_tree):
    report = registry_import(FIPS_SAMPLE, actor=officer, organization=org_tree["university"])

    assert report.written and report.bad_rows == 0 and Rid.objects.count() == report.rows == 885
    flagged = Rid.objects.filter(needs_review=True)
    assert flagged.count() == FLAGGED
    reasons = [reason for rid in flagged for reason in rid.review_reasons]
    assert any("В файле нет наименования" in r for r in reasons)
    assert any("«R.E.A. (RU)»" in r for r in reasons)  # initials only
    assert any("«КГБ (RU)»" in r for r in reasons)  # one word
    assert any("указан в строке дважды" in r for r in reasons)
    untitled = flagged.filter(title__startswith="Без наименования").first()
    assert untitled is not None and untitled.state_registration_number in untitled.title

    client.force_login(officer)
    listed = client.get(reverse("registry:list"), {"flags": "needs_review"}).content.decode()
    assert "Найдено РИД: 17" in listed and 'data-testid="needs-review"' in listed
    assert 'data-testid="document-status">действует<' in listed  # the document's status in the list


def test_an_imported_registration_is_a_document_and_not_a_queue_item(officer, secretary, org_tree):
    registry_import(FIPS_SAMPLE, actor=officer, organization=org_tree["university"])
    commission = cs.commission_create(
        actor=secretary, organization=org_tree["university"], order_number="1", order_date=date(2026, 1, 15)
    )
    rid = Rid.objects.get(state_registration_number="940274")
    document = rid.protection_documents.get()

    assert rid.status == RidStatus.PROTECTED
    assert (document.kind, document.number, document.granted_on) == ("software", "940274", date(1994, 7, 11))
    assert document.status == DocumentStatus.IN_FORCE
    assert list(document.holders.values_list("name", "share")) == [
        ('Общество с ограниченной ответственностью "Фирма ПИЛОТ"', 100)
    ]
    assert not queue(commission).exists()  # not one of the 885 waits for the commission
    assert list(rid_deadlines(rid)) == []  # and no decision deadline decades overdue
    assert ProtectionDocument.objects.count() == 885
    assert not ProtectionDocument.objects.exclude(status=DocumentStatus.IN_FORCE).exists()  # all «actual = true»


def test_a_registration_no_longer_in_force_per_the_file_is_imported_so():
    from ridbook.protection.imports import imported_status

    today = date(2026, 11, 30)
    assert imported_status("invention", True, date(2040, 4, 1), today) == DocumentStatus.IN_FORCE
    assert imported_status("invention", False, date(2040, 4, 1), today) == DocumentStatus.LAPSED
    assert imported_status("invention", True, date(2020, 4, 1), today) == DocumentStatus.EXPIRED
    assert imported_status("software", False, None, today) == DocumentStatus.EXPIRED


def test_the_data_migration_fixes_an_old_import(officer, secretary, org_tree):
    old = Rid.objects.create(
        number="РИД-2025-00001",
        kind="software",
        title="«ПРОФИ-Т»",
        organization=org_tree["university"],
        status=RidStatus.ACCEPTED,
        state_registration_number="940274",
        accepted_on=date(1994, 7, 11),
        publication_sources=(
            "Свидетельство о государственной регистрации программы для ЭВМ № 940274 от 11.07.1994 (заявка № 940178). "
            'Правообладатели: Общество с ограниченной ответственностью "Фирма ПИЛОТ"; ООО «Второй». '
            "http://www1.fips.ru/fips_servl/fips_servlet?DB=EVM&DocNumber=940274"
        ),
    )
    notice = Rid.objects.create(
        number="РИД-2025-00002",
        kind="software",
        title="Своя программа",
        organization=org_tree["university"],
        status=RidStatus.ACCEPTED,
    )
    commission = cs.commission_create(
        actor=secretary, organization=org_tree["university"], order_number="1", order_date=date(2026, 1, 15)
    )
    assert set(queue(commission)) == {old, notice}

    import_module("ridbook.protection.migrations.0002_imported_registrations").forward(apps, None)
    import_module("ridbook.protection.migrations.0002_imported_registrations").forward(apps, None)  # idempotent

    old.refresh_from_db()
    assert old.status == RidStatus.PROTECTED and list(queue(commission)) == [notice]
    document = old.protection_documents.get()
    assert (document.number, document.application_number, document.status) == ("940274", "940178", "in_force")
    assert [h.name for h in document.holders.all()] == [
        'Общество с ограниченной ответственностью "Фирма ПИЛОТ"',
        "ООО «Второй»",
    ]
