"""Demo RIDs in every notice state, made through the registry services (so the history is real)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from ridbook.accounts.models import User
from ridbook.organizations.models import Organization
from ridbook.registry import services as s
from ridbook.registry.models import Person, Rid


def _person(
    officer: User, user: User | None, org: Organization, last: str, first: str, middle: str, snils: str
) -> Person:
    existing = Person.objects.filter(snils=s.v.snils_normalize(snils)).first()
    return existing or s.person_save(
        actor=officer,
        last_name=last,
        first_name=first,
        middle_name=middle,
        snils=snils,
        organization=org,
        user=user,
        position="доцент",
    )


def demo_rids() -> int:
    if Rid.objects.exists():
        return 0
    officer = User.objects.get(username="ipofficer")
    author = User.objects.get(username="author")
    cad = Organization.objects.get(short_name="Кафедра САПР")
    ivanov = _person(officer, author, cad, "Иванов", "Пётр", "Сергеевич", "112-233-445 95")
    petrova = _person(officer, None, cad, "Петрова", "Анна", "Викторовна", "001-019-989 00")
    common = {"keywords": ["диагностика", "рельс"], "okpd2": "62.01.11.000"}

    def make(kind: str, title: str, purpose: str, abstract: str, **extra: object) -> Rid:
        rid = s.rid_create(
            actor=author,
            organization=cad,
            kind=kind,
            title=title,
            purpose=purpose,
            abstract=abstract,
            **{**common, **extra},
        )
        s.rid_set_authors(
            actor=author,
            rid=rid,
            authors=[
                s.AuthorInput(ivanov, Decimal("60"), hours=120, contribution="идея и алгоритм"),
                s.AuthorInput(petrova, Decimal("40"), hours=80, contribution="экспериментальная проверка"),
            ],
        )
        return rid

    make(
        "invention",
        "Способ ультразвуковой диагностики рельсов",
        "Раннее выявление дефектов рельсов",
        "Способ выявления внутренних дефектов рельсов по ультразвуковому сигналу с адаптивным порогом.",
        ipc_codes=["G01N 29/04"],
    )
    submitted = make(
        "software",
        "Программа расчёта остаточного ресурса рельсов",
        "Планирование замены рельсов",
        "Программа рассчитывает остаточный ресурс рельсов по данным путеизмерителя.",
    )
    s.notice_submit(actor=author, rid=submitted)
    returned = make(
        "database",
        "База данных дефектов рельсов",
        "Учёт дефектов",
        "База данных содержит сведения о дефектах рельсов и условиях их появления.",
    )
    s.notice_submit(actor=author, rid=returned)
    s.notice_receive(actor=officer, rid=returned)
    s.notice_return(actor=officer, rid=returned, reasons="Нет соглашения соавторов о распределении вознаграждения.")
    accepted = make(
        "utility_model",
        "Датчик износа головки рельса",
        "Контроль износа",
        "Датчик измеряет вертикальный износ головки рельса.",
        published=True,
        publication_date=date(2026, 9, 15),
        publication_sources="Вестник ВГТУ, 2026, № 3",
    )
    s.notice_submit(actor=author, rid=accepted)
    s.notice_receive(actor=officer, rid=accepted)
    for kind in ("notice", "application_form", "patent_search_report", "coauthors_agreement"):
        s.packet_upload(actor=officer, rid=accepted, kind=kind, file=ContentFile(b"demo document", name=f"{kind}.txt"))  # type: ignore[arg-type]
    s.state_secret_record(
        actor=officer,
        rid=accepted,
        number="17",
        date=date(2026, 10, 20),
        commission="Председатель: Соколов Д. А.; эксперты: Попов И. Н., Лебедева М. И.",
        outcome="no_secret_publishable",
    )
    s.export_control_record(
        actor=officer,
        rid=accepted,
        number="9",
        date=date(2026, 10, 22),
        outcome="no_similarity",
        conclusion="no_permits",
    )
    s.notice_accept(actor=officer, rid=accepted)
    return Rid.objects.count()
