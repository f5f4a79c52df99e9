"""A populated organization tree for the isolation tests: every kind of object a page or an endpoint can name.

``build_world(tag, slug)`` makes a university with a department, a user for every role (and one with all roles),
people with personal data, a draft RID and an accepted one with its packet and clearances, a commission of seven,
a meeting opened today with that RID on the agenda, an invited expert, attendance, a proposal and a vote; a protected
RID with its patent (a holder, an event, the fee schedule with a payment) and a row of the fee table. Every
name in it carries ``tag``, so a response that shows anything of this tree shows ``tag``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ridbook.accounts.models import RoleAssignment, User
from ridbook.accounts.roles import Role
from ridbook.commission import services as cs
from ridbook.commission.models import AgendaItem, Commission, CommissionMember, ExpertInvitation, Meeting
from ridbook.organizations.models import Organization
from ridbook.registry import services as rs
from ridbook.registry.models import PacketDocument, Person, Rid
from ridbook.testing.factories import PASSWORD

NOTICE = {
    "purpose": "Автоматизация контроля",
    "keywords": ["контроль", "износ"],
    "abstract": "Способ определения износа по изображениям.",
    "okpd2": "62.01.11.000",
}


@dataclass
class World:
    tag: str
    root: Organization
    department: Organization
    users: dict[Role, User]
    everyone: User  # a user with every role at the root
    author_person: Person
    outsider: Person
    draft: Rid
    accepted: Rid
    packet_document: PacketDocument
    commission: Commission
    member: CommissionMember
    meeting: Meeting
    item: AgendaItem
    invitation: ExpertInvitation
    extra: dict[str, object] = field(default_factory=dict)


def _user(username: str, tag: str, first: str, roles: list[tuple[Role, Organization]]) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, last_name=tag, first_name=first, email=f"{username}@example.org"
    )
    for role, org in roles:
        RoleAssignment.objects.create(user=user, organization=org, role=role)
    return user


def accept_notice(rid: Rid, *, author: Any, officer: Any) -> Rid:
    """Submit, receive, complete the packet and clearances, accept: the RID enters the commission's queue."""
    rs.notice_submit(actor=author, rid=rid)
    rs.notice_receive(actor=officer, rid=rid)
    for kind in ("notice", "application_form", "patent_search_report", "coauthors_agreement"):
        upload = SimpleUploadedFile(f"{kind}.txt", b"document", content_type="text/plain")
        rs.packet_upload(actor=officer, rid=rid, kind=kind, file=upload)
    rs.state_secret_record(
        actor=officer,
        rid=rid,
        number="1",
        date=date(2026, 1, 12),
        commission="эксперт",
        outcome="no_secret_publishable",
    )
    rs.export_control_record(
        actor=officer, rid=rid, number="2", date=date(2026, 1, 13), outcome="no_similarity", conclusion="no_permits"
    )
    return rs.notice_accept(actor=officer, rid=rid)


def build_world(tag: str, slug: str) -> World:
    root = Organization.objects.create(
        name=f"Университет {tag}", short_name=f"У-{tag}", kind="university", policy_name="vgtu"
    )
    department = Organization.objects.create(
        name=f"Кафедра {tag}", short_name=f"К-{tag}", kind="department", parent=root
    )
    users = {role: _user(f"{slug}-{role.value}", tag, f"Имя-{role.value}", [(role, root)]) for role in Role}
    everyone = _user(f"{slug}-all", tag, "Всеролев", [(role, root) for role in Role])
    officer, author, secretary = users[Role.IP_OFFICER], users[Role.AUTHOR], users[Role.COMMISSION_SECRETARY]

    author_person = rs.person_save(
        actor=officer,
        last_name=tag,
        first_name="Автор",
        organization=department,
        user=author,
        snils="112-233-445 95",
        inn="500100732259",
        birth_date=date(1980, 3, 4),
        address=f"г. Воронеж, ул. {tag}, 1",
        phone="+7 900 000-00-00",
        email=f"{slug}-person@example.org",
    )
    outsider = rs.person_save(
        actor=officer, last_name=tag, first_name="Внешний", organization=department, workplace=f"ООО «{tag}»"
    )
    draft = rs.rid_create(actor=author, organization=department, kind="software", title=f"Программа {tag}", **NOTICE)
    rs.rid_set_authors(actor=author, rid=draft, authors=[rs.AuthorInput(author_person, Decimal("100"))])
    accepted = rs.rid_create(actor=author, organization=department, kind="invention", title=f"Способ {tag}", **NOTICE)
    rs.rid_set_authors(
        actor=author,
        rid=accepted,
        authors=[rs.AuthorInput(author_person, Decimal("60")), rs.AuthorInput(outsider, Decimal("40"))],
    )
    accept_notice(accepted, author=author, officer=officer)

    commission = cs.commission_create(
        actor=secretary, organization=root, order_number="1", order_date=date(2026, 1, 15), default_place=f"ауд. {tag}"
    )
    cs.member_add(
        actor=secretary, commission=commission, user=users[Role.COMMISSION_CHAIR], role="chair", position="председатель"
    )
    cs.member_add(actor=secretary, commission=commission, user=secretary, role="secretary", position="секретарь")
    member = cs.member_add(
        actor=secretary, commission=commission, user=users[Role.COMMISSION_MEMBER], role="deputy", position="декан"
    )
    for n in range(2, 6):
        extra = _user(f"{slug}-member{n}", tag, f"Член{n}", [(Role.COMMISSION_MEMBER, root)])
        cs.member_add(actor=secretary, commission=commission, user=extra, role="member", position=f"профессор {n}")
    meeting = cs.meeting_schedule(actor=secretary, commission=commission, on=timezone.localdate(), at=time(15, 0))
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=accepted)
    invitation = cs.expert_invite(actor=secretary, item=item, user=users[Role.EXPERT], position="эксперт")
    cs.meeting_open(actor=secretary, meeting=meeting, confirm_unnotified=True)
    for row in meeting.attendance.select_related("member"):
        cs.attendance_mark(actor=secretary, meeting=meeting, member=row.member, present=True)
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention", heard=f"Доклад {tag}")
    cs.vote_cast(actor=secretary, item=item, member=member, choice="for")
    meeting.refresh_from_db()
    # the calendar feed: a renewed address (the old one must stay dead) and the current one
    from ridbook.deadlines.services import renew_feed_token

    old_feed_token = renew_feed_token(actor=everyone).token
    feed_token = renew_feed_token(actor=everyone).token
    prosecution = _prosecution(tag, department, author, officer)
    protection = _protection(tag, slug, root, department, author, officer, secretary)
    trade_secret = _trade_secret(tag, root, department, users)
    from ridbook.deadlines.store import refresh_all

    refresh_all()  # the stored deadlines (the docket's task, the document's upkeep) and their day
    return World(
        tag=tag,
        root=root,
        department=department,
        users=users,
        everyone=everyone,
        author_person=author_person,
        outsider=outsider,
        draft=draft,
        accepted=accepted,
        packet_document=accepted.packet.first(),  # type: ignore[arg-type]
        commission=commission,
        member=member,
        meeting=meeting,
        item=item,
        invitation=invitation,
        extra={"old_feed_token": old_feed_token, "feed_token": feed_token, **prosecution, **protection, **trade_secret},
    )


def _prosecution(tag: str, department: Organization, author: Any, officer: Any) -> dict[str, object]:
    """A RID the commission decided to file, its application (filed), an office request with a file, its answer, an
    event with a document and the docket's tasks."""
    from ridbook.prosecution import services as ps
    from ridbook.registry.choices import RidStatus

    filing = rs.rid_create(actor=author, organization=department, kind="invention", title=f"Устройство {tag}", **NOTICE)
    Rid.objects.filter(pk=filing.pk).update(status=RidStatus.FILING, protection_form="invention")
    filing.refresh_from_db()
    for kind in ("notice", "application_form", "patent_search_report"):  # what filing asks for
        PacketDocument.objects.create(rid=filing, kind=kind, file=SimpleUploadedFile(f"{kind}.txt", b"document"))
    today = timezone.localdate()
    application = ps.application_create(
        actor=officer,
        rid=filing,
        office="RU",
        signatory=officer,
        number=f"2026{tag}",
        filed_on=today - timedelta(days=90),
        attorney_name=f"Поверенный {tag}",
    )
    request = ps.letter_receive(
        actor=officer,
        application=application,
        kind="request",
        number=f"Запрос {tag}",
        received_on=today - timedelta(days=30),
        term=today + timedelta(days=60),
        file=SimpleUploadedFile("request.txt", f"запрос {tag}".encode(), content_type="text/plain"),
    )
    answered = ps.letter_receive(
        actor=officer,
        application=application,
        kind="request",
        number=f"Второй запрос {tag}",
        received_on=today - timedelta(days=20),
        term=today + timedelta(days=70),
    )
    answer = ps.answer_send(actor=officer, letter=answered, sent_on=today - timedelta(days=2), number=f"Ответ {tag}")
    event = ps.event_record(
        actor=officer,
        application=application,
        code="substantive_exam_requested",
        on=today - timedelta(days=10),
        note=f"Ходатайство {tag}",
        file=SimpleUploadedFile("petition.txt", f"ходатайство {tag}".encode(), content_type="text/plain"),
    )
    return {
        "filing_rid": filing,
        "application": application,
        "request": request,
        "answer": answer,
        "event": event,
        "task": application.tasks.get(key__endswith=f":{request.pk}"),
    }


def _protection(
    tag: str, slug: str, root: Organization, department: Organization, author: Any, officer: Any, secretary: Any
) -> dict[str, object]:
    """A RID decided for filing, its patent (held with an outside party named with the tag), a row of the fee
    table, the first fee paid, an event and the commission's upkeep decision."""
    from ridbook.protection import services as ps

    protected = rs.rid_create(actor=author, organization=department, kind="invention", title=f"Патент {tag}", **NOTICE)
    Rid.objects.filter(pk=protected.pk).update(status="filing")
    rate = ps.fee_rate_add(
        actor=officer,
        organization=root,
        kind="invention",
        basis="year",
        first=1,
        last=25,
        amount=Decimal("1000"),
        valid_from=date(2000, 1, 1),
        source=f"источник {tag}",
    )
    document = ps.document_create(
        actor=officer,
        rid=protected,
        kind="invention",
        number=f"27{ord(slug[0])}001",
        filing_date=date(2021, 2, 1),
        granted_on=date(2023, 5, 2),
        original_location=f"сейф {tag}",
        holders=[
            ps.HolderInput(share=Decimal("50")),
            ps.HolderInput(share=Decimal("50"), kind="other", name=f"ООО «{tag}»"),
        ],
    )
    due = document.fees.order_by("number").first()
    assert due is not None
    payment = ps.payment_record(
        actor=officer, due=due, paid_on=due.due_on, amount=Decimal("1000"), order_number=f"п/п {tag}"
    )
    event = ps.event_record(actor=officer, document=document, kind="extended", on=date(2024, 1, 10), years=1, note=tag)
    ps.upkeep_decide(actor=secretary, document=document, year=2025, keep=True, on=date(2025, 1, 20), label=tag)
    return {
        "protected": protected,
        "document": document,
        "due": due,
        "payment": payment,
        "document_event": event,
        "rate": rate,
    }


def _trade_secret(tag: str, root: Organization, department: Organization, users: dict[Role, User]) -> dict[str, object]:
    """A know-how in the regime of trade secret (issue 14), in force, its IP officer on the access list; a numbered
    copy, a use order, a transfer contract, and the year's inventory of the university."""
    from ridbook.tradesecret.services import copies as ts_copies
    from ridbook.tradesecret.services import inventory as ts_inventory
    from ridbook.tradesecret.services import regime as ts
    from ridbook.tradesecret.services import use as ts_use

    rid = rs.rid_create(
        actor=users[Role.IP_OFFICER],
        organization=department,
        kind="know_how",
        title=f"Ноу-хау {tag}",
        abstract=f"Секрет производства {tag}",
    )
    regime = ts.present(actor=users[Role.DIVISION_HEAD], rid=rid)
    today = timezone.localdate()
    ts.record_council_decision(
        actor=users[Role.IP_OFFICER], regime=regime, outcome="protect", protocol_number="1", decided_on=today
    )
    ts.approve(
        actor=users[Role.APPROVER],
        regime=regime,
        approval=ts.Approval(
            approved=True,
            approved_on=today,
            access_list=(users[Role.IP_OFFICER],),
            storage_place=f"сейф {tag}",
            storage_medium="paper",
            copy_limit=3,
            holder_name=f"Университет {tag}",
            holder_address=f"г. Воронеж, ул. {tag}, 2",
        ),
    )
    officer, head = users[Role.IP_OFFICER], users[Role.APPROVER]
    order = ts_use.order_record(
        actor=officer, regime=regime, number=f"Р-{tag}", signed_on=today, signed_by=head, use=f"опыт {tag}"
    )
    contract = ts_use.contract_record(
        actor=officer,
        regime=regime,
        use_order=order,
        counterparty_name=f"ООО «Получатель {tag}»",
        counterparty_inn="7707083893",
        number=f"Д-{tag}",
        signed_on=today,
        registration_number=f"РД-{tag}",
        confidentiality="не раскрывать",
        scope=f"лицензия {tag}",
    )
    copy = ts_copies.copy_make(
        actor=officer, regime=regime, medium="paper", purpose=f"испытания {tag}", issued_to=officer
    )
    inventory = ts_inventory.inventory_open(actor=officer, organization=root, year=today.year)
    return {
        "trade_secret_rid": rid,
        "trade_secret_regime": regime,
        "regime": regime,
        "use_order": order,
        "contract": contract,
        "copy": copy,
        "inventory": inventory,
        "inventory_entry": inventory.entries.get(),
    }
