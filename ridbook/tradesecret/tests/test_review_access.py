"""Red-team review of issue 14 (the access list and the gate): who may put a name on the list, the list asked at the
moment of reading, a response with content never kept by a cache."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.core.errors import PermissionDeniedError
from ridbook.testing.factories import UserFactory
from ridbook.tradesecret import access
from ridbook.tradesecret.models import AccessGrant
from ridbook.tradesecret.services import access_list
from ridbook.tradesecret.tests.conftest import SECRET

pytestmark = pytest.mark.django_db


def _grant_url(secret) -> str:
    return f"/api/v1/trade-secrets/rids/{secret.rid.pk}/grant/"


def test_the_rid_api_with_content_is_never_cached(secret):
    """The listed keeper gets the decrypted content in ``/api/v1/rids/<id>/``: the answer is «no-store» like the
    content page, so neither the browser nor a proxy keeps it for the next reader."""
    client = Client()
    client.force_login(secret.keeper)
    response = client.get(f"/api/v1/rids/{secret.rid.pk}/")
    assert response.status_code == 200 and SECRET in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_superuser_puts_no_one_on_the_list(secret, personas):
    """Only the head's signature (the approver role in force) changes the list: the superuser flag does not."""
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    colleague = personas[Role.IP_OFFICER]
    client = Client()
    client.force_login(root)
    response = client.post(_grant_url(secret), {"user": colleague.pk}, content_type="application/json")
    assert response.status_code == 403
    with pytest.raises(PermissionDeniedError):
        access_list.grant(actor=root, regime=secret.regime, user=colleague)
    with pytest.raises(PermissionDeniedError):
        access_list.revoke(actor=root, regime=secret.regime, user=secret.keeper)
    assert not access.is_listed(colleague, secret.regime)
    assert access.is_listed(secret.keeper, secret.regime)


def test_an_ip_officer_lists_neither_himself_nor_anyone(secret, personas):
    for user in (secret.keeper, personas[Role.IP_OFFICER], personas[Role.ADMINISTRATOR]):
        client = Client()
        client.force_login(user)
        response = client.post(_grant_url(secret), {"user": user.pk}, content_type="application/json")
        assert response.status_code == 403, user
        assert not AccessGrant.objects.filter(regime=secret.regime, user=user, added_by=user).exists()


def test_the_approver_may_name_himself_and_the_list_says_so(secret, personas):
    """UZ app. 3 §7: the head (or the deputy for science) decides who reads the secret, himself included — there is
    no one above him to ask. His grant names him as the one who added it, so the list shows the self-approval."""
    head = personas[Role.APPROVER]
    assert not access.is_listed(head, secret.regime)
    client = Client()
    client.force_login(head)
    response = client.post(_grant_url(secret), {"user": head.pk}, content_type="application/json")
    assert response.status_code == 201
    grant = AccessGrant.objects.get(regime=secret.regime, user=head)
    assert grant.added_by == head and grant.added_on == timezone.localdate()
    assert access.is_listed(head, secret.regime)


def test_the_list_is_asked_at_the_moment_of_reading(secret, personas):
    today = timezone.localdate()
    later = personas[Role.IP_OFFICER]
    AccessGrant.objects.create(
        regime=secret.regime, user=later, added_on=today + timedelta(days=1), added_by=personas[Role.APPROVER]
    )
    assert not access.may_read_content(later, secret.rid).allowed  # a grant from tomorrow grants nothing today
    client = Client()
    client.force_login(secret.keeper)
    content_url = reverse("tradesecret:content", args=[secret.rid.pk])
    assert client.get(content_url).status_code == 200
    access_list.revoke(actor=personas[Role.APPROVER], regime=secret.regime, user=secret.keeper)
    access.forget(secret.rid)
    assert client.get(content_url).status_code == 403  # removed today: refused today
    secret.keeper.is_active = False
    secret.keeper.save()
    assert not access.is_listed(secret.keeper, secret.regime)


def test_the_journal_is_written_by_the_gate_only(secret, personas):
    """No endpoint writes an entry with a user or a path of the caller's choosing: the journal API only reads."""
    from ridbook.tradesecret.models import JournalEntry

    client = Client()
    client.force_login(personas[Role.IP_OFFICER])
    count = JournalEntry.objects.count()
    forged = {"user_label": secret.keeper.username, "channel": "page", "granted": True, "action": "view"}
    for method in (client.post, client.put, client.patch, client.delete):
        response = method("/api/v1/trade-secrets/journal/", forged, content_type="application/json")
        assert response.status_code == 405
    assert JournalEntry.objects.count() == count


def test_the_key_is_masked_on_an_error_page():
    from django.views.debug import SafeExceptionReporterFilter

    shown = SafeExceptionReporterFilter().get_safe_settings()["RIDBOOK_TRADESECRET_KEYS"]
    assert "q2hZ4Tc8" not in str(shown)


def test_one_who_left_the_organization_reads_nothing_though_his_grant_is_open(secret, personas):
    """The list names working people of the legal entity (``grant`` and ``approve`` check it): an author who left
    (no role in force there any more) still sees his RID as its author, but not its content, even before the head
    closes his grant."""
    from ridbook.accounts.models import RoleAssignment

    author = personas[Role.AUTHOR]
    access_list.grant(actor=personas[Role.APPROVER], regime=secret.regime, user=author)
    client = Client()
    client.force_login(author)
    content_url = reverse("tradesecret:content", args=[secret.rid.pk])
    assert client.get(content_url).status_code == 200
    RoleAssignment.objects.filter(user=author).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert client.get(reverse("registry:detail", args=[secret.rid.pk])).status_code == 200  # still his RID
    response = client.get(content_url)
    assert response.status_code == 403 and SECRET not in response.content.decode()
    assert client.get(f"/api/v1/rids/{secret.rid.pk}/").json()["abstract"] is None
