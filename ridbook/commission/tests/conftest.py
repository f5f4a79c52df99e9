"""A VGTU-policy commission of seven, a RID accepted into its queue, and a meeting scheduled for today."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.commission import services as cs
from ridbook.registry.tests.conftest import author, author_person, coauthor, draft, officer  # noqa: F401
from ridbook.testing.world import accept_notice

accept = accept_notice  # submit, receive, the packet and clearances, accept: the RID enters the queue


@pytest.fixture
def accepted(draft, author, officer):
    return accept(draft, author=author, officer=officer)


@pytest.fixture
def secretary(personas):
    return personas[Role.COMMISSION_SECRETARY]


@pytest.fixture
def chair(personas):
    return personas[Role.COMMISSION_CHAIR]


@pytest.fixture
def commission(personas, org_tree, secretary, chair):
    """Seven members (VGTU §3.3 minimum): chair, deputy, secretary and four members."""
    from ridbook.testing.factories import persona

    university = org_tree["university"]
    c = cs.commission_create(
        actor=secretary,
        organization=university,
        order_number="415",
        order_date=date(2026, 1, 15),
        default_place="ауд. 1212",
    )
    cs.member_add(actor=secretary, commission=c, user=chair, role="chair", position="проректор")
    cs.member_add(actor=secretary, commission=c, user=secretary, role="secretary", position="начальник ЦПТИ")
    cs.member_add(actor=secretary, commission=c, user=personas[Role.COMMISSION_MEMBER], role="deputy", position="декан")
    for n in range(2, 6):
        user = persona(Role.COMMISSION_MEMBER, university, username=f"member{n}")
        user.last_name, user.email = f"Член{n}", f"member{n}@example.org"
        user.save()
        cs.member_add(actor=secretary, commission=c, user=user, role="member", position=f"профессор {n}")
    return c


@pytest.fixture
def meeting(commission, secretary):
    return cs.meeting_schedule(actor=secretary, commission=commission, on=timezone.localdate(), at=time(15, 0))


def seats(commission):
    return {m.user.username: m for m in commission.members.select_related("user")}


def open_with(meeting, secretary, *, absent=(), excused=()):
    """Open the meeting and mark attendance: everyone present except the given usernames."""
    cs.meeting_open(actor=secretary, meeting=meeting, confirm_unnotified=True)
    for row in meeting.attendance.select_related("member__user"):
        name = row.member.user.username
        if name in absent or name in excused:
            cs.attendance_mark(
                actor=secretary,
                meeting=meeting,
                member=row.member,
                present=False,
                absence="excused" if name in excused else "unexcused",
            )
        else:
            cs.attendance_mark(actor=secretary, meeting=meeting, member=row.member, present=True)
    meeting.refresh_from_db()
    return meeting
