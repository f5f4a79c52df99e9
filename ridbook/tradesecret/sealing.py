"""Sealing: the content of a RID moves into encrypted storage from the moment it is presented to the council.

What is content (decided here, README «Коммерческая тайна»): the RID's ``purpose``, ``abstract``, ``uses``,
``keywords``, ``publication_sources``; every author's ``Authorship.contribution`` (the creative contribution is told
in the terms of the solution itself); the export-control act's ``description`` of the object; the presentation's
``Regime.commercial_value``; and every packet file (with its name). The register fields stay readable: title, number, kind, authors' names and shares, dates, status.

:func:`seal` encrypts them (``SealedContent``, ``SealedFile``), blanks the plaintext columns, rewrites the search
lemmas without the content, redacts the older change-log snapshots of those fields and deletes the original files
from disk after the commit. :func:`unseal` restores them when the regime is refused or ends. While the regime
restricts, ``guards`` (signals) refuse any save that would put content back into a plaintext column, and a packet
file uploaded later is sealed as it is stored.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from ridbook.audit.models import ChangeRecord
from ridbook.registry.models import Authorship, ExportControlAct, PacketDocument, Rid
from ridbook.tradesecret import crypto
from ridbook.tradesecret.models import Regime, SealedContent, SealedFile

RID_CONTENT_FIELDS = ("purpose", "abstract", "uses", "keywords", "publication_sources")
AUTHORSHIP_CONTENT_FIELDS = ("contribution",)
EXPORT_CONTROL_CONTENT_FIELDS = ("description",)
# the models whose change-log snapshots lose these fields (and the packet file's name) when the RID is sealed
REDACTED = "[скрыто: коммерческая тайна]"  # i18n: ru-only (stored in the change log's snapshots, as the data is)
SEALED_DIR = "tradesecret"


def _blank(field: str) -> Any:
    return [] if field == "keywords" else ""


def _is_blank(value: Any) -> bool:
    return value in ("", None, [])


def sealed_payload(regime: Regime) -> dict[str, Any]:
    """The decrypted content (only ``access.py`` calls this, after its check and its journal entry):
    ``{"rid": {field: value}, "authorships": {person id: creative contribution}, "export_control": {...}}``."""
    sealed = SealedContent.objects.filter(regime=regime).first()
    if sealed is None:
        return {"rid": {}, "authorships": {}, "export_control": {}}
    return json.loads(crypto.decrypt(sealed.token.encode("ascii")))


def store_payload(regime: Regime, payload: dict[str, Any]) -> None:
    token = crypto.encrypt(json.dumps(payload, ensure_ascii=False).encode()).decode("ascii")
    SealedContent.objects.update_or_create(regime=regime, defaults={"token": token})


# the registry's completeness errors that a sealed field answers (publication: its sources)
CONTENT_ERROR_KEYS = frozenset(RID_CONTENT_FIELDS)


def sealed_fields_present(rid_id: int) -> set[str]:
    """Which content fields a restricted RID has in its sealed store (for the registry's completeness rules: the
    names only, never the values)."""
    regime = restricted_regime(rid_id)
    if regime is None:
        return set()
    return {field for field, value in sealed_payload(regime)["rid"].items() if not _is_blank(value)}


def is_sealed(rid: Rid) -> bool:
    regime = getattr(rid, "trade_secret_regime", None) if rid.pk else None
    return regime is not None and regime.is_restricted


def restricted_regime(rid_id: int | None) -> Regime | None:
    if rid_id is None:
        return None
    regime = Regime.objects.filter(rid_id=rid_id).first()
    return regime if regime is not None and regime.is_restricted else None


@transaction.atomic
def seal(regime: Regime) -> None:
    """Encrypt the RID's content and files, blank the plaintext. Idempotent (a sealed RID stays sealed)."""
    crypto.encrypt(b"")  # no key: stop here, before anything is blanked
    rid = Rid.objects.select_for_update().get(pk=regime.rid_id)
    payload = sealed_payload(regime)
    for field in RID_CONTENT_FIELDS:
        value = getattr(rid, field)
        if not _is_blank(value):
            payload["rid"][field] = value
    authorships = list(Authorship.objects.filter(rid=rid))
    for authorship in authorships:  # by the person: the authors editor re-creates the rows
        if authorship.contribution:
            payload["authorships"][str(authorship.person_id)] = authorship.contribution
    act = ExportControlAct.objects.filter(rid=rid).first()
    if act is not None and act.description:
        payload["export_control"]["description"] = act.description
    if regime.commercial_value:  # the presentation's statement: why (and often how) the solution pays
        payload["commercial_value"] = regime.commercial_value
    store_payload(regime, payload)
    if regime.commercial_value:
        Regime.objects.filter(pk=regime.pk).update(commercial_value="")  # not journaled: audit_exclude
        regime.commercial_value = ""
    # blank the plaintext (the guards let blank values through)
    changed = [f for f in RID_CONTENT_FIELDS if not _is_blank(getattr(rid, f))]
    if changed:
        for field in changed:
            setattr(rid, field, _blank(field))
        rid.save(update_fields=changed)
    for authorship in authorships:
        if authorship.contribution:
            authorship.contribution = ""
            authorship.save(update_fields=["contribution"])
    if act is not None and act.description:
        act.description = ""
        act.save(update_fields=["description"])
    for document in PacketDocument.objects.filter(rid=rid):
        seal_file(regime, document)
    redact_change_log(rid)
    from ridbook.registry.services import refresh_search

    refresh_search(rid)  # the lemmas of the register fields only: the content is blank now


def seal_file(regime: Regime, document: PacketDocument, *, just_stored: bool = False) -> None:
    """Re-write one packet file encrypted; the original is deleted from disk after the commit — or at once when it was
    just stored by this transaction (a file uploaded to a sealed RID): no row but this one names it, and a rollback
    would never run the deletion after the commit, leaving the plaintext behind."""
    if SealedFile.objects.filter(document=document).exists():
        return
    original = document.file.name or ""
    with default_storage.open(original, "rb") as handle:
        data = handle.read()
    path = default_storage.save(
        f"{SEALED_DIR}/{regime.pk}/{uuid.uuid4().hex}.sealed", ContentFile(crypto.encrypt(data))
    )
    name = original.rsplit("/", 1)[-1]
    SealedFile.objects.create(
        regime=regime,
        document=document,
        name_token=crypto.encrypt(name.encode()).decode("ascii"),
        size=len(data),
    )
    PacketDocument.objects.filter(pk=document.pk).update(file=path)  # journaled: the redaction below hides the name
    document.file.name = path
    if just_stored:
        default_storage.delete(original)
    else:
        transaction.on_commit(lambda: default_storage.delete(original))


def redact_change_log(rid: Rid) -> None:
    """The change log's snapshots of the content fields (and of the packet files' names) of this RID become
    «[скрыто: коммерческая тайна]». The change log is append-only to the application; this redaction is the one
    rewrite it allows, so that the old snapshot does not keep what the regime protects."""
    targets: list[tuple[type[Any], list[str], tuple[str, ...]]] = [
        (Rid, [str(rid.pk)], RID_CONTENT_FIELDS),
        (
            Authorship,
            [str(pk) for pk in Authorship.objects.filter(rid=rid).values_list("pk", flat=True)],
            AUTHORSHIP_CONTENT_FIELDS,
        ),
        (
            ExportControlAct,
            [str(pk) for pk in ExportControlAct.objects.filter(rid=rid).values_list("pk", flat=True)],
            EXPORT_CONTROL_CONTENT_FIELDS,
        ),
        (
            PacketDocument,
            [str(pk) for pk in PacketDocument.objects.filter(rid=rid).values_list("pk", flat=True)],
            ("file",),
        ),
    ]
    for model, ids, fields in targets:
        if not ids:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        records = ChangeRecord.objects.filter(content_type=content_type, object_id__in=ids)
        for record in records.iterator():
            before, after = _redacted(record.before, fields), _redacted(record.after, fields)
            repr_ = REDACTED if model is PacketDocument else record.object_repr
            if (before, after, repr_) != (record.before, record.after, record.object_repr):
                # the manager's update: the record's own ``save`` refuses any change (append-only)
                ChangeRecord.objects.filter(pk=record.pk).update(before=before, after=after, object_repr=repr_)


def _redacted(snapshot: dict[str, Any] | None, fields: tuple[str, ...]) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {k: (REDACTED if k in fields and not _is_blank(v) and v != REDACTED else v) for k, v in snapshot.items()}


@transaction.atomic
def unseal(regime: Regime) -> None:
    """The regime was refused or ended: the content goes back to the plaintext columns and files (the old change-log
    snapshots stay redacted). Call after the regime's state left the restricted states."""
    assert not regime.is_restricted, "unseal a regime that still restricts"
    payload = sealed_payload(regime)
    rid = Rid.objects.select_for_update().get(pk=regime.rid_id)
    restored = {f: v for f, v in payload["rid"].items() if f in RID_CONTENT_FIELDS}
    if restored:
        for field, value in restored.items():
            setattr(rid, field, value)
        rid.save(update_fields=list(restored))
    for person_id, text in payload["authorships"].items():
        Authorship.objects.filter(person_id=int(person_id), rid=rid).update(contribution=text)
    if payload["export_control"].get("description"):
        ExportControlAct.objects.filter(rid=rid).update(description=payload["export_control"]["description"])
    if payload.get("commercial_value"):
        Regime.objects.filter(pk=regime.pk).update(commercial_value=payload["commercial_value"])
        regime.commercial_value = payload["commercial_value"]
    for sealed in SealedFile.objects.filter(regime=regime).select_related("document"):
        document = sealed.document
        name = crypto.decrypt(sealed.name_token.encode("ascii")).decode()
        ciphertext_path = document.file.name or ""
        with default_storage.open(ciphertext_path, "rb") as handle:
            data = crypto.decrypt(handle.read())
        path = default_storage.save(f"rid/{rid.pk}/packet/{document.kind}/{name}", ContentFile(data))
        PacketDocument.objects.filter(pk=document.pk).update(file=path)
        sealed.delete()
        transaction.on_commit(lambda p=ciphertext_path: default_storage.delete(p))  # type: ignore[misc]
    SealedContent.objects.filter(regime=regime).delete()
    from ridbook.registry.services import refresh_search

    refresh_search(rid)


@transaction.atomic
def rotate_all() -> tuple[int, int]:
    """Re-encrypt every sealed record and file with the newest key: (records, files)."""
    records = files = 0
    for sealed in SealedContent.objects.select_for_update().order_by("pk"):
        token = crypto.rotate(sealed.token.encode("ascii")).decode("ascii")
        SealedContent.objects.filter(pk=sealed.pk).update(token=token)
        records += 1
    for sealed_file in SealedFile.objects.select_for_update().select_related("document").order_by("pk"):
        name_token = crypto.rotate(sealed_file.name_token.encode("ascii")).decode("ascii")
        old_path = sealed_file.document.file.name or ""
        with default_storage.open(old_path, "rb") as handle:
            rotated = crypto.rotate(handle.read())
        path = default_storage.save(
            f"{SEALED_DIR}/{sealed_file.regime_id}/{uuid.uuid4().hex}.sealed", ContentFile(rotated)
        )
        PacketDocument.objects.filter(pk=sealed_file.document_id).update(file=path)
        SealedFile.objects.filter(pk=sealed_file.pk).update(name_token=name_token)
        transaction.on_commit(lambda p=old_path: default_storage.delete(p))  # type: ignore[misc]
        files += 1
    return records, files
