"""The term of the exclusive right per kind of RID, from the policy's ``[protection_terms.*]``.

How a term is counted (Civil Code art. 191, 192 p. 1 and 3):

* a term «N years from the filing date D» begins the day after D (art. 191) and ends on the same month and day of
  the N-th year after (art. 192 p. 1); when that month has no such day (29 February in a common year) it ends on the
  month's last day (art. 192 p. 3). So an invention filed on 15.03.2005 is in force up to and including 15.03.2025,
  and one filed on 29.02.2004 up to 28.02.2024. ``Expiry.expires_on`` is that **last day in force**;
* software and databases (art. 1281): the author's life and 70 years counted from 1 January of the year after the
  year of death; for co-authors, the death of the last survivor. So the last day is 31 December of the year of that
  death + 70. While an author lives, or a death date is not known, the day is not determinable: ``expires_on`` is
  ``None`` and the note says why — never an invented date;
* know-how (art. 1467; RZD §4.3.6): while confidentiality lasts; the day it is lost (``disclosed_on``) ends it.

A policy whose rules do not cover terms (``protection_terms`` absent, e.g. ``tpu``) follows ``ru-default`` in force
on the filing date, and the note says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from ridbook.core.errors import DomainError
from ridbook.policies.schema import Policy, ProtectionTerm
from ridbook.protection.rules.defaults import default_policy

__all__ = ["KINDS_WITH_TERMS", "Expiry", "add_years", "expiry", "terms_of"]

KINDS_WITH_TERMS = ("invention", "utility_model", "industrial_design", "software", "database", "know_how")


@dataclass(frozen=True)
class Expiry:
    """When the exclusive right ends.

    ``expires_on``: the last day in force (``None``: not determinable, see ``note``); ``latest_possible``: the same
    with every renewal or extension the rule allows (``None`` when not determinable); ``rule``: the policy's row;
    ``verified``: whether that row was checked against the official text; ``note``: a Russian sentence naming the
    rule's source (and why there is no date, when there is none).
    """

    expires_on: date | None
    note: str
    latest_possible: date | None
    rule: ProtectionTerm
    verified: bool


def add_years(day: date, years: int) -> date:
    """The same month and day ``years`` later; 29 February → 28 February in a common year (art. 192 p. 3)."""
    year = day.year + years
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return date(year, 2, 28)


def terms_of(policy: Policy, *, on: date | None = None) -> tuple[Policy, bool]:
    """The policy whose ``protection_terms`` apply: ``policy`` itself, or ``ru-default`` in force on ``on`` when
    the organization's rules are silent (then the flag is True)."""
    if policy.protection_terms is not None:
        return policy, False
    return default_policy(on), True


def expiry(
    kind: str,
    *,
    policy: Policy,
    filing_date: date | None,
    renewals: int = 0,
    extension_years: int = 0,
    authors_death_dates: Sequence[date | None] = (),
    disclosed_on: date | None = None,
) -> Expiry:
    """The expiry of a right of ``kind`` (a RidKind value) under ``policy``.

    ``renewals``: renewals granted, for a rule renewed by steps (a design under ru-default: 5 + 5 × renewals, up to
    25); ``extension_years``: an extension granted under a rule without steps (an invention for medicines: up to 5
    more years; rzd-2013's utility model up to 3, design up to 10). ``authors_death_dates``: one entry per author of
    software or a database, ``None`` for an author alive or whose death date is not known. ``disclosed_on``: the day
    a know-how's confidentiality was lost. Bad input (negative or too many renewals, an unknown kind) is a
    DomainError.
    """
    if kind not in KINDS_WITH_TERMS:
        raise DomainError(_("Для вида РИД «%(kind)s» срок действия исключительного права не задан.") % {"kind": kind})
    source_policy, inherited = terms_of(policy, on=filing_date)
    terms = source_policy.protection_terms
    assert terms is not None
    rule: ProtectionTerm = getattr(terms, kind)
    source = rule.source
    if inherited:
        source = _("%(source)s (правила организации срок не устанавливают — применяется %(ref)s)") % {
            "source": source,
            "ref": source_policy.ref,
        }
    if rule.counted_from == "filing":
        return _from_filing(rule, source, filing_date, renewals, extension_years)
    if renewals or extension_years:
        raise DomainError(_("Срок этого вида РИД не продлевается."))
    if rule.counted_from == "january_after_death_of_last_author":
        return _after_death(rule, source, authors_death_dates)
    return _while_confidential(rule, source, disclosed_on)


def _from_filing(
    rule: ProtectionTerm, source: str, filing_date: date | None, renewals: int, extension_years: int
) -> Expiry:
    assert rule.years is not None
    if renewals < 0 or extension_years < 0:
        raise DomainError(_("Число продлений и срок продления не могут быть отрицательными."))
    if rule.extension_step_years is not None:
        if extension_years:
            raise DomainError(
                _("Срок по этому правилу продлевается на %(step)s г. за раз: укажите число продлений.")
                % {"step": rule.extension_step_years}
            )
        extension = renewals * rule.extension_step_years
    else:
        if renewals:
            raise DomainError(_("Это правило не знает продлений по шагам: укажите срок продления в годах."))
        extension = extension_years
    if extension > rule.max_extension_years:
        raise DomainError(
            _("Продление на %(years)s г. больше допустимого правилом (не более %(max)s): %(source)s")
            % {"years": extension, "max": rule.max_extension_years, "source": source}
        )
    if filing_date is None:
        return Expiry(
            None,
            _("не определяется: не указана дата подачи заявки (%(source)s)") % {"source": source},
            None,
            rule,
            rule.verified,
        )
    years = rule.years + extension
    expires_on = add_years(filing_date, years)
    if extension:
        note = _("%(years)s г. со дня подачи заявки, с продлением на %(extension)s г. (%(source)s)")
    else:
        note = _("%(years)s г. со дня подачи заявки (%(source)s)")
    return Expiry(
        expires_on,
        note % {"years": years, "extension": extension, "source": source},
        add_years(filing_date, rule.years + rule.max_extension_years),
        rule,
        rule.verified,
    )


def _after_death(rule: ProtectionTerm, source: str, deaths: Sequence[date | None]) -> Expiry:
    assert rule.years is not None
    if not deaths:
        reason = _("не определяется: не указан ни один автор (%(source)s)")
    elif any(d is None for d in deaths):
        reason = _("не определяется: автор жив или дата его смерти неизвестна (%(source)s)")
    else:
        reason = None
    if reason is not None:
        return Expiry(None, reason % {"source": source}, None, rule, rule.verified)
    last = max(d for d in deaths if d is not None)
    expires_on = date(last.year + rule.years, 12, 31)
    note = _("жизнь последнего из авторов (умер %(death)s) и %(years)s г. с 1 января следующего года (%(source)s)") % {
        "death": last.strftime("%d.%m.%Y"),
        "years": rule.years,
        "source": source,
    }
    return Expiry(expires_on, note, expires_on, rule, rule.verified)


def _while_confidential(rule: ProtectionTerm, source: str, disclosed_on: date | None) -> Expiry:
    if disclosed_on is None:
        return Expiry(
            None, _("пока сохраняется конфиденциальность (%(source)s)") % {"source": source}, None, rule, rule.verified
        )
    note = _("конфиденциальность утрачена %(day)s: право прекратилось (%(source)s)") % {
        "day": disclosed_on.strftime("%d.%m.%Y"),
        "source": source,
    }
    return Expiry(disclosed_on, note, disclosed_on, rule, rule.verified)
