"""A trade-secret RID in force: content, an author, a packet file; the keeper (an IP officer on the list) and every
other role not on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.registry import services as rs
from ridbook.registry.models import PacketDocument, Person, Rid
from ridbook.testing.factories import persona
from ridbook.tradesecret.models import Regime
from ridbook.tradesecret.services import regime as regime_services

SECRET = "Фторопластовая мембрана аэрогельного типа"  # a phrase of the content: must never leak
ABSTRACT = f"{SECRET} снижает потери давления втрое при температуре двести градусов."
FILE_BYTES = b"%PDF-1.4 " + SECRET.encode() + b" technological regulation"
FILE_NAME = "reglament-membrana.pdf"


@dataclass
class Secret:
    rid: Rid
    regime: Regime
    keeper: Any  # an IP officer on the access list
    document: PacketDocument
    users: dict[Role, Any]
    original_path: str = ""


def make_rid(personas: dict[Role, Any], org: Any) -> tuple[Rid, PacketDocument]:
    officer = personas[Role.IP_OFFICER]
    rid = rs.rid_create(
        actor=officer,
        organization=org,
        kind="know_how",
        title="Технология мембраны",
        purpose=f"Назначение: {SECRET}",
        abstract=ABSTRACT,
        uses="Фильтрация агрессивных сред",
        keywords=["мембрана", "аэрогель"],
        publication_sources="не публиковался",
    )
    author = personas[Role.AUTHOR]
    person = Person.objects.filter(user=author).first() or Person.objects.create(
        last_name="Иванов", first_name="Иван", organization=org, user=author
    )
    rs.rid_set_authors(
        actor=officer,
        rid=rid,
        authors=[
            rs.AuthorInput(
                person=person,
                coefficient=Decimal(100),
                hours=None,
                period_start=None,
                period_end=None,
                contribution=f"Предложил {SECRET}",
                basis="job_duties",
                basis_other="",
            )
        ],
    )
    document = rs.packet_upload(actor=officer, rid=rid, kind="notice", file=SimpleUploadedFile(FILE_NAME, FILE_BYTES))
    return rid, document


def same_file(name: str) -> bool:
    """The stored name of FILE_NAME (the storage adds a suffix when the shared test media has one already)."""
    return name.startswith("reglament-membrana") and name.endswith(".pdf")


@pytest.fixture
def secret(personas, org_tree, django_capture_on_commit_callbacks) -> Secret:
    org = org_tree["university"]
    rid, document = make_rid(personas, org)
    keeper = persona(Role.IP_OFFICER, org, username="keeper")
    original_path = document.file.name or ""
    with django_capture_on_commit_callbacks(execute=True):  # the original files are deleted after the commit
        regime = regime_services.present(
            actor=personas[Role.DIVISION_HEAD], rid=rid, commercial_value="снижает себестоимость"
        )
    today = timezone.localdate()
    regime_services.record_council_decision(
        actor=personas[Role.IP_OFFICER], regime=regime, outcome="protect", protocol_number="7", decided_on=today
    )
    regime_services.approve(
        actor=personas[Role.APPROVER],
        regime=regime,
        approval=regime_services.Approval(
            approved=True,
            approved_on=today,
            order_number="12-к",
            access_list=(keeper,),
            storage_place="сейф 3",
            storage_medium="electronic",
            copy_limit=2,
            holder_address="Томск, пр. Ленина, 30",
        ),
    )
    regime.refresh_from_db()
    rid.refresh_from_db()
    document.refresh_from_db()
    return Secret(rid=rid, regime=regime, keeper=keeper, document=document, users=personas, original_path=original_path)


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)
