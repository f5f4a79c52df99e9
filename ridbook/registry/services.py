"""Writes of the registry: people, RIDs, authorship, the notice workflow, the packet, the two clearances.

Every function checks the permission (and the registry's object rules), validates with ``validation.py``, writes
atomically and records a readable event. Views, the API, the importer and the demo call only these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ridbook.accounts.permissions import (
    Action,
    can,
    entity_scope,
    in_scope_of,
    is_colleague,
    require,
    require_target,
    scope_ids_for,
)
from ridbook.audit.context import acting_as
from ridbook.core.errors import DomainError, PermissionDeniedError, invalid
from ridbook.core.uploads import UploadRefused, check_upload, document_limits
from ridbook.registry import validation as v
from ridbook.registry.choices import (
    CONTROL_LISTS,
    EDITABLE_BY_AUTHORS,
    InitiativeAgreement,
    NoticeEventKind,
    Origin,
    PacketDocumentKind,
    RidKind,
    RidStatus,
)
from ridbook.registry.models import (
    Authorship,
    Contribution,
    ExportControlAct,
    NoticeEvent,
    PacketDocument,
    Person,
    Rid,
    StateSecretConclusion,
)
from ridbook.registry.search import lemma_text, number_tails

PERSON_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "death_date",
    "citizenship",
    "organization",
    "workplace",
    "position",
    "address",
    "phone",
    "email",
    "inn",
    "snils",
    "degree",
    "researcher_id",
    "scopus_id",
    "orcid",
    "user",
)
RID_FIELDS = (
    "kind",
    "other_subtype",
    "title",
    "origin",
    "employer_resources_used",
    "initiative_agreement",
    "organization",
    "purpose",
    "funding_kind",
    "funding_other",
    "funding_agreement_number",
    "funding_agreement_date",
    "internal_project_number",
    "rnd_title",
    "rnd_leader",
    "rnd_registration_number",
    "customer_full_name",
    "customer_short_name",
    "customer_founder",
    "customer_ogrn",
    "customer_okopf",
    "rights_allocation",
    "keywords",
    "abstract",
    "uses",
    "prototypes_count",
    "useful_life_years",
    "core_facility_used",
    "core_facility_name",
    "okpd2",
    "grnti_codes",
    "oecd_code",
    "ipc_codes",
    "trade_secret",
    "published",
    "publication_date",
    "publication_sources",
    "learned_on",
)


_invalid = invalid


# --- people ---------------------------------------------------------------------------------------------------


def person_errors(person: Person) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not person.last_name.strip():
        errors["last_name"] = _("Укажите фамилию.")
    if not person.first_name.strip():
        errors["first_name"] = _("Укажите имя.")
    for name, check in (("inn", v.person_inn_error), ("snils", v.snils_error)):
        if (msg := check(getattr(person, name))) is not None:
            errors[name] = msg
    birth = person.birth_date
    if birth is not None and (msg := v.past_date_error(birth, _("Дата рождения"), timezone.localdate())) is not None:
        errors["birth_date"] = msg
    death = person.death_date
    if death is not None:
        if (msg := v.past_date_error(death, _("Дата смерти"), timezone.localdate())) is not None:
            errors["death_date"] = msg
        elif birth is not None and death < birth:
            errors["death_date"] = _("Дата смерти не может быть раньше даты рождения.")
    return errors


def _duplicate_of(person: Person) -> Person | None:
    """A person with the same СНИЛС or ИНН kept in the same legal entity (never looked for in another tree)."""
    condition = Q()
    if person.snils:
        condition |= Q(snils=person.snils)
    if person.inn:
        condition |= Q(inn=person.inn)
    if not condition:
        return None
    scope = entity_scope(person.organization)
    return Person.objects.filter(condition, organization_id__in=scope).exclude(pk=person.pk).first()


def _require_person_keeper(actor: Any, person: Person | None, organization: Any) -> None:
    """People are kept by those who prepare notices, in the legal entities of their roles; a person of another
    tree is «not found», and so is a target organization outside the actor's reach."""
    require(actor, Action.NOTICE_DRAFT)
    scope = scope_ids_for(actor)
    for org_id in {getattr(person, "organization_id", None), getattr(organization, "pk", None)} - {None}:
        if scope is not None and org_id not in scope:
            raise DomainError(
                _("Организация или человек не найдены среди доступных вам."), code="not_found", status=404
            )


def person_save(*, actor: Any, person: Person | None = None, outsider_of: Any = None, **fields: Any) -> Person:
    """Create a person, or update one. A second person with the same СНИЛС or ИНН in the same legal entity is
    refused with a link to the first.

    ``outsider_of``: the RID's organization, for a co-author from outside (no division of ours given): he is kept
    there as an external person, and his workplace is required."""
    outsider = outsider_of is not None and fields.get("organization") is None
    if outsider:
        fields["organization"] = outsider_of
    _require_person_keeper(actor, person, fields.get("organization"))
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = person or Person()
    for name, value in fields.items():
        setattr(person, name, value)
    if person.snils:
        person.snils = v.snils_normalize(person.snils)
    errors = person_errors(person)
    if person.organization_id is None:
        errors["organization"] = _("Укажите подразделение (для внешнего соавтора — его место работы).")
    if outsider and not person.workplace.strip():
        errors["workplace"] = _("Для соавтора вне организации укажите место работы.")
    if (
        person.user_id is not None
        and person.organization_id is not None
        and not is_colleague(person.user, person.organization)
    ):
        errors["user"] = _("Пользователь не найден среди работников этой организации.")
    if errors:
        raise _invalid(errors, _("Человек не сохранён"))
    existing = _duplicate_of(person)
    if existing is not None:
        by = _("СНИЛС") if person.snils and existing.snils == person.snils else _("ИНН")
        raise DomainError(
            (
                _("Такой человек уже есть в реестре (%(by)s): %(full_name)s. Выберите его, а не создавайте заново.")
                % {"by": by, "full_name": existing.full_name}
            ),
            code="duplicate_person",
            details={"person_id": existing.pk, "url": f"/registry/people/{existing.pk}/"},
        )
    with transaction.atomic(), acting_as(actor):
        person.save()
    return person


# --- RIDs -----------------------------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"РИД-{year}-"  # i18n: ru-only (the registry number format, stored data)
    last = (
        Rid.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")  # «…-100000» after «…-99999»
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def rid_field_errors(rid: Rid, today: date) -> dict[str, str]:
    """Rules that hold for every saved RID, draft included."""
    errors: dict[str, str] = {}
    if not rid.title.strip():
        errors["title"] = _("Укажите наименование РИД.")
    if rid.kind == RidKind.OTHER and not rid.other_subtype.strip():
        errors["other_subtype"] = _("Для иного РИД укажите его вид (например, топология ИМС, методика).")
    checks = {
        "abstract": v.abstract_error(rid.abstract),
        "okpd2": v.okpd2_error(rid.okpd2),
        "ipc_codes": v.ipc_error(rid.ipc_codes, rid.kind),
        "customer_ogrn": v.ogrn_error(rid.customer_ogrn),
        "funding_agreement_date": v.past_date_error(rid.funding_agreement_date, _("Дата договора"), today),
        "publication_date": v.past_date_error(rid.publication_date, _("Дата публикации"), today),
        "learned_on": v.past_date_error(rid.learned_on, _("Дата, когда стало известно о РИД"), today),
    }
    errors.update({k: msg for k, msg in checks.items() if msg})
    if len([k for k in rid.keywords if str(k).strip()]) > v.KEYWORDS_MAX:
        errors["keywords"] = v.keywords_error(rid.keywords) or ""
    if rid.customer_okopf and not (rid.customer_okopf.isdigit() and len(rid.customer_okopf) == 5):
        errors["customer_okopf"] = _("Код ОКОПФ «%(code)s» должен состоять из 5 цифр.") % {"code": rid.customer_okopf}
    if rid.origin == Origin.SERVICE and rid.initiative_agreement != InitiativeAgreement.NONE:
        errors["initiative_agreement"] = _(
            "Договор о лицензии или возмещении затрат оформляется только для инициативного РИД."
        )
    if rid.funding_kind == "other" and not rid.funding_other.strip():
        errors["funding_other"] = _("Укажите, какое иное финансирование.")
    if rid.core_facility_used and not rid.core_facility_name.strip():
        errors["core_facility_name"] = _("Укажите, оборудование какого ЦКП использовано.")
    errors.update(
        v.publication_error(rid.published, rid.publication_date, rid.publication_sources)
        if rid.status != RidStatus.DRAFT
        else {}
    )
    return _without_sealed(rid, errors)


def _without_sealed(rid: Rid, errors: dict[str, str]) -> dict[str, str]:
    """A trade secret's content is kept encrypted, its columns blank (issue 14): a field present there is not
    missing."""
    from ridbook.tradesecret.sealing import CONTENT_ERROR_KEYS, sealed_fields_present

    if rid.pk is None or not CONTENT_ERROR_KEYS.intersection(errors):
        return errors
    present = sealed_fields_present(rid.pk)
    return {k: msg for k, msg in errors.items() if k not in present}


# the fields a notice must have to be submitted (besides the authors): the form marks them
REQUIRED_TO_SUBMIT = frozenset({"purpose", "keywords", "abstract"})


def _completeness_errors(rid: Rid) -> dict[str, str]:
    """What a notice must have to be submitted (TPU appendix 2)."""
    errors: dict[str, str] = {}
    if not rid.purpose.strip():
        errors["purpose"] = _("Укажите назначение РИД (решаемую задачу).")
    if (msg := v.keywords_error(rid.keywords)) is not None:
        errors["keywords"] = msg
    if not rid.abstract.strip():
        errors["abstract"] = _("Заполните реферат (для программ и БД: назначение, область применения, функции).")
    errors.update(v.publication_error(rid.published, rid.publication_date, rid.publication_sources))
    if (
        rid.origin == Origin.INITIATIVE
        and rid.employer_resources_used
        and (rid.initiative_agreement == InitiativeAgreement.NONE)
    ):
        errors["initiative_agreement"] = _(
            "Инициативный РИД создан с использованием средств работодателя: выберите безвозмездную лицензию "
            "работодателю или договор о возмещении затрат."
        )
    coefficients = list(rid.authorships.values_list("coefficient", flat=True))
    if (msg := v.coefficients_error(coefficients)) is not None:
        errors["authors"] = msg
    return _without_sealed(rid, errors)


def _require_editor(actor: Any, rid: Rid) -> None:
    from ridbook.registry.selectors import is_author

    if rid.status not in EDITABLE_BY_AUTHORS:
        raise DomainError(
            (
                _("Уведомление в статусе «%(status)s» изменить нельзя: его уже рассматривают.")
                % {"status": RidStatus(rid.status).label}
            ),
            code="wrong_state",
        )
    if can(actor, Action.NOTICE_REVIEW, rid.organization):
        return
    require(actor, Action.NOTICE_DRAFT, rid.organization)
    if not (is_author(actor, rid) or rid.created_by_id == actor.pk):
        raise PermissionDeniedError(_("Изменять уведомление могут только его авторы и подразделение по ИС."))


def _apply(rid: Rid, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(RID_FIELDS)
    if unknown:
        raise TypeError(f"unknown RID fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name in ("keywords", "grnti_codes", "ipc_codes") and isinstance(value, str):
            value = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
        setattr(rid, name, value)


def refresh_search(rid: Rid) -> None:
    surnames = " ".join(Authorship.objects.filter(rid=rid).values_list("person__last_name", flat=True))
    keywords = " ".join(map(str, rid.keywords))
    text = lemma_text(
        rid.title,
        rid.abstract,
        keywords,
        surnames,
        rid.number,
        rid.state_registration_number,
        *number_tails(rid.number),
    )
    Rid.objects.filter(pk=rid.pk).update(search_lemmas=f" {text} ")
    rid.search_lemmas = f" {text} "


def rid_create(*, actor: Any, organization: Any, kind: str, title: str, **fields: Any) -> Rid:
    """A new RID with its notice in draft."""
    require(actor, Action.NOTICE_DRAFT, organization)
    rid = Rid(organization=organization, kind=kind, title=title, created_by=actor if actor.pk else None)
    _apply(rid, fields)
    errors = rid_field_errors(rid, timezone.localdate())
    if errors:
        raise _invalid(errors, _("РИД не сохранён"))
    for _attempt in range(5):
        try:
            with transaction.atomic(), acting_as(actor):
                rid.number = _next_number(timezone.localdate().year)
                rid.save()
                _event(rid, NoticeEventKind.CREATED, actor)
                _author_of_own_notice(actor, rid)
                refresh_search(rid)
                return rid
        except IntegrityError:
            rid.pk = None
            continue
    raise DomainError(_("Не удалось присвоить учётный номер, повторите попытку."), code="conflict")


def _require_move(actor: Any, rid: Rid, target: Any) -> None:
    """A RID moved to another organization: the actor must be allowed there too, and it stays in its legal entity
    (a transfer to another legal entity is a transfer of rights, not an edit)."""
    if target is None or target.pk == rid.organization_id:
        return
    action = Action.NOTICE_REVIEW if can(actor, Action.NOTICE_REVIEW, rid.organization) else Action.NOTICE_DRAFT
    require_target(actor, action, target)
    if not in_scope_of(rid.organization, target.pk):
        raise DomainError(
            _("РИД нельзя перенести в другое юридическое лицо: это передача прав, а не исправление уведомления."),
            code="invalid",
            details={"fields": {"organization": _("другое юридическое лицо")}},
        )


def _author_of_own_notice(actor: Any, rid: Rid) -> None:
    """An author who writes his own notice is its first author (100 % until he adds co-authors); the IP
    department writing one for someone else names the authors itself."""
    from ridbook.registry.selectors import person_of

    if can(actor, Action.NOTICE_REVIEW, rid.organization):
        return
    person = person_of(actor)
    if person is not None and in_scope_of(rid.organization, person.organization_id):
        Authorship.objects.create(rid=rid, person=person, coefficient=Decimal("100"), order=0)


def rid_update(*, actor: Any, rid: Rid, **fields: Any) -> Rid:
    with transaction.atomic(), acting_as(actor):
        rid = Rid.objects.select_for_update().get(pk=rid.pk)
        _require_editor(actor, rid)
        _require_move(actor, rid, fields.get("organization"))
        _apply(rid, fields)
        errors = rid_field_errors(rid, timezone.localdate())
        if errors:
            raise _invalid(errors)
        rid.save()
        refresh_search(rid)
    return rid


def _remove_files(files: list[Any]) -> None:
    for file in files:
        file.delete(save=False)


def rid_delete_draft(*, actor: Any, rid: Rid) -> str:
    """Delete a draft that was never submitted: by its authors or whoever created it (and the IP department).

    Its authorships, events and packet go with it; every row deleted is journaled (the change log keeps what it
    was). Returns the number it had, for the message."""
    with transaction.atomic(), acting_as(actor):
        rid = Rid.objects.select_for_update().get(pk=rid.pk)
        _require_editor(actor, rid)
        if rid.status != RidStatus.DRAFT:
            raise DomainError(
                (
                    _(
                        "Удалить можно только черновик. Уведомление в статусе «%(status)s» остаётся в реестре: его можно вернуть на доработку."
                    )
                    % {"status": RidStatus(rid.status).label}
                ),
                code="wrong_state",
            )
        from ridbook.tradesecret.guards import refuse_deleting_a_regime_rid

        refuse_deleting_a_regime_rid(rid)  # a RID presented to the council is kept (issue 14)
        files = [doc.file for doc in rid.packet.all()]
        number = rid.number
        rid.delete()
        transaction.on_commit(lambda: _remove_files(files))
    return number


@dataclass
class AuthorInput:
    person: Person
    coefficient: Decimal
    hours: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    contribution: str = ""
    basis: str = "job_duties"
    basis_other: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def rid_set_authors(*, actor: Any, rid: Rid, authors: Sequence[AuthorInput]) -> list[Authorship]:
    """Replace the authors of a RID. Coefficients must add up to exactly 100 %."""
    _require_editor(actor, rid)  # permission first: a refused user learns nothing from the validation
    for a in authors:
        require_person_of(rid, a.person)
    errors: dict[str, str] = {}
    if (msg := v.coefficients_error([a.coefficient for a in authors])) is not None:
        errors["authors"] = msg
    people = [a.person.pk for a in authors]
    if len(set(people)) != len(people):
        errors["authors"] = _("Один и тот же человек указан автором дважды.")
    contributors = set(
        Contribution.objects.filter(rid=rid, person_id__in=people).values_list("person__last_name", flat=True)
    )
    if contributors:
        errors["authors"] = _(
            "%(list)s указан(ы) как содействующие этому РИД: содействующий не может быть автором того же РИД."
        ) % {"list": ", ".join(sorted(contributors))}
    for a in authors:
        if a.period_start and a.period_end and a.period_start > a.period_end:
            errors["authors"] = _("%(name)s: начало периода работы позже его окончания.") % {
                "name": a.person.short_name
            }
        if a.basis == "other" and not a.basis_other.strip():
            errors["authors"] = _("%(name)s: укажите иное основание участия.") % {"name": a.person.short_name}
    if errors:
        raise _invalid(errors, _("Авторы не сохранены"))
    with transaction.atomic(), acting_as(actor):
        rid = Rid.objects.select_for_update().get(pk=rid.pk)
        _require_editor(actor, rid)
        rid.authorships.all().delete()
        rows = [
            Authorship.objects.create(
                rid=rid,
                person=a.person,
                coefficient=a.coefficient,
                hours=a.hours,
                period_start=a.period_start,
                period_end=a.period_end,
                contribution=a.contribution,
                basis=a.basis,
                basis_other=a.basis_other,
                order=i,
            )
            for i, a in enumerate(authors)
        ]
        refresh_search(rid)
    return rows


def require_person_of(rid: Rid, person: Person) -> None:
    """An author or contributor of ``rid`` is a person kept in its legal entity (an outsider is recorded there as
    an external person). Another tree's person is «not found»: neither his name nor his existence is told."""
    if not in_scope_of(rid.organization, person.organization_id):
        raise DomainError(
            _(
                "Человек не найден среди людей организации этого РИД. Внешнего соавтора добавьте как нового человека "
                "с местом работы."
            ),
            code="not_found",
            status=404,
            details={"fields": {"person": _("не найден")}},
        )


def rid_add_contributor(*, actor: Any, rid: Rid, person: Person, assistance: str) -> Contribution:
    _require_editor(actor, rid)  # permission first: a refused user learns nothing from the validation
    require_person_of(rid, person)
    if not assistance.strip():
        raise _invalid({"assistance": _("Опишите характер содействия (техническое, организационное, консультации…).")})
    if Authorship.objects.filter(rid=rid, person=person).exists():
        raise DomainError(
            (_("%(name)s — автор этого РИД и не может быть указан как содействующий.") % {"name": person.short_name}),
            code="invalid",
            details={"fields": {"person": _("автор не может быть содействующим")}},
        )
    with transaction.atomic(), acting_as(actor):
        _require_editor(actor, Rid.objects.select_for_update().get(pk=rid.pk))
        try:
            with transaction.atomic():
                return Contribution.objects.create(rid=rid, person=person, assistance=assistance)
        except IntegrityError:
            raise DomainError(
                (_("%(name)s уже указан как содействующий.") % {"name": person.short_name}),
                code="duplicate",
            ) from None


# --- the notice workflow ----------------------------------------------------------------------------------------


def _event(rid: Rid, kind: str, actor: Any, reasons: str = "") -> NoticeEvent:
    label = actor.get_username() if getattr(actor, "pk", None) else str(actor)
    return NoticeEvent.objects.create(
        rid=rid, kind=kind, actor=actor if getattr(actor, "pk", None) else None, actor_label=label, reasons=reasons
    )


def _transition(rid: Rid, allowed_from: set[str], to: str) -> None:
    if rid.status not in allowed_from:
        raise DomainError(
            (
                _("Нельзя перевести уведомление из статуса «%(old)s» в «%(new)s».")
                % {"old": RidStatus(rid.status).label, "new": RidStatus(to).label}
            ),
            code="wrong_state",
        )
    rid.status = to


def notice_submit(*, actor: Any, rid: Rid) -> Rid:
    """Автор подаёт уведомление (из черновика или после доработки)."""
    with transaction.atomic(), acting_as(actor):
        rid = Rid.objects.select_for_update().get(pk=rid.pk)
        from ridbook.registry.selectors import is_author

        require(actor, Action.NOTICE_SUBMIT, rid.organization)
        if not (is_author(actor, rid) or rid.created_by_id == actor.pk):
            raise PermissionDeniedError(_("Подать уведомление может только один из авторов РИД."))
        errors = {**rid_field_errors(rid, timezone.localdate()), **_completeness_errors(rid)}
        if errors:
            raise _invalid(errors, _("Уведомление не подано"))
        _transition(rid, {RidStatus.DRAFT, RidStatus.RETURNED}, RidStatus.SUBMITTED)
        rid.submitted_at = timezone.now()
        rid.save()
        _event(rid, NoticeEventKind.SUBMITTED, actor)
    return rid


def notice_receive(*, actor: Any, rid: Rid, received_on: date | None = None) -> Rid:
    """Подразделение по ИС ставит дату поступления и начинает проверку комплектности."""
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise _invalid(
            {
                "received_on": (
                    _("Дата поступления не может быть в будущем (%(received_on)s).")
                    % {"received_on": f"{received_on:%d.%m.%Y}"}
                )
            }
        )
    with transaction.atomic(), acting_as(actor):
        rid = Rid.objects.select_for_update().get(pk=rid.pk)
        require(actor, Action.NOTICE_REVIEW, rid.organization)
        _transition(rid, {RidStatus.SUBMITTED}, RidStatus.UNDER_CHECK)
        if rid.received_on is None:  # the first receipt starts the deadlines; a resubmission keeps it
            rid.received_on = received_on
        if rid.learned_on is None:
            rid.learned_on = received_on
        rid.save()
        _event(rid, NoticeEventKind.RECEIVED, actor)
    return rid


def notice_return(*, actor: Any, rid: Rid, reasons: str) -> Rid:
    """Возврат на доработку с причинами (RZD §7.1)."""
    if not reasons.strip():
        raise _invalid({"reasons": _("Укажите причины возврата: что не так и что нужно исправить.")})
    with transaction.atomic(), acting_as(actor):
        rid = Rid.objects.select_for_update().get(pk=rid.pk)
        require(actor, Action.NOTICE_REVIEW, rid.organization)
        _transition(rid, {RidStatus.SUBMITTED, RidStatus.UNDER_CHECK}, RidStatus.RETURNED)
        rid.save()
        _event(rid, NoticeEventKind.RETURNED, actor, reasons.strip())
    return rid


PACKET_STAGES = {
    "acceptance": gettext_lazy("к приёму уведомления"),
    "commission": gettext_lazy("к рассмотрению комиссией"),
    "filing": gettext_lazy("к подаче заявки"),
}


def packet_policy(rid: Rid) -> Any:
    """The packet section of the RID's organization's policy; the common practice (ru-default) where its rules are
    silent (listed as not covered)."""
    from ridbook.organizations.selectors import organization_policy
    from ridbook.policies.loader import get_policy

    packet = organization_policy(rid.organization).packet
    return packet if packet is not None else get_policy("ru-default").packet


def packet_required(rid: Rid, stage: str) -> list[str]:
    """The documents (kinds) the packet must hold at ``stage``: its rules and those of the stages before it."""
    policy = packet_policy(rid)
    coauthors = rid.authorships.count() > 1
    required: list[str] = []
    for name in PACKET_STAGES:
        for rule in getattr(policy, name):
            applies = (rule.rid_kinds is None or rid.kind in rule.rid_kinds) and (rule.when == "always" or coauthors)
            if applies and rule.document not in required:
                required.append(rule.document)
        if name == stage:
            return required
    raise ValueError(f"unknown packet stage: {stage}")


def packet_present(rid: Rid) -> set[str]:
    """The kinds the packet holds: uploaded, and the notice that ridbook makes itself once the RID has authors."""
    present = set(rid.packet.values_list("kind", flat=True))
    if rid.authorships.exists():
        present.add(PacketDocumentKind.NOTICE)  # generated (registry.documents): no need to upload it back
    return present


def missing_packet_documents(rid: Rid, stage: str = "acceptance") -> list[str]:
    present = packet_present(rid)
    return [str(PacketDocumentKind(k).label) for k in packet_required(rid, stage) if k not in present]


def packet_by_stage(rid: Rid) -> dict[str, list[str]]:
    """What is still missing for each stage (labels), in the order of the stages."""
    return {stage: missing_packet_documents(rid, stage) for stage in PACKET_STAGES}


def notice_accept(*, actor: Any, rid: Rid) -> Rid:
    """Пакет полон: уведомление принято и поставлено в очередь комиссии."""
    with transaction.atomic(), acting_as(actor):
        rid = Rid.objects.select_for_update().get(pk=rid.pk)
        require(actor, Action.NOTICE_REVIEW, rid.organization)
        _transition(rid, {RidStatus.UNDER_CHECK}, RidStatus.ACCEPTED)
        missing = missing_packet_documents(rid, "acceptance")
        if missing:
            raise DomainError(
                _("Пакет неполон для приёма уведомления, не хватает: %(list)s.") % {"list": "; ".join(missing)},
                code="packet_incomplete",
                details={"missing": missing},
            )
        rid.accepted_on = timezone.localdate()
        rid.save()
        _event(rid, NoticeEventKind.ACCEPTED, actor)
    return rid


def packet_upload(*, actor: Any, rid: Rid, kind: str, file: UploadedFile) -> PacketDocument:
    """One file of the packet: ``packet_upload_many`` with one file (its refusal said as before, without its name)."""
    return packet_upload_many(actor=actor, rid=rid, files=[(kind, file)])[0]


def _packet_file_refusal(file: UploadedFile) -> str | None:
    """Why one file is not taken (empty, too big, a «zip-бомба»), or None."""
    if not file.size:
        return str(_("Файл пуст."))
    try:
        check_upload(file, document_limits())  # size; a .docx/.xlsx that is a «zip-бомба»
    except UploadRefused as exc:
        return exc.message
    return None


def packet_upload_many(*, actor: Any, rid: Rid, files: Sequence[tuple[str, UploadedFile]]) -> list[PacketDocument]:
    """Several files of the packet at once, each (kind, file) checked as a single one; all or nothing: when one is
    refused nothing is stored and the message names every refused file. Each document is journaled."""
    if not files:
        raise _invalid({"file": str(_("Выберите файл."))})
    unknown = sorted({kind for kind, _file in files if kind not in PacketDocumentKind.values})
    if unknown:
        raise _invalid({"kind": str(_("Неизвестный вид документа пакета: %(kinds)s.") % {"kinds": ", ".join(unknown)})})
    refused = [(kind, file, why) for kind, file in files if (why := _packet_file_refusal(file)) is not None]
    if refused and len(files) == 1:
        kind, file, why = refused[0]
        code = "invalid" if not file.size else UploadRefused.code
        raise DomainError(why, code=code, details={"fields": {"file": why}, "refused": _refused_details(refused)})
    if refused:
        named = "; ".join(
            str(_("«%(name)s» — %(reason)s") % {"name": f.name, "reason": why.rstrip(".")}) for _k, f, why in refused
        )
        message = str(
            ngettext(
                "Ни один файл не загружен, не принят файл %(files)s.",
                "Ни один файл не загружен, не приняты файлы: %(files)s.",
                len(refused),
            )
            % {"files": named}
        )
        raise DomainError(
            message,
            code=UploadRefused.code,
            details={"fields": {"file": message}, "refused": _refused_details(refused)},
        )
    stored: list[PacketDocument] = []
    try:
        with transaction.atomic(), acting_as(actor):
            rid = Rid.objects.select_for_update().get(pk=rid.pk)
            if rid.status in EDITABLE_BY_AUTHORS:
                _require_editor(actor, rid)
            else:
                require(actor, Action.NOTICE_REVIEW, rid.organization)
            for kind, file in files:
                stored.append(
                    PacketDocument.objects.create(
                        rid=rid, kind=kind, file=file, uploaded_by=actor if actor.pk else None
                    )
                )
    except BaseException:
        for document in stored:  # the rows are rolled back; the files already written go too
            document.file.delete(save=False)
        raise
    return stored


def _refused_details(refused: Sequence[tuple[str, UploadedFile, str]]) -> list[dict[str, str]]:
    return [{"name": file.name or "", "kind": kind, "message": why} for kind, file, why in refused]


# --- clearances: state secret and export control ------------------------------------------------------------------


def state_secret_record(
    *,
    actor: Any,
    rid: Rid,
    number: str,
    date: date,
    commission: str,
    outcome: str,
    review_start: date | None = None,
    review_end: date | None = None,
) -> StateSecretConclusion:
    from ridbook.registry.choices import StateSecretOutcome

    require(actor, Action.NOTICE_REVIEW, rid.organization)
    today = timezone.localdate()
    errors = {}
    if not number.strip():
        errors["number"] = _("Укажите номер заключения.")
    if (msg := v.past_date_error(date, _("Дата заключения"), today)) is not None:
        errors["date"] = msg
    if not commission.strip():
        errors["commission"] = _("Укажите состав экспертной комиссии или ведущего эксперта.")
    if outcome not in StateSecretOutcome.values:
        errors["outcome"] = _("Выберите вывод заключения.")
    if review_start and review_end and review_start > review_end:
        errors["review_end"] = _("Окончание рассмотрения раньше его начала.")
    if errors:
        raise _invalid(errors, _("Заключение не сохранено"))
    with transaction.atomic(), acting_as(actor):
        obj, _created = StateSecretConclusion.objects.update_or_create(
            rid=rid,
            defaults={
                "number": number,
                "date": date,
                "commission": commission,
                "outcome": outcome,
                "review_start": review_start,
                "review_end": review_end,
            },
        )
    return obj


def export_control_record(
    *,
    actor: Any,
    rid: Rid,
    number: str,
    date: date,
    outcome: str,
    conclusion: str,
    lists_checked: Sequence[str] | None = None,
    description: str = "",
    outcome_details: str = "",
) -> ExportControlAct:
    from ridbook.registry.choices import ExportControlConclusion, ExportControlOutcome

    require(actor, Action.NOTICE_REVIEW, rid.organization)
    lists = list(lists_checked) if lists_checked is not None else [code for code, _ in CONTROL_LISTS]
    errors = {}
    if not number.strip():
        errors["number"] = _("Укажите номер акта.")
    if (msg := v.past_date_error(date, _("Дата акта"), timezone.localdate())) is not None:
        errors["date"] = msg
    if outcome not in ExportControlOutcome.values:
        errors["outcome"] = _("Выберите результат экспертизы.")
    if conclusion not in ExportControlConclusion.values:
        errors["conclusion"] = _("Выберите заключение.")
    unknown = set(lists) - {code for code, _ in CONTROL_LISTS}
    if unknown:
        errors["lists_checked"] = _("Неизвестные контрольные списки: %(list)s.") % {"list": ", ".join(sorted(unknown))}
    elif len(set(lists)) != len(CONTROL_LISTS):
        errors["lists_checked"] = _("Объект проверяется по всем шести контрольным спискам.")
    if outcome in (ExportControlOutcome.SIMILAR_NOT_MATCHING, ExportControlOutcome.SIMILARITY_FOUND) and not (
        outcome_details.strip()
    ):
        errors["outcome_details"] = _("При выявленном сходстве приведите обоснование или перечень позиций списков.")
    if outcome == ExportControlOutcome.SIMILARITY_FOUND and conclusion == ExportControlConclusion.NO_PERMITS:
        errors["conclusion"] = _(
            "Сходство с позициями списков выявлено: заключение «разрешения не требуются» невозможно."
        )
    if errors:
        raise _invalid(errors, _("Акт не сохранён"))
    with transaction.atomic(), acting_as(actor):
        obj, _created = ExportControlAct.objects.update_or_create(
            rid=rid,
            defaults={
                "number": number,
                "date": date,
                "outcome": outcome,
                "conclusion": conclusion,
                "lists_checked": lists,
                "description": description,
                "outcome_details": outcome_details,
            },
        )
    return obj
