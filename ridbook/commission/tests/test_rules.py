"""Quorum at exactly 50 % and just below; ties under both majority rules (SPEC §14)."""

import pytest

from ridbook.commission.rules import Vote, count_votes, quorum
from ridbook.policies.loader import get_policy

F, A, X = Vote.FOR, Vote.AGAINST, Vote.ABSTAIN


@pytest.fixture
def vgtu():
    return get_policy("vgtu").commission


@pytest.fixture
def uz():
    return get_policy("uz-979").commission


def test_quorum_at_exactly_half_and_just_below(vgtu):
    assert quorum(present=4, members=8, rules=vgtu).reached
    assert quorum(present=4, members=8, rules=vgtu).message == (
        "Кворум есть: присутствуют 4 из 8 (нужно не менее 50 %)."
    )
    below = quorum(present=3, members=7, rules=vgtu)  # 42.9 %
    assert not below.reached
    assert below.message == "Кворума нет: присутствуют 3 из 7, нужно не менее 50 % членов комиссии."
    with pytest.raises(ValueError, match="больше, чем членов комиссии"):
        quorum(present=9, members=8, rules=vgtu)


def test_majority_of_members_present_abstentions_count_as_present(vgtu):
    assert count_votes(votes=[F, F, F, A, X], members=9, rules=vgtu).adopted  # 3 > 5/2
    tie = count_votes(votes=[F, F, A, A], members=9, rules=vgtu, chair_vote=F)
    assert not tie.adopted and not tie.decided_by_chair  # VGTU: no casting vote
    assert not count_votes(votes=[F, F, A, X], members=9, rules=vgtu).adopted  # 2 = 4/2


def test_majority_of_all_members_with_the_chairs_casting_vote(uz):
    assert not count_votes(votes=[F, F, F, A], members=7, rules=uz).adopted  # 3 ≤ 7/2
    assert count_votes(votes=[F, F, F, F, A], members=7, rules=uz).adopted
    tie = count_votes(votes=[F, F, F, A, A, A], members=6, rules=uz, chair_vote=A)
    assert tie.decided_by_chair and not tie.adopted
    assert tie.message == (
        "Решение не принято: «за» 3, «против» 3, воздержались 0; голоса разделились поровну, решил голос председателя."
    )
    assert count_votes(votes=[F, F, F, A, A, A], members=6, rules=uz, chair_vote=F).adopted
    with pytest.raises(ValueError, match="нужен голос председателя"):
        count_votes(votes=[F, A], members=5, rules=uz)
