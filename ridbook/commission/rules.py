"""How an IP commission counts (SPEC §4, §14): quorum and the majority rule of the organization's policy.

Pure functions over numbers, shared by the meeting services of the commission issue. The policy's
``commission`` section says which rule applies; nothing here branches on the organization.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from ridbook.policies.schema import Commission


class Vote(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


@dataclass(frozen=True)
class Quorum:
    present: int
    members: int
    required_fraction: Decimal
    reached: bool
    message: str


def quorum(*, present: int, members: int, rules: Commission) -> Quorum:
    """Quorum: present ÷ all members ≥ the policy's fraction (VGTU 6.2: 50 %, exactly half is a quorum)."""
    if members <= 0:
        raise ValueError(_("В комиссии нет членов: кворум определить нельзя."))
    if not 0 <= present <= members:
        raise ValueError(
            _("Присутствующих (%(present)s) не может быть больше, чем членов комиссии (%(members)s).")
            % {"present": present, "members": members}
        )
    reached = Decimal(present) >= rules.quorum_fraction * members
    percent = (rules.quorum_fraction * 100).normalize()
    numbers = {"present": present, "members": members, "percent": f"{percent:f}"}
    message = (
        _("Кворум есть: присутствуют %(present)s из %(members)s (нужно не менее %(percent)s %%).") % numbers
        if reached
        else _("Кворума нет: присутствуют %(present)s из %(members)s, нужно не менее %(percent)s %% членов комиссии.")
        % numbers
    )
    return Quorum(present, members, rules.quorum_fraction, reached, message)


@dataclass(frozen=True)
class Outcome:
    votes_for: int
    votes_against: int
    abstained: int
    adopted: bool
    decided_by_chair: bool
    message: str


def count_votes(*, votes: list[Vote], members: int, rules: Commission, chair_vote: Vote | None = None) -> Outcome:
    """The result of an open vote of the members present (no absentee votes are ever passed in).

    ``majority_basis = "present"``: adopted when votes for > present ÷ 2 (abstentions count as present).
    ``majority_basis = "all_members"``: adopted when votes for > all members ÷ 2; with ``tie_breaker = "chair"``,
    when votes for = votes against the chair's side wins (UZ reward commission §8).
    """
    votes_for = sum(1 for v in votes if v == Vote.FOR)
    against = sum(1 for v in votes if v == Vote.AGAINST)
    abstained = len(votes) - votes_for - against
    basis = len(votes) if rules.majority_basis == "present" else members
    present_basis = rules.majority_basis == "present"
    tally = _("«за» %(for)s, «против» %(against)s, воздержались %(abstained)s") % {
        "for": votes_for,
        "against": against,
        "abstained": abstained,
    }
    if 2 * votes_for > basis:
        message = (
            _("Решение принято: %(tally)s — большинство присутствующих.")
            if present_basis
            else _("Решение принято: %(tally)s — большинство всех членов комиссии.")
        )
        return Outcome(votes_for, against, abstained, True, False, message % {"tally": tally})
    if rules.tie_breaker == "chair" and votes_for == against and votes_for > 0:
        if chair_vote is None or chair_vote == Vote.ABSTAIN:
            raise ValueError(_("Голоса разделились поровну: нужен голос председателя «за» или «против»."))
        adopted = chair_vote == Vote.FOR
        message = (
            _("Решение принято: %(tally)s; голоса разделились поровну, решил голос председателя.")
            if adopted
            else _("Решение не принято: %(tally)s; голоса разделились поровну, решил голос председателя.")
        )
        return Outcome(votes_for, against, abstained, adopted, True, message % {"tally": tally})
    message = (
        _("Решение не принято: %(tally)s — нет большинства присутствующих.")
        if present_basis
        else _("Решение не принято: %(tally)s — нет большинства всех членов комиссии.")
    )
    return Outcome(votes_for, against, abstained, False, False, message % {"tally": tally})
