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


HOLDER = "ФГБОУ ВО «Тестовый университет»"
ADDRESS = "394006, г. Воронеж, ул. 20-летия Октября, 84"


@pytest.fixture
def officer(personas):
    return personas[Role.IP_OFFICER]


@pytest.fixture
def head(personas):
    """The head (or the deputy for science) who signs use orders and approves the regime."""
    return personas[Role.APPROVER]


@pytest.fixture
def author(personas):
    return personas[Role.AUTHOR]


def _role_user(role: Role) -> Any:
    from ridbook.accounts.models import User

    return User.objects.filter(role_assignments__role=role).order_by("pk").first()


def make_regime(officer, org_tree, *, title="Способ закалки рельсов", copy_limit=2, kind="know_how", grant=True):
    """A RID kept as a trade secret, through the services (presented 15.01.2026, decided 20.01, approved 01.02 with
    ``officer`` on the access list, or the division head when ``grant`` is false): its content sealed."""
    rid = rs.rid_create(
        actor=officer,
        organization=org_tree["department"],
        kind=kind,
        title=title,
        abstract="Рельс нагревают до 850 °C и охлаждают водой.",
        purpose="Повышение износостойкости",
        uses="Путевое хозяйство",
    )
    person = rs.person_save(actor=officer, last_name="Громов", first_name="Денис", organization=org_tree["department"])
    rs.rid_set_authors(actor=officer, rid=rid, authors=[rs.AuthorInput(person, Decimal("100"))])
    presenter = _role_user(Role.DIVISION_HEAD)
    regime = regime_services.present(actor=presenter, rid=rid, presented_on=date(2026, 1, 15))
    regime_services.record_council_decision(
        actor=officer, regime=regime, outcome="protect", protocol_number="1", decided_on=date(2026, 1, 20)
    )
    regime_services.approve(
        actor=_role_user(Role.APPROVER),
        regime=regime,
        approval=regime_services.Approval(
            approved=True,
            approved_on=date(2026, 2, 1),
            access_list=(officer if grant else presenter,),
            storage_place="Сейф № 3, к. 214",
            storage_medium="paper",
            copy_limit=copy_limit,
            holder_name=HOLDER,
            holder_address=ADDRESS,
        ),
    )
    regime.refresh_from_db()
    return regime


@pytest.fixture
def regime(officer, org_tree):
    return make_regime(officer, org_tree)


@pytest.fixture
def today():
    return timezone.localdate()
