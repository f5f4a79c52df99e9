"""The commission's pages: a RID on the agenda that the division head then presents to the council. Members, the
chair, the secretary and the invited expert are not on its access list: the meeting page, the item's materials (the
packet file, the notice DOCX) and the protocol show no content; the refused file is journaled."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ridbook.accounts.roles import Role
from ridbook.testing.world import build_world
from ridbook.tradesecret.models import JournalEntry
from ridbook.tradesecret.services import regime as services
from ridbook.tradesecret.tests.test_refusal_matrix import _text

pytestmark = pytest.mark.django_db


def test_the_commission_sees_the_register_fields_only(django_capture_on_commit_callbacks):
    w = build_world("Альфин", "a")
    abstract = w.accepted.abstract
    assert abstract  # the world's notice has one: it must vanish from every page below
    needle = abstract.split()[2]
    with django_capture_on_commit_callbacks(execute=True):
        services.present(actor=w.users[Role.DIVISION_HEAD], rid=w.accepted)
    w.packet_document.refresh_from_db()
    for role in (Role.COMMISSION_MEMBER, Role.COMMISSION_CHAIR, Role.COMMISSION_SECRETARY, Role.EXPERT):
        user = w.users[role]
        client = Client()
        client.force_login(user)
        urls = [
            reverse("commission:meeting", args=[w.meeting.pk]),
            reverse("commission:item_material", args=[w.meeting.pk, w.item.pk, "notice"]),
            reverse("commission:item_material", args=[w.meeting.pk, w.item.pk, str(w.packet_document.pk)]),
            reverse("commission:protocol", args=[w.meeting.pk, "docx"]),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 403, 404), (role, url, response.status_code)
            assert needle not in _text(response), (role, url)
        file = client.get(urls[2])
        assert file.status_code == 403, role
        refused = JournalEntry.objects.filter(user_id_value=user.pk, granted=False, channel="commission")
        assert refused.exists(), role
