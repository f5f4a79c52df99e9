"""Policies: the shipped files load with the seeds' numbers; a broken file names file, field and problem.

Pure tests (no database). Values a policy marks unverified are checked only for their flag, never for their number.
"""

from __future__ import annotations

import io
import json
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ridbook.policies.loader import (
    DATA_DIR,
    Policy,
    PolicyError,
    PolicyRegistry,
    UnknownPolicy,
    available_policies,
    get_policy,
    load_policies,
    policy_by_ref,
)
from ridbook.policies.schema import RewardRate

SHIPPED = {"vgtu", "tpu", "rzd-2013", "uz-979", "ru-default"}


@pytest.fixture(scope="module")
def shipped() -> PolicyRegistry:
    return load_policies()


def rate(policy: Policy, reward: str, kind: str, basis: str | None = None) -> RewardRate:
    assert policy.rewards is not None
    [row] = [
        r
        for r in policy.rewards.rates
        if r.reward == reward and kind in r.rid_kinds and (basis is None or r.basis == basis)
    ]
    return row


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the shipped files to break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(directory: Path) -> list[str]:
    with pytest.raises(PolicyError) as exc:
        load_policies(directory)
    return exc.value.problems


# ---- the shipped policies -----------------------------------------------------------------------------------------


def test_the_five_policies_load_each_with_version_1(shipped: PolicyRegistry) -> None:
    assert set(shipped.names()) >= SHIPPED
    for name in SHIPPED:
        policy = shipped.get(name, version=1)
        assert (policy.name, policy.version, policy.ref) == (name, 1, f"{name}@1")
    assert {(i.name, i.version) for i in available_policies()} >= {(n, 1) for n in SHIPPED}


def test_vgtu_commission() -> None:
    c = get_policy("vgtu", version=1).commission
    assert c is not None
    assert c.min_members == 7
    assert c.quorum_fraction == Decimal("0.5")
    assert (c.majority_basis, c.tie_breaker, c.absentee_voting, c.experts_vote) == ("present", "none", False, False)
    assert (c.notice_working_days, c.decision_months, c.meeting_interval_months) == (7, 2, 3)
    assert (c.maintenance_review_months, c.dissent_forward_working_days) == (12, 2)


def test_vgtu_dissent_approver_is_a_known_role() -> None:
    from ridbook.accounts.roles import Role

    c = get_policy("vgtu", version=1).commission
    assert c is not None and c.dissent_approver_role == Role.APPROVER.value


def test_uz_reward_commission_deadlines_rewards_and_trade_secret() -> None:
    uz = get_policy("uz-979", version=1)
    assert uz.meta.country == "UZ"
    c = uz.commission
    assert c is not None and c.reward_commission is not None
    assert (c.min_members, c.majority_basis, c.tie_breaker) == (5, "all_members", "chair")
    rc = c.reward_commission
    assert (rc.formed_within_months_after_reporting_year, rc.decision_working_days, rc.order_working_days) == (
        3,
        10,
        3,
    )
    d = uz.deadlines
    assert d is not None and d.trade_secret_act_by is not None and d.fund_stages is not None
    assert (d.creation_reward_months, d.commercialization_reward_months, d.startup_notice_working_days) == (1, 3, 7)
    assert d.trade_secret_act_by.in_year(2025) == date(2025, 12, 15)
    fs = d.fund_stages
    assert (fs.prescreen_working_days, fs.bank_expertise_working_days, fs.collegial_decision_working_days) == (
        5,
        5,
        3,
    )
    assert (fs.notify_days, fs.agreement_working_days) == (2, 3)
    assert rate(uz, "creation", "invention").rate == 10
    assert rate(uz, "creation", "invention").basis == "minimum_wage"
    shares = {r.recipients: r.rate for r in uz.rewards.rates if r.reward == "commercialization"}  # type: ignore[union-attr]
    assert shares == {"authors": Decimal("0.40"), "team": Decimal("0.30")}
    assert uz.trade_secret is not None and uz.trade_secret.inventory_min_per_year == 1


def test_rzd_deadlines_terms_and_reward_rates() -> None:
    rzd = get_policy("rzd-2013", version=1)
    d = rzd.deadlines
    assert d is not None
    assert (d.packet_months, d.implementation_act_months, d.usage_act_day_after_quarter) == (2, 1, 15)
    assert (d.creation_reward_months, d.assistance_reward_after_months) == (1, 12)
    t = rzd.protection_terms
    assert t is not None
    assert (t.invention.years, t.utility_model.years, t.utility_model.max_extension_years) == (20, 10, 3)
    assert (t.industrial_design.years, t.industrial_design.max_extension_years) == (15, 10)
    assert t.know_how.counted_from == "while_confidential"
    creation = {
        k: rate(rzd, "creation", k).rate for k in ("invention", "utility_model", "industrial_design", "software")
    }
    assert creation == {"invention": 1, "utility_model": Decimal("0.5"), "industrial_design": Decimal("0.75"),
                        "software": Decimal("0.5")}  # fmt: skip
    assert rate(rzd, "creation", "database").rate == Decimal("0.5")
    assert rate(rzd, "use", "invention").rate == Decimal("0.15")
    assert rate(rzd, "licence", "invention").rate == Decimal("0.20")
    assert rate(rzd, "use", "utility_model").rate == Decimal("0.075")
    design = rate(rzd, "use", "industrial_design")
    assert (design.basis, design.rate, design.per) == ("minimum_wage", 5, "started_year_of_use")
    assert rate(rzd, "assistance", "invention", "profit").rate == Decimal("0.30")
    assert rate(rzd, "assistance", "invention", "product_cost_share").rate == Decimal("0.04")
    assert rzd.rewards is not None and rzd.rewards.co_author_split == "agreement_else_equal"


def test_ru_default_follows_current_law() -> None:
    ru = get_policy("ru-default", version=1)
    t = ru.protection_terms
    assert t is not None
    assert (t.invention.years, t.invention.max_extension_years) == (20, 5)
    design = t.industrial_design
    assert (design.years, design.extension_step_years, design.max_years) == (5, 5, 25)
    g = ru.grace_period_months
    assert g is not None and (g.invention, g.utility_model, g.industrial_design) == (6, 6, 12)
    invention_creation = rate(ru, "creation", "invention")
    assert invention_creation.verified and invention_creation.rate == Decimal("0.30")
    invention_use = rate(ru, "use", "invention")
    assert invention_use.verified and (invention_use.rate, invention_use.per) == (3, "twelve_months_of_use")


def test_ru_default_unverified_values_are_flagged() -> None:
    ru = get_policy("ru-default", version=1)
    assert ru.protection_terms is not None and ru.rewards is not None
    assert not ru.protection_terms.utility_model.verified
    assert not ru.protection_terms.software.verified
    assert not rate(ru, "creation", "utility_model").verified
    assert not rate(ru, "use", "industrial_design").verified
    assert not rate(ru, "licence", "invention").verified
    assert {"co_author_agreement_notice_days", "average_salary_months"} <= set(ru.rewards.unverified)
    assert "protection_terms.utility_model" in ru.unverified()
    assert "rewards.average_salary_months" in ru.unverified()


def test_tpu_points_ship_an_example_table() -> None:
    tpu = get_policy("tpu", version=1)
    p = tpu.points
    assert p is not None and tpu.deadlines is not None
    assert p.table.example is True
    assert p.table.weights == {"foreign_patent": 12, "ru_invention": 6, "ru_utility_model": 5,
                               "software_database_certificate": 3}  # fmt: skip
    assert (p.window_starts.month, p.window_starts.day) == (7, 1)
    assert (tpu.deadlines.points_entry_day, tpu.deadlines.points_statement_day) == (10, 20)


def test_a_section_the_seed_does_not_cover_is_none() -> None:
    vgtu = get_policy("vgtu", version=1)
    assert vgtu.rewards is None and vgtu.points is None and vgtu.protection_terms is None
    assert "rewards" in vgtu.meta.not_covered
    assert get_policy("tpu", version=1).commission is None


def test_as_dict_is_json_with_decimals_as_strings_and_iso_dates() -> None:
    data = get_policy("rzd-2013", version=1).as_dict()
    json.dumps(data)
    assert data["meta"]["effective_from"] == "2013-10-15"
    assert data["commission"]["quorum_fraction"] == "0.5"
    assert data["points"] is None
    assert list(data["commission"])[-1] == "sources"


def test_ref_finds_the_policy_again() -> None:
    assert policy_by_ref("vgtu@1") == get_policy("vgtu", version=1)
    with pytest.raises(UnknownPolicy):
        policy_by_ref("vgtu")


def test_unknown_policy_names_the_available_ones() -> None:
    with pytest.raises(UnknownPolicy) as exc:
        get_policy("mgu")
    assert str(exc.value).startswith("Политика «mgu» не найдена (доступны: ")
    assert "vgtu" in str(exc.value)
    assert isinstance(exc.value, LookupError)
    with pytest.raises(UnknownPolicy, match="Версия 9 политики «vgtu» не найдена"):
        get_policy("vgtu", version=9)


# ---- versions by date ---------------------------------------------------------------------------------------------


def test_the_version_in_force_on_a_date(data: Path) -> None:
    v2 = data / "vgtu" / "v2.toml"
    shutil.copy(data / "vgtu" / "v1.toml", v2)
    edit(v2, "version = 1", "version = 2")
    edit(v2, "effective_from = 2021-08-25", "effective_from = 2024-01-01")
    edit(v2, "min_members = 7", "min_members = 9")
    policies = load_policies(data)

    assert policies.get("vgtu", on=date(2023, 12, 31)).version == 1
    assert policies.get("vgtu", on=date(2024, 1, 1)).version == 2
    assert policies.get("vgtu", version=1).commission.min_members == 7  # type: ignore[union-attr]
    assert policies.get("vgtu").version == 2  # today
    with pytest.raises(UnknownPolicy, match=r"не действовала на 01\.01\.2020"):
        policies.get("vgtu", on=date(2020, 1, 1))
    with pytest.raises(ValueError, match="either on= or version="):
        policies.get("vgtu", on=date(2024, 1, 1), version=1)
    with pytest.raises(TypeError, match="not a datetime"):
        policies.get("vgtu", on=datetime(2024, 1, 1, 12, 0))


def test_a_later_version_must_take_effect_later(data: Path) -> None:
    v2 = data / "vgtu" / "v2.toml"
    shutil.copy(data / "vgtu" / "v1.toml", v2)
    edit(v2, "version = 1", "version = 2")
    assert problems(data) == [
        "data/vgtu/v2.toml: meta.effective_from: must be later than v1's 2021-08-25 (got 2021-08-25)"
    ]


# ---- broken files -------------------------------------------------------------------------------------------------

BROKEN = [
    pytest.param(
        "min_members = 7",
        "min_members = 7\nmin_member = 7",
        "data/vgtu/v1.toml: commission.min_member: Extra inputs are not permitted (got 7)",
        id="unknown-key",
    ),
    pytest.param(
        "min_members = 7",
        'min_members = "семь"',
        "data/vgtu/v1.toml: commission.min_members: Input should be a valid integer (got 'семь')",
        id="wrong-type",
    ),
    pytest.param(
        "absentee_voting = false",
        'absentee_voting = "no"',
        "data/vgtu/v1.toml: commission.absentee_voting: Input should be a valid boolean (got 'no')",
        id="string-for-boolean",
    ),
    pytest.param(
        "quorum_fraction = 0.5",
        "quorum_fraction = 1.5",
        "data/vgtu/v1.toml: commission.quorum_fraction: Input should be less than or equal to 1 (got 1.5)",
        id="quorum-1.5",
    ),
    pytest.param(
        'majority_basis = "present"',
        'majority_basis = "присутствующих"',
        "data/vgtu/v1.toml: commission.majority_basis: Input should be 'present' or 'all_members'"
        " (got 'присутствующих')",
        id="not-a-choice",
    ),
    pytest.param(
        'name = "vgtu"',
        'name = "vgtu2"',
        "data/vgtu/v1.toml: meta.name: must equal the folder name «vgtu» (got 'vgtu2')",
        id="name-not-folder",
    ),
    pytest.param(
        "version = 1",
        "version = 2",
        "data/vgtu/v1.toml: meta.version: must equal the file name v1.toml (got 2)",
        id="version-not-file-name",
    ),
    pytest.param(
        "min_members = 7",
        "min_members = = 7",
        "data/vgtu/v1.toml: line {line}, column 15: TOML syntax error: Invalid value",
        id="toml-syntax",
    ),
    pytest.param(
        'not_covered = ["deadlines", ',
        "not_covered = [",
        "data/vgtu/v1.toml: meta.not_covered: [deadlines] is missing: add it or list «deadlines» here",
        id="undeclared-missing-section",
    ),
    pytest.param(
        'min_members = "VGTU §3.3: «в количестве не менее 7 человек»"\n',
        "",
        "data/vgtu/v1.toml: commission: sources: no source given for min_members",
        id="value-without-source",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN)
def test_a_broken_file_names_file_field_and_problem(data: Path, old: str, new: str, expected: str) -> None:
    path = data / "vgtu" / "v1.toml"
    edit(path, old, new)
    line = next(
        (i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new and new in text), 0
    )
    assert problems(data) == [expected.format(line=line)]


def test_several_problems_are_all_listed(data: Path) -> None:
    edit(data / "vgtu" / "v1.toml", "quorum_fraction = 0.5", "quorum_fraction = 1.5")
    edit(data / "vgtu" / "v1.toml", "experts_vote = false", "experts_vote = 0")
    edit(data / "tpu" / "v1.toml", "points_entry_day = 10", "points_entry_day = 40")
    assert problems(data) == [
        "data/tpu/v1.toml: deadlines.points_entry_day: Input should be less than or equal to 31 (got 40)",
        "data/vgtu/v1.toml: commission.quorum_fraction: Input should be less than or equal to 1 (got 1.5)",
        "data/vgtu/v1.toml: commission.experts_vote: Input should be a valid boolean (got 0)",
    ]


def test_a_badly_named_file_is_an_error(data: Path) -> None:
    shutil.copy(data / "vgtu" / "v1.toml", data / "vgtu" / "draft.toml")
    assert problems(data) == ["data/vgtu/draft.toml: file name must be v<N>.toml (v1.toml, v2.toml, ...)"]


def test_the_shipped_files_are_named_relative_to_the_package() -> None:
    from ridbook.policies.loader import _display

    path = DATA_DIR / "vgtu" / "v1.toml"
    assert _display(path, DATA_DIR) == "policies/data/vgtu/v1.toml"


# ---- check_policies -----------------------------------------------------------------------------------------------


def test_check_policies_prints_one_line_per_policy() -> None:
    from ridbook.policies.management.commands.check_policies import Command

    out = io.StringIO()
    Command(stdout=out, stderr=io.StringIO()).handle(dir=None)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(available_policies())
    assert any(line.startswith("vgtu@1") and "ВГТУ" in line for line in lines)


def test_check_policies_exits_1_with_the_problems(data: Path) -> None:
    from ridbook.policies.management.commands.check_policies import Command

    edit(data / "vgtu" / "v1.toml", "quorum_fraction = 0.5", "quorum_fraction = 1.5")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        Command(stdout=io.StringIO(), stderr=err).handle(dir=data)
    assert exc.value.code == 1
    assert "data/vgtu/v1.toml: commission.quorum_fraction: Input should be less than or equal to 1" in err.getvalue()


# ---- the fee table and the docket (issue 13) -----------------------------------------------------------------------


def test_ru_default_fees_and_docket_load_with_sources() -> None:
    ru = get_policy("ru-default", version=1)
    assert ru.fees is not None and ru.docket is not None
    assert all(row.source for row in ru.fees.rows) and all(rule.source for rule in ru.docket)
    assert {"fees.first_paid", "fees.before_grant"} <= set(ru.unverified())
    assert any(path.startswith("docket[") for path in ru.unverified())
    for name in ("rzd-2013", "tpu", "vgtu", "uz-979"):
        policy = get_policy(name, version=1)
        assert policy.fees is None and policy.docket is None
        assert {"fees", "docket"} <= set(policy.meta.not_covered)


RU_BROKEN = [
    pytest.param(
        "first = 15\nlast = 18",
        "first = 18\nlast = 15",
        "data/ru-default/v1.toml: fees.rows[6]: first (18) must not exceed last (15)",
        id="fee-row-first-after-last",
    ),
    pytest.param(
        'trigger = "decision_to_refuse"',
        'trigger = "refused"',
        "data/ru-default/v1.toml: docket[5].trigger: unknown event code 'refused' (known: appeal_filed, decision_to_grant,",
        id="docket-unknown-trigger",
    ),
    pytest.param(
        'closes_on = ["appeal_filed"]',
        'closes_on = ["appeal"]',
        "data/ru-default/v1.toml: docket[5].closes_on: unknown event code 'appeal'",
        id="docket-unknown-closing-event",
    ),
    pytest.param(
        'code = "grant_fee"',
        'code = "formal_exam_answer"',
        "data/ru-default/v1.toml: docket: rule code(s) used twice: formal_exam_answer",
        id="docket-code-twice",
    ),
    pytest.param(
        'code = "grant_fee"',
        'code = "grant_fee"\nresponsible_role = "janitor"',
        "data/ru-default/v1.toml: docket[4].responsible_role: unknown role 'janitor'",
        id="docket-unknown-role",
    ),
    pytest.param(
        'valid_until = 2024-10-04\nsource = "WIPO PCT Applicant\'s Guide, annex RU.I (pctlegal.wipo.int, doc-code RU): table applicable from 1 March 2024"\n\n[[fees.rows]]\nkind = "invention"\nbasis = "year"\nfirst = 5',
        'valid_until = 2024-02-01\nsource = "WIPO PCT Applicant\'s Guide, annex RU.I (pctlegal.wipo.int, doc-code RU): table applicable from 1 March 2024"\n\n[[fees.rows]]\nkind = "invention"\nbasis = "year"\nfirst = 5',
        "data/ru-default/v1.toml: fees.rows[0]: valid_until (2024-02-01) is before valid_from (2024-03-01)",
        id="fee-row-valid-until-before-from",
    ),
    pytest.param(
        "surcharge_percent = 50",
        "surcharge_percent = 150",
        "data/ru-default/v1.toml: fees.surcharge_percent: Input should be less than or equal to 100 (got 150)",
        id="fee-surcharge-over-100",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), RU_BROKEN)
def test_a_broken_fee_table_or_docket_names_the_row_and_problem(data: Path, old: str, new: str, expected: str) -> None:
    edit(data / "ru-default" / "v1.toml", old, new)
    [problem] = problems(data)
    assert problem.startswith(expected), problem
