"""The one table of stage transitions: paths that are allowed, events that are refused with a Russian message."""

from __future__ import annotations

import pytest

from ridbook.core.errors import DomainError
from ridbook.prosecution import choices as c
from ridbook.prosecution.choices import STAGES, TRANSITIONS, Stage
from ridbook.prosecution.models import Application
from ridbook.prosecution.services import check_transition, events_possible


def walk(kind: str, codes: list[str]) -> list[Stage]:
    application = Application(kind=kind, stage=Stage.PREPARED)
    stages = []
    for code in codes:
        application.stage = check_transition(application, code)
        stages.append(Stage(application.stage))
    return stages


def test_every_stage_of_the_table_belongs_to_its_procedure() -> None:
    for procedure, table in TRANSITIONS.items():
        known = set(STAGES[procedure])
        for code, transition in table.items():
            assert transition.sources <= known, (procedure, code)
            assert transition.target is None or transition.target in known, (procedure, code)


def test_an_invention_from_preparation_to_the_patent() -> None:
    codes = [c.FILED, c.FORMAL_EXAM_PASSED, c.SUBSTANTIVE_EXAM_REQUESTED, c.PUBLISHED, c.DECISION_TO_GRANT, c.GRANTED]
    assert walk("invention", codes) == [
        Stage.FILED,
        Stage.FORMAL_EXAMINATION,
        Stage.SUBSTANTIVE_EXAMINATION,
        Stage.SUBSTANTIVE_EXAMINATION,
        Stage.DECISION_GRANT,
        Stage.GRANTED,
    ]


def test_a_utility_model_has_no_substantive_examination() -> None:
    assert walk("utility_model", [c.FILED, c.FORMAL_EXAM_PASSED, c.DECISION_TO_GRANT, c.GRANTED])[-1] == Stage.GRANTED
    with pytest.raises(DomainError, match="не бывает у заявки этого вида"):
        walk("utility_model", [c.FILED, c.SUBSTANTIVE_EXAM_REQUESTED])


def test_refusal_appeal_and_grant_after_the_appeal() -> None:
    codes = [c.FILED, c.SUBSTANTIVE_EXAM_REQUESTED, c.DECISION_TO_REFUSE, c.APPEAL_FILED, c.DECISION_TO_GRANT]
    assert walk("invention", codes)[-2:] == [Stage.APPEALED, Stage.DECISION_GRANT]


def test_deemed_withdrawn_and_restored() -> None:
    codes = [c.FILED, c.DEEMED_WITHDRAWN, c.RESTORED, c.SUBSTANTIVE_EXAM_REQUESTED]
    assert walk("invention", codes) == [
        Stage.FILED,
        Stage.DEEMED_WITHDRAWN,
        Stage.RESTORED,
        Stage.SUBSTANTIVE_EXAMINATION,
    ]


def test_software_is_filed_checked_and_registered() -> None:
    assert walk("software", [c.FILED, c.FORMAL_EXAM_PASSED, c.REGISTERED]) == [
        Stage.FILED,
        Stage.FORMAL_CHECK,
        Stage.REGISTERED,
    ]
    with pytest.raises(DomainError, match="не бывает"):
        walk("database", [c.FILED, c.GRANTED])


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("invention", [c.GRANTED]),  # nothing before the filing
        ("invention", [c.FILED, c.FILED]),  # filed twice
        ("invention", [c.FILED, c.GRANTED]),  # a patent without a decision to grant
        ("invention", [c.FILED, c.DECISION_TO_GRANT]),  # an invention's decision follows the substantive examination
        ("industrial_design", [c.FILED, c.WITHDRAWN, c.RESTORED]),  # a withdrawn application is not restored
        ("invention", [c.FILED, c.APPEAL_FILED]),  # an appeal needs a refusal
        ("software", [c.FILED, c.REGISTERED, c.WITHDRAWN]),
    ],
)
def test_impossible_transitions_are_refused_with_the_reason(kind: str, codes: list[str]) -> None:
    with pytest.raises(DomainError) as refused:
        walk(kind, codes)
    assert refused.value.code == "wrong_state"
    assert "невозможно на стадии" in refused.value.message or "не бывает" in refused.value.message


def test_the_form_offers_only_possible_events_never_the_letters() -> None:
    application = Application(kind="invention", stage=Stage.PREPARED)
    assert events_possible(application) == [c.FILED, c.PRIORITY_CLAIMED]
    application.stage = Stage.DECISION_REFUSE
    possible = events_possible(application)
    assert c.APPEAL_FILED in possible and c.GRANTED not in possible
    assert not set(possible) & c.THROUGH_LETTERS


def test_filing_asks_for_the_filing_documents_that_acceptance_did_not(officer, org_tree) -> None:
    """Issue 12: the notice is accepted with the notice alone; the filing is refused until the packet holds the
    application form and the patent search report (ru-default's `[packet.filing]`), and nothing is written."""
    from ridbook.core.errors import DomainError
    from ridbook.prosecution import services
    from ridbook.prosecution.tests.conftest import days_ago, with_filing_packet
    from ridbook.registry.choices import RidStatus
    from ridbook.registry.models import Rid

    rid = Rid.objects.create(
        number="РИД-2026-00079",
        kind="invention",
        title="Без пакета",
        organization=org_tree["department"],
        status=RidStatus.FILING,
        protection_form="invention",
    )
    with pytest.raises(DomainError) as refused:
        services.application_create(actor=officer, rid=rid, office="RU", signatory=officer, filed_on=days_ago(3))
    assert refused.value.code == "packet_incomplete"
    assert "заявление о выдаче патента" in refused.value.message.lower() or "заявлен" in refused.value.message
    assert not rid.applications.exists()
    with_filing_packet(rid)
    application = services.application_create(
        actor=officer, rid=rid, office="RU", signatory=officer, filed_on=days_ago(3)
    )
    assert application.stage == "filed"
