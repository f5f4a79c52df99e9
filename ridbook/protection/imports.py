"""Registrations already granted, from the patent office's open registry (``registry.io``): each imported row's RID
gets its protection document — in force, or not per the file («actual», the expiration date) — with the holders the
file names (equal shares: the file gives none). Written in bulk with the import's rows, journaled as the import is."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType

from ridbook.protection.choices import DocumentKind, DocumentStatus, HolderKind
from ridbook.protection.deadlines import document_deadlines_invalidate
from ridbook.protection.models import Holder, ProtectionDocument
from ridbook.registry.io import bulk
from ridbook.registry.io.formats import equal_shares

SOURCE = "открытый реестр ФИПС, файл «%s»"  # i18n: ru-only (stored source)


def imported_status(kind: str, actual: bool | None, expires: date | None, today: date) -> DocumentStatus:
    """In force unless the file says otherwise: the term passed → expired; «actual = false» before it → lapsed."""
    if expires is not None and expires < today:
        return DocumentStatus.EXPIRED
    if actual is False:
        return (
            DocumentStatus.EXPIRED if kind in (DocumentKind.SOFTWARE, DocumentKind.DATABASE) else DocumentStatus.LAPSED
        )
    return DocumentStatus.IN_FORCE


def write_documents(writer: Any, rows: list[Any]) -> None:
    rows = [row for row in rows if row.document is not None]
    if not rows:
        return
    today = writer.now.date()
    documents = []
    for row in rows:
        rid, data = row.rid, row.document
        kind = DocumentKind(rid.kind)
        documents.append(
            {
                "rid_id": rid.pk,
                "organization_id": rid.organization_id,
                "kind": kind,
                "number": data["number"],
                "application_number": data["application_number"],
                "application_ref": "",
                "filing_date": data["filing_date"],
                "priority_date": None,
                "granted_on": data["granted_on"],
                "published_on": data["published_on"],
                "country": "RU",
                "office": "Роспатент",  # i18n: ru-only (stored office)
                "original_location": "",
                "scan": "",
                "status": imported_status(kind, data["actual"], data["expires"], today),
                "restoration_until": None,
                "renewals": 0,
                "extension_years": 0,
                "source": (SOURCE % writer.filename)[:300],
                "fees_tracked_from": today,
            }
        )
    pks = writer.document_pks.take(len(documents)) if hasattr(writer, "document_pks") else None
    if pks is None and writer.sender is not None:
        writer.document_pks = bulk.PkReserve(ProtectionDocument)
        pks = writer.document_pks.take(len(documents))
    if pks is not None:
        for document, pk in zip(documents, pks, strict=True):
            document["id"] = pk
        bulk.insert(ProtectionDocument, documents, with_pk=True, sender=writer.sender)
    else:
        bulk.insert(ProtectionDocument, documents)
        ids = dict(
            ProtectionDocument.objects.filter(rid_id__in=[d["rid_id"] for d in documents]).values_list("rid_id", "id")
        )
        for document in documents:
            document["id"] = ids[document["rid_id"]]
    holders = []
    for row, document in zip(rows, documents, strict=True):
        names = row.document["holders"]
        for name, share in zip(names, equal_shares(len(names)), strict=True):
            holders.append(
                {
                    "document_id": document["id"],
                    "kind": HolderKind.OTHER,
                    "name": name[:500],
                    "inn": "",
                    "ogrn": "",
                    "share": share,
                }
            )
    bulk.insert(Holder, holders, sender=writer.sender)
    content_type = ContentType.objects.get_for_model(ProtectionDocument, for_concrete_model=False)
    records = []
    for document in documents:
        shown = ProtectionDocument(**{k: v for k, v in document.items() if k != "scan"})
        snapshot = {
            "rid": document["rid_id"],
            "kind": document["kind"],
            "number": document["number"],
            "status": document["status"],
            "source": document["source"],
        }
        records.append({**writer.record(content_type, shown, snapshot), "object_repr": str(shown)[:300]})
    from ridbook.audit.models import ChangeRecord

    bulk.insert(ChangeRecord, records, sender=writer.sender)
    document_deadlines_invalidate()
