"""At rest: the content and the files of a trade-secret RID are ciphertext in the database and on disk; the change
log's old snapshots and the search lemmas lose the content; the key rotates; without a key nothing is sealed."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ridbook.accounts.roles import Role
from ridbook.audit.models import ChangeRecord
from ridbook.registry import services as rs
from ridbook.registry.models import Authorship, Rid
from ridbook.registry.search import search_filter
from ridbook.tradesecret import access, crypto, sealing
from ridbook.tradesecret.guards import ContentSealed
from ridbook.tradesecret.models import JournalEntry, SealedContent, SealedFile
from ridbook.tradesecret.services import regime as regime_services
from ridbook.tradesecret.tests.conftest import FILE_BYTES, FILE_NAME, SECRET, make_rid, same_file

pytestmark = pytest.mark.django_db

NEEDLE = "аэрогельного"


def _dump() -> str:
    """Every row of the tables that could hold the content, as the database returns it (a dump)."""
    rows = []
    with connection.cursor() as cursor:
        for table in (
            Rid._meta.db_table,
            Authorship._meta.db_table,
            ChangeRecord._meta.db_table,
            SealedContent._meta.db_table,
            SealedFile._meta.db_table,
            JournalEntry._meta.db_table,
            "registry_packetdocument",
        ):
            cursor.execute(f"SELECT * FROM {table}")
            rows += [repr(row) for row in cursor.fetchall()]
    return "\n".join(rows)


def test_the_database_and_the_stored_file_hold_no_plaintext(secret):
    dump = _dump()
    assert NEEDLE not in dump
    assert FILE_NAME not in dump  # the file's name is sealed too
    rid = Rid.objects.get(pk=secret.rid.pk)
    assert (rid.abstract, rid.purpose, rid.uses, rid.keywords, rid.publication_sources) == ("", "", "", [], "")
    assert Authorship.objects.get(rid=rid).contribution == ""
    stored = default_storage.open(secret.document.file.name, "rb").read()
    assert SECRET.encode() not in stored and b"%PDF" not in stored
    assert secret.document.file.name.startswith("tradesecret/")
    assert not default_storage.exists(secret.original_path)  # the original is gone
    assert SECRET in str(sealing.sealed_payload(secret.regime))


def test_search_finds_the_register_fields_never_the_content(secret):
    rids = Rid.objects.all()
    assert not search_filter(rids, "аэрогель").exists()
    assert not search_filter(rids, "фильтрация").exists()
    assert list(search_filter(rids, "технология")) == [secret.rid]
    assert list(search_filter(rids, "Иванов")) == [secret.rid]


def test_the_change_log_keeps_no_snapshot_of_the_content(secret):
    records = ChangeRecord.objects.all()
    text = " ".join(repr((r.before, r.after, r.object_repr)) for r in records)
    assert NEEDLE not in text
    assert FILE_NAME not in text
    assert sealing.REDACTED in text


def test_a_plaintext_write_to_a_sealed_rid_is_refused(secret):
    officer = secret.users[Role.IP_OFFICER]
    with pytest.raises(ContentSealed):
        rs.rid_update(actor=officer, rid=Rid.objects.get(pk=secret.rid.pk), abstract="утечка")
    assert Rid.objects.get(pk=secret.rid.pk).abstract == ""
    rs.rid_update(actor=officer, rid=Rid.objects.get(pk=secret.rid.pk), title="Технология мембраны 2")


def test_a_file_uploaded_later_is_sealed_as_it_is_stored(secret):
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = rs.packet_upload(
        actor=secret.users[Role.IP_OFFICER],
        rid=secret.rid,
        kind="notice",
        file=SimpleUploadedFile("vtoroy.pdf", b"%PDF second " + SECRET.encode()),
    )
    doc.refresh_from_db()
    assert doc.file.name.startswith("tradesecret/")
    assert SECRET.encode() not in default_storage.open(doc.file.name, "rb").read()
    name, data = access.read_file(secret.keeper, doc, action="download", channel="page")
    assert (name, data) == ("vtoroy.pdf", b"%PDF second " + SECRET.encode())
    assert "vtoroy.pdf" not in _dump()


def test_the_keeper_reads_the_content_and_it_is_journaled(secret):
    content = access.read_content(secret.keeper, secret.regime, action="view", channel="page")
    assert content["rid"]["abstract"].startswith(SECRET)
    assert list(content["authorships"].values()) == [f"Предложил {SECRET}"]
    name, data = access.read_file(secret.keeper, secret.document, action="download", channel="page")
    assert same_file(name) and data == FILE_BYTES
    entries = list(JournalEntry.objects.filter(regime=secret.regime).order_by("id"))
    assert [(e.action, e.granted, e.user_label) for e in entries][-2:] == [
        ("view", True, secret.keeper.full_name or "keeper"),
        ("download", True, secret.keeper.full_name or "keeper"),
    ]


def test_a_removed_grant_is_refused_from_that_day(secret):
    from ridbook.tradesecret.services import access_list

    access_list.revoke(actor=secret.users[Role.APPROVER], regime=secret.regime, user=secret.keeper)
    with pytest.raises(access.ContentRefused):
        access.read_content(secret.keeper, secret.regime, action="view", channel="page")
    last = JournalEntry.objects.order_by("-id").first()
    assert (last.granted, last.user_id_value) == (False, secret.keeper.pk)


def test_the_key_rotates(secret, settings):
    new = crypto.new_key()
    old = settings.RIDBOOK_TRADESECRET_KEYS[0]
    settings.RIDBOOK_TRADESECRET_KEYS = [new, old]
    call_command("rotate_tradesecret_key")
    settings.RIDBOOK_TRADESECRET_KEYS = [new]  # the old key removed: everything still reads
    secret.document.refresh_from_db()
    assert access.read_content(secret.keeper, secret.regime, action="view", channel="page")["rid"]["uses"]
    assert access.read_file(secret.keeper, secret.document, action="download", channel="page")[1] == FILE_BYTES
    settings.RIDBOOK_TRADESECRET_KEYS = [old]
    with pytest.raises(crypto.Undecryptable):
        access.read_content(secret.keeper, secret.regime, action="view", channel="page")


@override_settings(RIDBOOK_TRADESECRET_KEYS=[], RIDBOOK_TRADESECRET_KEY_FILE="")
def test_without_a_key_nothing_is_presented_and_nothing_is_blanked(personas, org_tree):
    rid, _document = make_rid(personas, org_tree["university"])
    with pytest.raises(crypto.KeyMissing) as refused:
        regime_services.present(actor=personas[Role.DIVISION_HEAD], rid=rid)
    assert "RIDBOOK_TRADESECRET_KEYS" in refused.value.message
    rid.refresh_from_db()
    assert SECRET in rid.abstract and not hasattr(rid, "trade_secret_regime")


def test_a_refused_regime_gives_the_content_back(personas, org_tree):
    rid, document = make_rid(personas, org_tree["university"])
    regime = regime_services.present(actor=personas[Role.DIVISION_HEAD], rid=rid)
    assert Rid.objects.get(pk=rid.pk).abstract == ""
    from django.utils import timezone

    regime_services.record_council_decision(
        actor=personas[Role.IP_OFFICER],
        regime=regime,
        outcome="refuse",
        protocol_number="8",
        decided_on=timezone.localdate(),
    )
    rid.refresh_from_db()
    document.refresh_from_db()
    assert SECRET in rid.abstract
    assert Authorship.objects.get(rid=rid).contribution == f"Предложил {SECRET}"
    assert document.file.read() == FILE_BYTES and same_file(document.file.name.rsplit("/", 1)[-1])
    assert not SealedContent.objects.filter(regime=regime).exists()


def test_the_notice_form_and_the_api_refuse_content_and_say_where_it_is_changed(secret):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(secret.users[Role.IP_OFFICER])
    api = client.patch(f"/api/v1/rids/{secret.rid.pk}/", {"abstract": "утечка"}, content_type="application/json")
    assert api.status_code == 409 and "странице содержания" in str(api.json()), api.json()
    assert Rid.objects.get(pk=secret.rid.pk).abstract == ""
    form = client.get(reverse("registry:edit", args=[secret.rid.pk]))
    assert form.status_code in (200, 302)
    assert SECRET not in form.content.decode()


def test_the_commercial_value_stays_out_of_the_change_log(secret):
    assert "снижает себестоимость" not in " ".join(repr((r.before, r.after)) for r in ChangeRecord.objects.all())


def test_the_authors_editor_keeps_the_sealed_contribution(secret):
    authorship = Authorship.objects.get(rid=secret.rid)
    rs.rid_set_authors(
        actor=secret.users[Role.IP_OFFICER],
        rid=secret.rid,
        authors=[rs.AuthorInput(person=authorship.person, coefficient=authorship.coefficient)],
    )
    content = access.read_content(secret.keeper, secret.regime, action="view", channel="page")
    assert content["authorships"] == {str(authorship.person_id): f"Предложил {SECRET}"}


def test_a_sealed_notice_is_still_complete_for_the_workflow(personas, org_tree):
    """Field 16 led to the council before the notice went in: its content is sealed, its columns blank, and the
    notice is submitted and accepted all the same (the completeness rules look into the sealed store, by name)."""
    rid, _doc = make_rid(personas, org_tree["university"])
    rs.rid_update(actor=personas[Role.IP_OFFICER], rid=rid, published=True, publication_date=rid.created_at.date())
    regime_services.present(actor=personas[Role.DIVISION_HEAD], rid=rid)
    rid = rs.rid_update(actor=personas[Role.IP_OFFICER], rid=Rid.objects.get(pk=rid.pk), title="Мембрана (уточн.)")
    rs.notice_submit(actor=personas[Role.AUTHOR], rid=rid)
    assert Rid.objects.get(pk=rid.pk).status == "submitted"


def test_the_key_file_commands(tmp_path, settings, secret):
    """``create_tradesecret_key --if-missing`` writes a demo key once; ``--add`` puts a new key first; the rotation
    then re-encrypts with it and the old key can go."""
    key_file = tmp_path / "tradesecret.keys"
    old = settings.RIDBOOK_TRADESECRET_KEYS[0]
    settings.RIDBOOK_TRADESECRET_KEYS = []
    settings.RIDBOOK_TRADESECRET_KEY_FILE = str(key_file)
    key_file.write_text(f"# the key of the fixture\n{old}\n", encoding="ascii")
    call_command("create_tradesecret_key", "--if-missing")  # a key is configured: nothing written
    assert key_file.read_text(encoding="ascii").count("\n") == 2
    call_command("create_tradesecret_key", "--add")
    keys = crypto.configured_keys()
    assert len(keys) == 2 and keys[1] == old and oct(key_file.stat().st_mode)[-3:] == "600"
    call_command("rotate_tradesecret_key")
    key_file.write_text(keys[0] + "\n", encoding="ascii")  # the old key removed
    assert SECRET in access.read_content(secret.keeper, secret.regime, action="view", channel="page")["rid"]["abstract"]
