"""A signed meeting of the commission (the commission's fixtures), for the change log's tests."""

from __future__ import annotations

import pytest

from ridbook.accounts.roles import Role
from ridbook.commission import services as cs
from ridbook.commission.tests.conftest import (  # noqa: F401
    accepted,
    author,
    author_person,
    chair,
    coauthor,
    commission,
    draft,
    meeting,
    officer,
    open_with,
    secretary,
)


@pytest.fixture
def signed_meeting(meeting, accepted, secretary, chair):
    """A meeting from the queue to both signatures: the whole commission votes «за», one member is excused."""
    cs.agenda_from_queue(actor=secretary, meeting=meeting)
    item = meeting.items.get()
    open_with(meeting, secretary, excused=("member5",))
    cs.item_propose(actor=secretary, item=item, outcome="file", protection_form="invention", heard="Доклад автора")
    for row in meeting.attendance.filter(present=True).select_related("member"):
        cs.vote_cast(actor=secretary, item=item, member=row.member, choice="for")
    cs.meeting_close(actor=secretary, meeting=meeting)
    cs.protocol_sign(actor=chair, meeting=meeting)
    cs.protocol_sign(actor=secretary, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def auditor(personas):
    return personas[Role.AUDITOR]
