"""Red-team review of issue 14 (content at rest): no plaintext file of a sealed RID is left on disk, the search
columns hold no word of the content."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ridbook.registry import services as rs
from ridbook.registry.models import PacketDocument, Rid

pytestmark = pytest.mark.django_db

LATER = b"Pozdnyaya vstavka: sostav polimera 7-V"  # a later packet file's own words


def _plaintext_on_disk(needle: bytes) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_later_file_of_a_sealed_rid_is_encrypted_and_its_plaintext_removed(
    secret, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rs.packet_upload(
            actor=secret.keeper, rid=secret.rid, kind="coauthors_agreement", file=SimpleUploadedFile("later.pdf", LATER)
        )
    assert _plaintext_on_disk(LATER) == []


def test_a_failed_upload_to_a_sealed_rid_leaves_no_plaintext_on_disk(secret, django_capture_on_commit_callbacks):
    """Two files at once, the second one fails after the first was sealed: all is rolled back — and the plaintext
    written by the storage before the sealing must not stay behind (its deletion after the commit never comes)."""
    before = PacketDocument.objects.filter(rid=secret.rid).count()
    files = [
        ("coauthors_agreement", SimpleUploadedFile("one.pdf", LATER + b" 1")),
        ("coauthors_agreement", SimpleUploadedFile("two.pdf", LATER)),
    ]
    with (
        mock.patch("ridbook.tradesecret.sealing.redact_change_log", side_effect=[None, RuntimeError("disk")]),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
    ):
        rs.packet_upload_many(actor=secret.keeper, rid=secret.rid, files=files)
    assert PacketDocument.objects.filter(rid=secret.rid).count() == before
    assert _plaintext_on_disk(LATER) == []


def test_the_search_columns_hold_no_word_of_the_content(secret):
    lemmas = Rid.objects.values_list("search_lemmas", flat=True).get(pk=secret.rid.pk)
    for word in ("аэрогел", "фторопласт", "мембран", "фильтрац"):
        assert word not in lemmas or word == "мембран"  # «мембрана» is in the title (the register)
    assert "аэрогел" not in lemmas and "фторопласт" not in lemmas and "фильтрац" not in lemmas
    if connection.vendor == "postgresql":  # the stored tsvector kept by the trigger
        with connection.cursor() as cursor:
            cursor.execute("SELECT search_vector::text FROM registry_rid WHERE id = %s", [secret.rid.pk])
            vector = cursor.fetchone()[0] or ""
        assert "аэрогел" not in vector and "фторопласт" not in vector and "фильтрац" not in vector


def test_the_commercial_value_is_sealed_with_the_content(secret):
    """The presentation's statement of commercial value tells why (and often how) the solution pays: the content page
    shows it to the list only, the change log leaves it out — and at rest it is encrypted like the content, not kept
    in the regime's plaintext column."""
    from django.test import Client
    from django.urls import reverse

    from ridbook.tradesecret import sealing
    from ridbook.tradesecret.models import Regime

    with connection.cursor() as cursor:
        cursor.execute("SELECT commercial_value FROM tradesecret_regime WHERE id = %s", [secret.regime.pk])
        assert cursor.fetchone()[0] == ""
    client = Client()
    client.force_login(secret.keeper)
    page = client.get(reverse("tradesecret:content", args=[secret.rid.pk])).content.decode()
    assert "снижает себестоимость" in page
    regime = Regime.objects.get(pk=secret.regime.pk)
    Regime.objects.filter(pk=regime.pk).update(state="refused")  # as the head's refusal leaves it, then unsealed
    regime.refresh_from_db()
    sealing.unseal(regime)
    regime.refresh_from_db()
    assert regime.commercial_value == "снижает себестоимость"  # back in its column with the rest of the content
