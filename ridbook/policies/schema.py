"""Schema of a policy file ``ridbook/policies/data/<name>/v<N>.toml``.

Every model forbids unknown keys (a typo is an error) and is frozen and strict: TOML types are taken as they are
(``"7"`` is not a number, ``"yes"`` is not a boolean). Rates, fractions and money are ``Decimal``: the loader
parses TOML floats as ``Decimal`` so ``0.075`` stays exact; a whole number (``rate = 1``) is accepted too.

Two kinds of tables carry their sources:
- a :class:`Section` (flat values) has ``sources``: field name → source, one for every value that is set, and
  ``unverified``: the names of values not yet checked against an official text;
- a :class:`Row` (one rate, one term) has its own ``source`` and ``verified``.
A value marked unverified is kept for display and is never a test oracle.

A section the organization's rules do not cover is absent from the file **and** listed in
``meta.not_covered``; the accessor then returns ``None`` and the caller must handle it (there is no silent
fallback to another policy). Inside a section an omitted optional value (``None``) means "the rules set no such
term".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ridbook.protection.rules.events import EVENT_CODES, TERM_END

RidKind = Literal["invention", "utility_model", "industrial_design", "software", "database", "know_how", "other"]
SectionName = Literal[
    "commission",
    "deadlines",
    "protection_terms",
    "grace_period_months",
    "packet",
    "rewards",
    "points",
    "trade_secret",
    "fees",
    "docket",
]
SECTION_NAMES: tuple[SectionName, ...] = (
    "commission",
    "deadlines",
    "protection_terms",
    "grace_period_months",
    "packet",
    "rewards",
    "points",
    "trade_secret",
    "fees",
    "docket",
)
PENDING_ENGINE = "seed-numbers; engine: later issue"


def _to_decimal(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError("decimal_type", "Input should be a number, e.g. 0.5")
    return Decimal(value)


Dec = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0)]
Fraction = Annotated[Decimal, BeforeValidator(_to_decimal), Field(ge=0, le=1)]
Months = Annotated[int, Field(ge=1, le=120)]
WorkingDays = Annotated[int, Field(ge=1, le=366)]
DayOfMonth = Annotated[int, Field(ge=1, le=31)]
Text = Annotated[str, Field(min_length=1)]


_NOT_DATA = frozenset({"sources", "unverified", "status", "title", "body"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Row(_Model):
    """One sourced entry: a rate, a term, a table."""

    source: Text
    verified: bool = True
    note: str | None = None


class Section(_Model):
    """Flat values; ``sources`` names the source of every value that is set."""

    sources: dict[str, Text]
    unverified: list[str] = []

    @model_validator(mode="after")
    def _every_value_has_a_source(self) -> Section:
        data = {f for f in type(self).model_fields if f not in _NOT_DATA}
        unknown = sorted((set(self.sources) | set(self.unverified)) - data)
        if unknown:
            raise ValueError(f"sources/unverified name unknown field(s): {', '.join(unknown)}")
        missing = [
            f
            for f in sorted(data)
            if (value := getattr(self, f)) is not None and not _carries_own_source(value) and f not in self.sources
        ]
        if missing:
            raise ValueError(f"sources: no source given for {', '.join(missing)}")
        return self


def _carries_own_source(value: object) -> bool:
    if isinstance(value, list | tuple):
        return bool(value) and all(isinstance(v, Row | Section) for v in value)
    return isinstance(value, Row | Section)


class MonthDay(_Model):
    """A day of the year, e.g. ``{ month = 12, day = 15 }``."""

    month: Annotated[int, Field(ge=1, le=12)]
    day: DayOfMonth

    @model_validator(mode="after")
    def _real_day(self) -> MonthDay:
        try:
            date(2001, self.month, self.day)  # a common year: 29 February is not allowed
        except ValueError:
            raise ValueError(f"no such day: {self.day:02d}.{self.month:02d}") from None
        return self

    def in_year(self, year: int) -> date:
        return date(year, self.month, self.day)


class Meta(_Model):
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    version: Annotated[int, Field(ge=1)]
    title: Annotated[str, Field(min_length=3)]
    country: Literal["RU", "UZ"]
    effective_from: date
    sources: Annotated[list[Text], Field(min_length=1)]
    not_covered: list[SectionName] = []
    note: str | None = None


# ---- commission (SPEC §4, §14) ----------------------------------------------------------------------------------


class RewardCommissionTerms(Section):
    """UZ reward commission (resolution 979, appendix 2)."""

    formed_within_months_after_reporting_year: Months
    decision_working_days: WorkingDays  # from the head's order that forms the commission
    order_working_days: WorkingDays  # the head's order after the commission's positive conclusion
    protocol_approved_by: Literal["chair"]


class Commission(Section):
    """Who decides and how votes count.

    Quorum: present ÷ all members ≥ ``quorum_fraction`` (0.5: exactly half is a quorum).
    ``majority_basis``: "present" — adopted when votes for > present ÷ 2; "all_members" — votes for > all ÷ 2.
    ``tie_breaker`` "chair": on votes for = votes against, the chair's side wins.
    """

    body: Literal["ip_commission", "expert_commission", "reward_commission"]
    title: Text
    min_members: Annotated[int, Field(ge=1)] | None = None
    quorum_fraction: Fraction
    majority_basis: Literal["present", "all_members"]
    tie_breaker: Literal["none", "chair"]
    absentee_voting: bool
    experts_vote: bool
    notice_working_days: WorkingDays | None = None
    decision_months: Months | None = None
    meeting_interval_months: Months | None = None
    maintenance_review_months: Months | None = None
    dissent_forward_working_days: WorkingDays | None = None
    dissent_approver_role: str | None = None  # a code of ridbook.accounts.roles.Role
    reward_commission: RewardCommissionTerms | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Commission:
        if (self.dissent_forward_working_days is None) != (self.dissent_approver_role is None):
            raise ValueError("dissent_forward_working_days and dissent_approver_role go together")
        if (self.reward_commission is not None) != (self.body == "reward_commission"):
            raise ValueError("reward_commission terms are given exactly when body = 'reward_commission'")
        return self


# ---- deadlines (SPEC §13) ---------------------------------------------------------------------------------------


class FundStages(Section):
    """UZ Presidential commercialization fund (resolution 979, appendix 1 §15–25)."""

    prescreen_working_days: WorkingDays
    bank_expertise_working_days: WorkingDays
    collegial_decision_working_days: WorkingDays
    notify_days: Annotated[int, Field(ge=1)]  # calendar days («в двухдневный срок»)
    agreement_working_days: WorkingDays


class Deadlines(Section):
    """Deadlines the system tracks; ``None`` where the organization's rules set none."""

    packet_months: Months | None = None
    implementation_act_months: Months | None = None
    usage_act_day_after_quarter: DayOfMonth | None = None
    creation_reward_months: Months | None = None
    use_reward_months_after_each_12_months: Months | None = None
    assistance_reward_after_months: Months | None = None
    commercialization_reward_months: Months | None = None
    points_entry_day: DayOfMonth | None = None
    points_statement_day: DayOfMonth | None = None
    trade_secret_act_by: MonthDay | None = None
    startup_notice_working_days: WorkingDays | None = None
    fund_stages: FundStages | None = None


# ---- protection terms (SPEC §1; Civil Code 1363, 1281, 1467) ------------------------------------------------------


class ProtectionTerm(Row):
    counted_from: Literal["filing", "january_after_death_of_last_author", "while_confidential"]
    years: Annotated[int, Field(ge=1)] | None = None
    max_extension_years: Annotated[int, Field(ge=0)] = 0
    extension_step_years: Annotated[int, Field(ge=1)] | None = None
    extension_condition: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ProtectionTerm:
        if self.counted_from == "while_confidential":
            if self.years is not None or self.max_extension_years:
                raise ValueError("a term 'while_confidential' has no years and no extension")
        elif self.years is None:
            raise ValueError(f"years is required when counted_from = '{self.counted_from}'")
        if self.extension_step_years is not None and (
            self.max_extension_years == 0 or self.max_extension_years % self.extension_step_years
        ):
            raise ValueError("max_extension_years must be a positive multiple of extension_step_years")
        return self

    @property
    def max_years(self) -> int | None:
        """The longest possible term with every extension; ``None`` while confidential."""
        return None if self.years is None else self.years + self.max_extension_years


class ProtectionTerms(_Model):
    invention: ProtectionTerm
    utility_model: ProtectionTerm
    industrial_design: ProtectionTerm
    software: ProtectionTerm
    database: ProtectionTerm
    know_how: ProtectionTerm


class GracePeriods(Section):
    """Months before filing during which the author's own disclosure does not destroy novelty."""

    invention: Months
    utility_model: Months
    industrial_design: Months


# ---- the packet of documents, by stage (SPEC §3; RZD §6.2, §7.1) --------------------------------------------------

PacketDocument = Literal["notice", "application_form", "patent_search_report", "coauthors_agreement"]


class PacketRule(Row):
    """A document the packet must have at a stage: for every RID or for ``rid_kinds``; ``when = "coauthors"``:
    only when the RID has more than one author."""

    document: PacketDocument
    rid_kinds: list[RidKind] | None = None
    when: Literal["always", "coauthors"] = "always"


class Packet(Section):
    """What the packet must hold before the notice is accepted (``acceptance``), before the commission considers it
    (``commission``) and before the application is filed (``filing``). A stage asks for its own rules and those of
    the stages before it."""

    acceptance: list[PacketRule]
    commission: list[PacketRule]
    filing: list[PacketRule]


# ---- rewards (SPEC §8) --------------------------------------------------------------------------------------------


class RewardRate(Row):
    """``rate`` × ``basis`` per ``per``. Salary-based: per author (× that author's share); others: one total."""

    reward: Literal["creation", "use", "licence", "assistance", "commercialization"]
    rid_kinds: Annotated[list[RidKind], Field(min_length=1)]
    basis: Literal[
        "average_monthly_salary",
        "profit",
        "licence_revenue",
        "minimum_wage",
        "product_cost_share",
        "net_commercialization_income",
    ]
    rate: Dec
    per: Literal["one_off", "year_of_use", "started_year_of_use", "twelve_months_of_use", "reporting_year"]
    recipients: Literal["authors", "team", "assistants"] = "authors"
    condition: str | None = None
    in_force_from: date | None = None
    in_force_until: date | None = None  # the first day it no longer applies


class Rewards(Section):
    status: Literal["seed-numbers; engine: later issue"]
    currency: Literal["RUB", "UZS"]
    co_author_split: Literal["agreement_else_equal"]
    co_author_agreement_notice_days: Annotated[int, Field(ge=1)] | None = None
    average_salary_months: Months | None = None
    rounding: Literal["half_up_kopeck"]  # half-up to 0.01 of the currency unit (kopeck, tiyin)
    split_rounding: Literal["largest_remainder"]
    rates: Annotated[list[RewardRate], Field(min_length=1)]


# ---- points (SPEC §9) ---------------------------------------------------------------------------------------------

PointsDocument = Literal[
    "foreign_patent", "ru_invention", "ru_utility_model", "ru_industrial_design", "software_database_certificate"
]


class PointsTable(Row):
    example: bool  # true: not the organization's own numbers; the organization sets its own table
    weights: dict[PointsDocument, Dec]


class Points(Section):
    status: Literal["seed-numbers; engine: later issue"]
    window_starts: MonthDay  # a 12-month window; 1 July → 1 July – 30 June
    window_date: Literal["grant_date"]
    holders: Literal["organization_or_co_holder"]
    patent_kinds: list[RidKind]
    patent_countries: Literal["any"]
    certificate_kinds: list[RidKind]
    certificate_issuer: Literal["rospatent"]
    applications_count: bool
    other_registers_count: bool
    split: Literal["participation_coefficients"]
    evidence: list[Text]
    table: PointsTable


# ---- trade secret (SPEC §10) -------------------------------------------------------------------------------------


class TradeSecret(Section):
    inventory_min_per_year: Annotated[int, Field(ge=1)]
    inventory_act_recipient: Text
    decision_by: Text
    approved_by: Text
    marking: Text
    access_journal: bool
    use_requires_order: bool
    transfer_requires_written_contract: bool


# ---- fees (issue 13 item 6; LAW.md «Rospatent fees») -----------------------------------------------------------

FeeBasis = Literal["year", "period5"]
Percent = Annotated[int, Field(ge=0, le=100)]


class FeeTableRow(Row):
    """One line of a patent office's fee table: the fee for years (``basis = "year"``) or five-year periods
    (``"period5"``) ``first``…``last`` of the term of a ``kind``, applicable to fees due from ``valid_from`` to
    ``valid_until`` (the last day it applies, inclusive; ``None``: until replaced)."""

    kind: RidKind
    basis: FeeBasis
    first: Annotated[int, Field(ge=1)]
    last: Annotated[int, Field(ge=1)]
    amount: Dec
    valid_from: date
    valid_until: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FeeTableRow:
        if self.first > self.last:
            raise ValueError(f"first ({self.first}) must not exceed last ({self.last})")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError(
                f"valid_until ({self.valid_until.isoformat()}) is before valid_from ({self.valid_from.isoformat()})"
            )
        return self


class Fees(Section):
    """Maintenance fees and their upkeep rules (``ridbook.protection.rules.fees`` computes the schedule).

    ``first_paid``: per kind, the first year (``period5``: five-year period) of the term whose maintenance fee is
    due; earlier years carry none. ``before_grant``: how the fees of years that began before the grant are paid —
    ``"with_grant"``: due on the grant date. ``rows``: the dated fee table; none covering a due date means «no rate
    known», never a guess.
    """

    currency: Literal["RUB"]
    grace_months: Months
    surcharge_percent: Percent
    restoration_years: Annotated[int, Field(ge=1, le=10)]
    restoration_factor: Dec
    open_licence_discount_percent: Percent
    first_paid: dict[RidKind, Annotated[int, Field(ge=1)]]
    before_grant: Literal["with_grant"]
    rows: list[FeeTableRow]


# ---- the docket (issue 13 item 3; phpIP's task_rules) ------------------------------------------------------------


def _known_event(code: str) -> str:
    if code not in EVENT_CODES:
        raise ValueError(f"unknown event code {code!r} (known: {', '.join(sorted(EVENT_CODES))})")
    return code


class DocketRuleSpec(Row):
    """A rule of the docket, as phpIP's ``task_rules``: the ``trigger`` event gives a task due ``years`` + ``months``
    + ``days`` (calendar) then + ``working_days`` after it, repeated yearly until ``recurring_yearly_until`` (an
    event code or ``"term_end"``) when set; no task when an ``abort_on`` event happened after the trigger, or an
    ``only_if`` event did not happen; the rule applies to triggers dated ``valid_from``…``valid_until`` (inclusive);
    a ``closes_on`` event after the trigger marks the task done. ``kinds``/``office`` restrict it (``None``: all).
    ``title`` is Russian (shown to users); ``fee`` names the fee to pay, if any."""

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: Text
    trigger: str
    days: Annotated[int, Field(ge=0, le=3660)] = 0
    months: Annotated[int, Field(ge=0, le=600)] = 0
    years: Annotated[int, Field(ge=0, le=50)] = 0
    working_days: Annotated[int, Field(ge=0, le=366)] = 0
    recurring_yearly_until: str | None = None
    abort_on: list[str] = []
    only_if: list[str] = []
    closes_on: list[str] = []
    valid_from: date | None = None
    valid_until: date | None = None
    fee: str | None = None
    responsible_role: str = "ip_officer"
    kinds: Annotated[list[RidKind], Field(min_length=1)] | None = None
    office: Annotated[str, Field(pattern=r"^[A-Z]{2,5}$")] | None = None

    @field_validator("trigger")
    @classmethod
    def _trigger_is_an_event(cls, value: str) -> str:
        return _known_event(value)

    @field_validator("abort_on", "only_if", "closes_on")
    @classmethod
    def _events(cls, value: list[str]) -> list[str]:
        return [_known_event(code) for code in value]

    @field_validator("recurring_yearly_until")
    @classmethod
    def _until(cls, value: str | None) -> str | None:
        return value if value is None or value == TERM_END else _known_event(value)

    @field_validator("responsible_role")
    @classmethod
    def _role(cls, value: str) -> str:
        from ridbook.accounts.roles import Role

        if value not in Role.values:
            raise ValueError(f"unknown role {value!r} (known: {', '.join(Role.values)})")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> DocketRuleSpec:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


# ---- the policy ---------------------------------------------------------------------------------------------------


class Policy(_Model):
    """One version of one organization policy. Read it through ``ridbook.policies.loader``."""

    meta: Meta
    commission: Commission | None = None
    deadlines: Deadlines | None = None
    protection_terms: ProtectionTerms | None = None
    grace_period_months: GracePeriods | None = None
    packet: Packet | None = None
    rewards: Rewards | None = None
    points: Points | None = None
    trade_secret: TradeSecret | None = None
    fees: Fees | None = None
    docket: list[DocketRuleSpec] | None = None

    @model_validator(mode="after")
    def _absent_sections_are_declared(self) -> Policy:
        problems = []
        for section in SECTION_NAMES:
            present = getattr(self, section) is not None
            declared = section in self.meta.not_covered
            if present and declared:
                problems.append(f"meta.not_covered: lists «{section}» but the file has [{section}]")
            elif not present and not declared:
                problems.append(f"meta.not_covered: [{section}] is missing: add it or list «{section}» here")
        if self.docket is not None:
            codes = [rule.code for rule in self.docket]
            twice = sorted({c for c in codes if codes.count(c) > 1})
            if twice:
                problems.append(f"docket: rule code(s) used twice: {', '.join(twice)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def version(self) -> int:
        return self.meta.version

    @property
    def ref(self) -> str:
        """``"vgtu@1"``: record it with every result computed under this policy."""
        return f"{self.meta.name}@{self.meta.version}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: Decimals as strings, dates ISO, absent sections as ``None``; sources after the values."""
        return _sources_last(self.model_dump(mode="json"))

    def unverified(self) -> list[str]:
        """Paths of values not yet checked against an official text, e.g. ``rewards.rates[1]``."""
        return _unverified(self, "")


def _sources_last(value: Any) -> Any:
    if isinstance(value, dict):
        tail = ("unverified", "sources")
        keys = [k for k in value if k not in tail] + [k for k in tail if k in value]
        return {k: _sources_last(value[k]) for k in keys}
    if isinstance(value, list):
        return [_sources_last(v) for v in value]
    return value


def _unverified(value: object, path: str) -> list[str]:
    found: list[str] = []
    if isinstance(value, Row) and not value.verified:
        found.append(path)
    if isinstance(value, Section):
        found.extend(f"{path}.{f}" for f in value.unverified)
    if isinstance(value, BaseModel):
        for field in type(value).model_fields:
            found.extend(_unverified(getattr(value, field), f"{path}.{field}" if path else field))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(_unverified(item, f"{path}[{i}]"))
    return found
