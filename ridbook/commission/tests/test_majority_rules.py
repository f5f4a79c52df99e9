"""The same meeting under the two majority rules of the policies (SPEC §4, §14): VGTU and the UZ reward commission."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.commission import services as cs
from ridbook.commission.tests.conftest import open_with, seats
from ridbook.registry.models import Rid
from ridbook.testing.factories import OrganizationFactory, persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def uz_commission():
    """UZ reward commission (resolution 979, app. 2 §6: at least five): chair, secretary and three members."""
    org = OrganizationFactory(short_name="НИИ", kind="institute", country="UZ", policy_name="uz-979")
    secretary = persona(Role.COMMISSION_SECRETARY, org, username="uz-secretary")
    commission = cs.commission_create(actor=secretary, organization=org, order_number="12", order_date=date(2026, 3, 2))
    assert commission.title == "Комиссия по назначению единовременных вознаграждений"  # from the policy
    cs.member_add(
        actor=secretary,
        commission=commission,
        user=persona(Role.COMMISSION_CHAIR, org, "uz-chair"),
        role="chair",
        position="директор",
    )
    cs.member_add(actor=secretary, commission=commission, user=secretary, role="secretary", position="юрист")
    for n in (1, 2, 3):
        user = persona(Role.COMMISSION_MEMBER, org, f"uz-member{n}")
        cs.member_add(actor=secretary, commission=commission, user=user, role="member", position=f"специалист {n}")
    rid = Rid.objects.create(  # set-up only: a RID already accepted into this commission's queue
        number="УЗ-1",
        kind="software",
        title="Программа учёта",
        organization=org,
        status="accepted",
        received_on=date(2026, 11, 2),
        accepted_on=date(2026, 11, 3),
    )
    meeting = cs.meeting_schedule(
        actor=secretary, commission=commission, on=timezone.localdate(), at=time(10), place="зал"
    )
    item = cs.agenda_add(actor=secretary, meeting=meeting, rid=rid)
    open_with(meeting, secretary, excused=("uz-member3",))  # four of five present
    cs.item_propose(actor=secretary, item=item, outcome="not_expedient")
    return secretary, meeting, item


def _vote(secretary, meeting, item, choices):
    for username, choice in choices.items():
        cs.vote_cast(actor=secretary, item=item, member=seats(meeting.commission)[username], choice=choice)


def test_a_tie_is_decided_by_the_chair_under_the_uz_rule(uz_commission):
    secretary, meeting, item = uz_commission
    _vote(
        secretary,
        meeting,
        item,
        {"uz-chair": "for", "uz-member1": "for", "uz-member2": "against", "uz-secretary": "against"},
    )
    tally = cs.item_tally(item)
    assert (tally.adopted, tally.decided_by_chair) == (True, True)
    assert (
        tally.message
        == "Решение принято: «за» 2, «против» 2, воздержались 0; голоса разделились поровну, решил голос председателя."
    )
    _vote(secretary, meeting, item, {"uz-chair": "against", "uz-member2": "for"})  # the chair on the other side
    assert (cs.item_tally(item).adopted, cs.item_tally(item).decided_by_chair) == (False, True)


def test_three_of_four_present_is_not_a_majority_of_all_five_members_without_a_tie(uz_commission):
    secretary, meeting, item = uz_commission
    _vote(
        secretary,
        meeting,
        item,
        {"uz-chair": "for", "uz-member1": "for", "uz-member2": "abstain", "uz-secretary": "abstain"},
    )
    tally = cs.item_tally(item)
    assert tally.adopted is False  # 2 of 5 members: not more than half of all members
    assert "нет большинства всех членов комиссии" in tally.message
    _vote(secretary, meeting, item, {"uz-member2": "for"})
    assert cs.item_tally(item).adopted is True  # 3 of 5
