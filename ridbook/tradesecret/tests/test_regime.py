"""The decision and the access list: who presents, records, approves; the states; the list's dates and approvers;
the API and the tasks of «Мои задачи и сроки»."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from ridbook.accounts.roles import Role
from ridbook.core.errors import DomainError, PermissionDeniedError
from ridbook.deadlines.registry import deadlines_for
from ridbook.registry.models import Rid
from ridbook.testing.factories import persona
from ridbook.tradesecret import access, journal
from ridbook.tradesecret.models import AccessGrant, JournalEntry
from ridbook.tradesecret.services import access_list
from ridbook.tradesecret.services import regime as services
from ridbook.tradesecret.tests.conftest import SECRET, make_rid

pytestmark = pytest.mark.django_db


def test_only_the_division_head_presents(personas, org_tree):
    rid, _doc = make_rid(personas, org_tree["university"])
    for role in (Role.IP_OFFICER, Role.APPROVER, Role.ADMINISTRATOR, Role.AUTHOR):
        with pytest.raises(PermissionDeniedError):
            services.present(actor=personas[role], rid=rid)
    regime = services.present(actor=personas[Role.DIVISION_HEAD], rid=rid, commercial_value="ценность")
    assert regime.state == "presented" and regime.is_restricted
    # the provisional list: the presenter and the authors
    listed = set(AccessGrant.objects.filter(regime=regime).values_list("user__username", flat=True))
    assert listed == {"division_head", "author"}
    with pytest.raises(DomainError, match="уже представлен"):
        services.present(actor=personas[Role.DIVISION_HEAD], rid=rid)


def test_the_council_is_recorded_by_the_ip_department_and_approved_by_the_approver(personas, org_tree):
    rid, _doc = make_rid(personas, org_tree["university"])
    regime = services.present(actor=personas[Role.DIVISION_HEAD], rid=rid)
    today = timezone.localdate()
    with pytest.raises(PermissionDeniedError):
        services.record_council_decision(
            actor=personas[Role.DIVISION_HEAD], regime=regime, outcome="protect", protocol_number="1", decided_on=today
        )
    with pytest.raises(DomainError, match="номер протокола"):
        services.record_council_decision(
            actor=personas[Role.IP_OFFICER], regime=regime, outcome="protect", protocol_number=" ", decided_on=today
        )
    approval = services.Approval(approved=True, approved_on=today, access_list=(personas[Role.IP_OFFICER],))
    with pytest.raises(DomainError, match="нужно"):  # not yet decided by the council
        services.approve(actor=personas[Role.APPROVER], regime=regime, approval=approval)
    services.record_council_decision(
        actor=personas[Role.IP_OFFICER], regime=regime, outcome="protect", protocol_number="5", decided_on=today
    )
    with pytest.raises(PermissionDeniedError):  # the division head presents, he does not approve
        services.approve(actor=personas[Role.DIVISION_HEAD], regime=regime, approval=approval)
    with pytest.raises(DomainError, match="Список допуска"):
        services.approve(
            actor=personas[Role.APPROVER], regime=regime, approval=services.Approval(approved=True, approved_on=today)
        )
    regime = services.approve(actor=personas[Role.APPROVER], regime=regime, approval=approval)
    assert regime.state == "in_force" and regime.approved_by == personas[Role.APPROVER]
    open_grants = AccessGrant.objects.filter(regime=regime, removed_on__isnull=True)
    assert list(open_grants.values_list("user__username", flat=True)) == ["ip_officer"]
    closed = AccessGrant.objects.filter(regime=regime, removed_on=today)
    assert set(closed.values_list("user__username", flat=True)) == {"division_head", "author"}
    assert all(g.removed_by == personas[Role.APPROVER] for g in closed)


def test_the_list_is_checked_at_the_moment_of_reading(secret):
    approver = secret.users[Role.APPROVER]
    member = secret.users[Role.COMMISSION_MEMBER]
    with pytest.raises(access.ContentRefused):
        access.read_content(member, secret.regime, action="view", channel="page")
    with pytest.raises(PermissionDeniedError):  # the IP officer keeps the RID but does not change the list
        access_list.grant(actor=secret.users[Role.IP_OFFICER], regime=secret.regime, user=member)
    grant = access_list.grant(actor=approver, regime=secret.regime, user=member, reason="эксперт совета")
    assert (grant.added_by, grant.added_on) == (approver, timezone.localdate())
    assert SECRET in access.read_content(member, secret.regime, action="view", channel="page")["rid"]["abstract"]
    with pytest.raises(DomainError, match="уже в списке"):
        access_list.grant(actor=approver, regime=secret.regime, user=member)
    access_list.revoke(actor=approver, regime=secret.regime, user=member, reason="работа окончена")
    with pytest.raises(access.ContentRefused):
        access.read_content(member, secret.regime, action="view", channel="page")
    member.is_active = False
    member.save()
    with pytest.raises(DomainError, match="не найден"):
        access_list.grant(actor=approver, regime=secret.regime, user=member)
    with pytest.raises(DomainError, match="будущем"):
        access_list.grant(
            actor=approver,
            regime=secret.regime,
            user=secret.users[Role.EXPERT],
            on=timezone.localdate() + timedelta(days=1),
        )


def test_a_user_of_another_legal_entity_is_never_listed(secret, org_tree):
    outsider = persona(Role.IP_OFFICER, org_tree["holding"], username="holding-ip")
    with pytest.raises(DomainError, match="не найден"):
        access_list.grant(actor=secret.users[Role.APPROVER], regime=secret.regime, user=outsider)


def test_verify_reports_the_first_broken_link_of_a_modified_and_a_deleted_row(secret, capsys):
    for _ in range(4):
        with pytest.raises(access.ContentRefused):
            access.read_content(secret.users[Role.AUDITOR], secret.regime, action="view", channel="page")
    call_command("verify_tradesecret_journal")
    count = JournalEntry.objects.count()
    assert f"цепочка цела, {count} записей" in capsys.readouterr().out
    ids = list(JournalEntry.objects.order_by("id").values_list("id", flat=True))
    table = JournalEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET granted = %s WHERE id = %s", [True, ids[1]])
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_tradesecret_journal")
    assert exit_.value.code == 1
    assert f"№ {ids[1]}" in capsys.readouterr().err
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET granted = %s WHERE id = %s", [False, ids[1]])
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [ids[2]])
    broken = journal.verify()
    assert broken is not None and broken.entry_id == ids[3]
    with pytest.raises(SystemExit):
        call_command("verify_tradesecret_journal")
    assert f"№ {ids[3]}" in capsys.readouterr().err


def test_the_journal_is_append_only_in_the_application(secret):
    access.read_content(secret.keeper, secret.regime, action="view", channel="page")
    entry = JournalEntry.objects.first()
    with pytest.raises(DomainError):
        entry.delete()
    with pytest.raises(DomainError):
        JournalEntry.objects.filter(pk=entry.pk).update(granted=True)


def test_the_api_walks_the_regime(personas, org_tree):
    rid, _doc = make_rid(personas, org_tree["university"])
    today = timezone.localdate().isoformat()

    def client(role):
        c = Client()
        c.force_login(personas[role])
        return c

    base = f"/api/v1/trade-secrets/rids/{rid.pk}/"
    assert client(Role.IP_OFFICER).post(base + "present/", {}, content_type="application/json").status_code == 403
    answer = client(Role.DIVISION_HEAD).post(
        base + "present/", {"commercial_value": "x"}, content_type="application/json"
    )
    assert answer.status_code == 201 and answer.json()["state"] == "presented"
    assert Rid.objects.get(pk=rid.pk).abstract == ""
    council = {"council_outcome": "protect", "council_protocol_number": "3", "council_decided_on": today}
    assert client(Role.IP_OFFICER).post(base + "council/", council, content_type="application/json").status_code == 200
    approval = {"approved": True, "approved_on": today, "access_list": [personas[Role.EXPERT].pk], "copy_limit": 2}
    answer = client(Role.APPROVER).post(base + "approve/", approval, content_type="application/json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "in_force"
    assert [g["user"] for g in answer.json()["access_list"] if g["removed_on"] is None] == [personas[Role.EXPERT].pk]
    grant = {"user": personas[Role.COMMISSION_SECRETARY].pk, "reason": "оценка"}
    assert client(Role.APPROVER).post(base + "grant/", grant, content_type="application/json").status_code == 201
    content = client(Role.COMMISSION_SECRETARY).get(base + "content/")
    assert content.status_code == 200 and SECRET in content.json()["abstract"]
    edited = client(Role.COMMISSION_SECRETARY).patch(
        base + "content/", {"uses": "новые области"}, content_type="application/json"
    )
    assert edited.status_code == 200 and edited.json()["uses"] == "новые области"
    assert JournalEntry.objects.filter(
        action="edit", granted=True, user_id_value=personas[Role.COMMISSION_SECRETARY].pk
    ).exists()
    assert client(Role.APPROVER).post(base + "revoke/", grant, content_type="application/json").status_code == 200
    assert client(Role.COMMISSION_SECRETARY).get(base + "content/").status_code == 403
    regime = client(Role.AUTHOR).get(base).json()
    assert regime["access_list"] is None and regime["listed"] is False


def test_the_tasks_of_the_regime(personas, org_tree):
    rid, _doc = make_rid(personas, org_tree["university"])
    Rid.objects.filter(pk=rid.pk).update(status="trade_secret", decided_on=timezone.localdate())
    today = timezone.localdate()
    titles = [d.title for d in deadlines_for(personas[Role.DIVISION_HEAD], today)]
    assert any("научно-технический совет" in t and rid.number in t for t in titles)
    services.present(actor=personas[Role.DIVISION_HEAD], rid=Rid.objects.get(pk=rid.pk))
    assert not any(rid.number in d.title for d in deadlines_for(personas[Role.DIVISION_HEAD], today))
    officer = [d.title for d in deadlines_for(personas[Role.IP_OFFICER], today)]
    assert any("решение научно-технического совета" in t for t in officer)


def test_a_presented_draft_is_not_deleted(secret):
    from ridbook.registry import services as rs

    with pytest.raises(DomainError, match="нельзя удалить"):
        rs.rid_delete_draft(actor=secret.users[Role.IP_OFFICER], rid=secret.rid)
    assert Rid.objects.filter(pk=secret.rid.pk).exists()


def test_pages_answer_clearly_without_a_regime_or_a_key(personas, org_tree, settings):
    rid, _doc = make_rid(personas, org_tree["university"])
    client = Client()
    client.force_login(personas[Role.IP_OFFICER])
    assert client.get(f"/tradesecret/rid/{rid.pk}/content/").status_code == 404
    assert client.post(f"/tradesecret/rid/{rid.pk}/revoke/", {"user": "x"}).status_code == 404
    head = Client()
    head.force_login(personas[Role.DIVISION_HEAD])
    settings.RIDBOOK_TRADESECRET_KEYS = []
    settings.RIDBOOK_TRADESECRET_KEY_FILE = ""
    page = head.post(f"/tradesecret/rid/{rid.pk}/present/", {"presented_on": timezone.localdate().isoformat()})
    assert page.status_code == 200 and "RIDBOOK_TRADESECRET_KEYS" in page.content.decode()
    assert SECRET in Rid.objects.get(pk=rid.pk).abstract
    api = head.post(f"/api/v1/trade-secrets/rids/{rid.pk}/present/", {}, content_type="application/json")
    assert api.status_code == 503


def test_each_step_writes_its_letters_without_the_content(personas, org_tree, django_capture_on_commit_callbacks):
    from django.core import mail

    rid, _doc = make_rid(personas, org_tree["university"])
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        regime = services.present(actor=personas[Role.DIVISION_HEAD], rid=rid)
        services.record_council_decision(
            actor=personas[Role.IP_OFFICER], regime=regime, outcome="protect", protocol_number="1", decided_on=today
        )
        services.approve(
            actor=personas[Role.APPROVER],
            regime=regime,
            approval=services.Approval(approved=True, approved_on=today, access_list=(personas[Role.EXPERT],)),
        )
        access_list.revoke(actor=personas[Role.APPROVER], regime=regime, user=personas[Role.EXPERT])
    to = {(m.to[0], m.subject.split(":")[0].split(" ")[0]) for m in mail.outbox}
    assert (personas[Role.IP_OFFICER].email, "РИД") in to  # presented: the IP department
    assert any(m.to == [personas[Role.APPROVER].email] and "Утвердите" in m.subject for m in mail.outbox)
    assert any(m.to == [personas[Role.EXPERT].email] and "включены" in m.subject for m in mail.outbox)
    assert any(m.to == [personas[Role.EXPERT].email] and "прекращён" in m.subject for m in mail.outbox)
    for letter in mail.outbox:
        assert "аэрогельного" not in letter.body and rid.number in letter.body


def test_the_probe_says_who_may_read_and_journals_nothing(secret, personas, org_tree):
    before = JournalEntry.objects.count()
    assert access.may_read_content(secret.keeper, secret.rid)
    refused = access.may_read_content(secret.users[Role.ADMINISTRATOR], secret.rid)
    assert not refused and "списке допуска" in refused.reason
    plain, _doc = make_rid(personas, org_tree["university"])
    assert access.may_read_content(secret.users[Role.AUTHOR], plain)  # no regime: the ordinary rules apply
    assert JournalEntry.objects.count() == before


def test_the_approved_list_holds_only_active_colleagues(personas, org_tree):
    rid, _doc = make_rid(personas, org_tree["university"])
    regime = services.present(actor=personas[Role.DIVISION_HEAD], rid=rid)
    today = timezone.localdate()
    services.record_council_decision(
        actor=personas[Role.IP_OFFICER], regime=regime, outcome="protect", protocol_number="1", decided_on=today
    )
    outsider = persona(Role.IP_OFFICER, org_tree["holding"], username="holding-keeper")
    approval = services.Approval(approved=True, approved_on=today, access_list=(personas[Role.EXPERT], outsider))
    with pytest.raises(DomainError, match="только действующие работники"):
        services.approve(actor=personas[Role.APPROVER], regime=regime, approval=approval)


def test_a_refused_regime_is_presented_again_a_disclosed_one_is_not(personas, org_tree):
    from ridbook.tradesecret.services.disclosure import regime_disclose

    rid, _doc = make_rid(personas, org_tree["university"])
    head, officer = personas[Role.DIVISION_HEAD], personas[Role.IP_OFFICER]
    today = timezone.localdate()
    regime = services.present(actor=head, rid=rid)
    services.record_council_decision(
        actor=officer, regime=regime, outcome="refuse", protocol_number="3", decided_on=today
    )
    rid.refresh_from_db()
    assert SECRET in rid.abstract  # refused: the content is back in its column
    again = services.present(actor=head, rid=rid, commercial_value="новая оценка")
    assert again.pk == regime.pk and again.state == "presented" and again.council_outcome == ""
    rid.refresh_from_db()
    assert SECRET not in rid.abstract  # sealed again
    assert AccessGrant.objects.filter(regime=again, removed_on__isnull=True).count() == 2  # presenter and author
    services.record_council_decision(
        actor=officer, regime=again, outcome="protect", protocol_number="4", decided_on=today
    )
    services.approve(
        actor=personas[Role.APPROVER],
        regime=again,
        approval=services.Approval(approved=True, approved_on=today, access_list=(officer,)),
    )
    regime_disclose(actor=officer, regime=again, on=today, details="опубликовано в журнале")
    with pytest.raises(DomainError, match="раскрыты"):
        services.present(actor=head, rid=rid)
