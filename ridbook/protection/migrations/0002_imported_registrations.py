"""Registrations imported before this app (the FIPS open registry, ``registry.io``) were left as RIDs accepted for the
commission, with decision deadlines decades overdue. Found by their import source — a state registration number and
the publication sources the import wrote («Свидетельство … № N от …», «Патент на … № N от …») — each becomes a RID
with its protection document («получен охранный документ»), out of the commission's queue."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from django.db import migrations

PREFIXES = {
    "Свидетельство о государственной регистрации программы для ЭВМ": "software",
    "Патент на изобретение": "invention",
    "Патент на полезную модель": "utility_model",
    "Патент на промышленный образец": "industrial_design",
}
DATE = r"(\d{2}\.\d{2}\.\d{4})"
APPLICATION_RE = re.compile(r"\(заявка № ([^ )]+)")
EXPIRES_RE = re.compile(r"Срок действия истекает " + DATE)
HOLDERS_RE = re.compile(r"(?:Правообладатели|Патентообладатели): (.*?)\.(?: |$)")


def _date(text: str) -> date:
    return datetime.strptime(text, "%d.%m.%Y").date()


def _shares(count: int) -> list[Decimal]:
    cents, remainder = divmod(10000, count)
    return [Decimal(cents + (1 if i < remainder else 0)) / 100 for i in range(count)]


def forward(apps, schema_editor):
    Rid = apps.get_model("registry", "Rid")
    Document = apps.get_model("protection", "ProtectionDocument")
    Holder = apps.get_model("protection", "Holder")
    today = date.today()
    candidates = Rid.objects.filter(status="accepted").exclude(state_registration_number="")
    for rid in candidates.iterator():
        sources = rid.publication_sources
        kind = next((k for prefix, k in PREFIXES.items() if sources.startswith(f"{prefix} № ")), None)
        if kind is None or kind != rid.kind:
            continue
        if Document.objects.filter(rid=rid).exists():
            continue
        application = APPLICATION_RE.search(sources)
        expires = EXPIRES_RE.search(sources)
        expires_on = _date(expires[1]) if expires else None
        document = Document.objects.create(
            rid=rid,
            organization_id=rid.organization_id,
            kind=kind,
            number=rid.state_registration_number,
            application_number=application[1] if application else "",
            filing_date=rid.received_on,
            granted_on=rid.accepted_on,
            published_on=rid.publication_date,
            status="expired" if expires_on and expires_on < today else "in_force",
            source="открытый реестр ФИПС (импорт до учёта охранных документов)",
            fees_tracked_from=today,
        )
        holders = HOLDERS_RE.search(sources)
        names = [n.strip() for n in holders[1].split(";") if n.strip()] if holders else []
        for name, share in zip(names, _shares(len(names)) if names else [], strict=True):
            Holder.objects.create(document=document, kind="other", name=name[:500], share=share)
        rid.status = "protected"
        rid.next_step = ""
        rid.save(update_fields=["status", "next_step"])


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0001_initial"),
        ("registry", "0012_protected_status_review_death_date"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
