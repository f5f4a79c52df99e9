"""The commission's maintenance item decides the year's upkeep of the RID's protection documents (issue 13)."""

from __future__ import annotations

from datetime import date, time

from django.utils import timezone

from ridbook.commission import services as cs
from ridbook.commission.tests.conftest import open_with
from ridbook.commission.tests.test_meeting import _decide, vote_all
from ridbook.protection import services as ps
from ridbook.protection.choices import FeeState
from ridbook.protection.deadlines import upkeep_deadlines


def test_a_maintenance_decision_not_to_keep_is_attached_to_the_year(
    meeting, accepted, secretary, chair, commission, personas
):
    from ridbook.accounts.roles import Role

    officer = personas[Role.IP_OFFICER]
    _decide(meeting, accepted, secretary, chair)  # «подать заявку»
    today = timezone.localdate()
    document = ps.document_create(
        actor=officer, rid=accepted, kind="invention", number="2790001", filing_date=date(2022, 3, 1)
    )
    assert any(d.url.endswith(f"/{document.pk}/") for d in upkeep_deadlines(secretary, today))

    later = cs.meeting_schedule(actor=secretary, commission=commission, on=today, at=time(18))
    item = cs.agenda_add(actor=secretary, meeting=later, rid=accepted, kind="maintenance")
    open_with(later, secretary, excused=("member5",))
    cs.item_propose(actor=secretary, item=item, outcome="let_lapse", heard="Доклад")
    vote_all(later, item, secretary)
    cs.meeting_close(actor=secretary, meeting=later)
    cs.protocol_sign(actor=chair, meeting=later)
    cs.protocol_sign(actor=secretary, meeting=later)

    decision = document.upkeep.get()
    assert (decision.year, decision.keep, decision.agenda_item_id) == (today.year, False, item.pk)
    assert not [d for d in upkeep_deadlines(secretary, today) if d.url.endswith(f"/{document.pk}/")]
    assert not document.fees.filter(state=FeeState.DUE, due_on__year__gte=today.year).exists()
