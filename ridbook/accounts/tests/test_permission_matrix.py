"""Role × action matrix, written out independently of ``permissions.GRANTS``: a change of rights must change both."""

from __future__ import annotations

import logging

import pytest

from ridbook.accounts.permissions import Action, decide, organization_ids_for, require
from ridbook.accounts.roles import Role
from ridbook.core.errors import PermissionDeniedError
from ridbook.testing.factories import persona

EVERYONE = {"organization.view", "policy.view", "deadlines.view"}

# What each role may do (everything else is denied).
ALLOWED: dict[str, set[str]] = {
    "author": EVERYONE | {"rid.view", "notice.draft", "notice.submit", "reward.view", "points.view"},
    "ip_officer": EVERYONE
    | {
        "rid.view",
        "notice.draft",
        "notice.review",
        "audit.view",
        "filing.manage",
        "license.manage",
        "reward.view",
        "points.enter",
        "points.view",
        "trade_secret.keep",
        "trade_secret_journal.view",
        "commission.view",
        "deadlines.oversee",
    },
    "ip_head": EVERYONE
    | {
        "rid.view",
        "notice.draft",
        "notice.review",
        "audit.view",
        "filing.manage",
        "license.manage",
        "reward.view",
        "points.enter",
        "points.view",
        "trade_secret.keep",
        "trade_secret_journal.view",
        "commission.view",
        "deadlines.oversee",
        "deadlines.escalation",
    },
    "commission_secretary": EVERYONE | {"rid.view", "commission.view", "meeting.manage", "protocol.sign"},
    "commission_chair": EVERYONE | {"rid.view", "commission.view", "meeting.vote", "protocol.sign"},
    "commission_member": EVERYONE | {"rid.view", "commission.view", "meeting.vote"},
    "expert": EVERYONE | {"rid.view", "commission.view", "expert.opinion"},
    "approver": EVERYONE | {"rid.view", "commission.view", "decision.approve", "points.view", "trade_secret.approve"},
    "accountant": EVERYONE | {"rid.view", "valuation.calculate", "reward.view", "reward.calculate", "reward.pay"},
    "division_head": EVERYONE | {"rid.view", "usage_act.sign", "points.view", "trade_secret.present"},
    "auditor": EVERYONE
    | {
        "rid.view",
        "commission.view",
        "audit.view",
        "security_log.view",
        "reward.view",
        "points.view",
        "trade_secret_journal.view",
    },
    "administrator": EVERYONE
    | {"rid.view", "organization.manage", "role.assign", "policy.assign", "audit.view", "security_log.view"},
}


def test_the_matrix_covers_every_role_and_every_action():
    assert set(ALLOWED) == {r.value for r in Role}
    named = set().union(*ALLOWED.values())
    assert named <= {a.value for a in Action}, named - {a.value for a in Action}


def test_auditor_is_read_only():
    assert all(a.endswith(".view") for a in ALLOWED["auditor"])


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_by_action(role, personas, org_tree):
    user = personas.get(Role(role)) or persona(Role(role), org_tree["university"])
    for action in Action:
        expected = action.value in ALLOWED[role]
        # A role assigned at the university applies to its departments ...
        assert decide(user, action, org_tree["department"]).allowed is expected, (role, action.value)
        # ... and never to another organization's tree.
        assert decide(user, action, org_tree["holding"]).allowed is False, (role, action.value)


@pytest.mark.django_db
def test_denial_has_a_reason_and_is_logged(personas, org_tree, caplog):
    author = personas[Role.AUTHOR]
    with caplog.at_level(logging.WARNING, logger="ridbook.permissions"):
        decision = decide(author, Action.MEETING_VOTE, org_tree["university"])
    assert not decision.allowed
    assert "голосование на заседании комиссии" in decision.reason
    assert "член комиссии" in decision.reason
    assert any(
        "permission denied" in r.message and "meeting.vote" in r.message and "author" in r.message
        for r in caplog.records
    )
    with pytest.raises(PermissionDeniedError) as exc:
        require(author, Action.MEETING_VOTE, org_tree["university"])
    assert exc.value.status == 403


@pytest.mark.django_db
def test_anonymous_and_inactive_users_are_denied(personas, org_tree):
    from django.contrib.auth.models import AnonymousUser

    assert decide(AnonymousUser(), Action.ORGANIZATION_VIEW).reason == "Требуется вход в систему."
    admin = personas[Role.ADMINISTRATOR]
    admin.is_active = False
    assert decide(admin, Action.ORGANIZATION_VIEW).reason == "Учётная запись отключена."


@pytest.mark.django_db
def test_restrict_scope_is_the_subtree(personas, org_tree):
    ids = organization_ids_for(personas[Role.IP_OFFICER], Action.NOTICE_REVIEW)
    assert ids == {org_tree["university"].pk, org_tree["institute"].pk, org_tree["department"].pk}
    assert organization_ids_for(personas[Role.AUTHOR], Action.NOTICE_REVIEW) == set()


def _dated_administrator(org_tree, **dates):
    from ridbook.accounts.models import RoleAssignment
    from ridbook.testing.factories import UserFactory

    user = UserFactory()
    RoleAssignment.objects.create(user=user, organization=org_tree["university"], role=Role.ADMINISTRATOR, **dates)
    return user


def test_a_role_that_ended_yesterday_grants_nothing(org_tree, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    user = _dated_administrator(org_tree, valid_from=today - timedelta(days=30), valid_until=today - timedelta(days=1))
    with django_assert_num_queries(1):  # the roles in force: one query, filtered in SQL, then cached
        assert not decide(user, Action.ROLE_ASSIGN, org_tree["university"], log=False)
        assert not decide(user, Action.ORGANIZATION_VIEW, org_tree["department"], log=False)
    assert organization_ids_for(user, Action.ROLE_ASSIGN) == set()


def test_a_role_ending_today_holds_today(org_tree):
    from django.utils import timezone

    user = _dated_administrator(org_tree, valid_until=timezone.localdate())
    assert decide(user, Action.ROLE_ASSIGN, org_tree["department"], log=False)


def test_a_role_starting_tomorrow_grants_nothing_yet(org_tree):
    from datetime import timedelta

    from django.utils import timezone

    user = _dated_administrator(org_tree, valid_from=timezone.localdate() + timedelta(days=1))
    assert not decide(user, Action.ROLE_ASSIGN, org_tree["university"], log=False)
    assert organization_ids_for(user, Action.ORGANIZATION_VIEW) == set()
