from __future__ import annotations

import pytest

from ridbook.accounts.roles import Role
from ridbook.audit.context import acting_as
from ridbook.audit.models import ChangeRecord, RecordLocked
from ridbook.audit.selectors import change_history
from ridbook.organizations.services import organization_update

pytestmark = pytest.mark.django_db


def test_update_records_who_when_before_and_after(personas, org_tree):
    admin = personas[Role.ADMINISTRATOR]
    org = org_tree["institute"]
    organization_update(actor=admin, organization=org, name="Институт цифровых технологий")
    record = change_history(instance=org).first()
    assert record.action == "update"
    assert record.actor == admin
    assert record.actor_label == admin.username
    assert record.before["name"] != "Институт цифровых технологий"
    assert record.after["name"] == "Институт цифровых технологий"
    assert [f for f, _, _ in record.changed_fields()] == ["name"]


def test_create_and_delete_are_recorded_with_a_job_actor(org_tree):
    from ridbook.organizations.models import Organization

    with acting_as("задание: проверка"):
        org = Organization.objects.create(
            name="Временная", short_name="Врем", kind="division", parent=org_tree["university"]
        )
        pk = org.pk
        org.delete()
    records = ChangeRecord.objects.filter(object_id=str(pk), content_type__model="organization").order_by("id")
    assert [r.action for r in records] == ["create", "delete"]
    assert {r.actor_label for r in records} == {"задание: проверка"}
    assert records[1].before["short_name"] == "Врем" and records[1].after is None


def test_saving_without_changes_writes_nothing(org_tree):
    org = org_tree["department"]
    before = ChangeRecord.objects.count()
    org.save()
    assert ChangeRecord.objects.count() == before


def test_passwords_are_not_written_to_the_audit_trail(personas):
    user = personas[Role.AUTHOR]
    user.set_password("another-secret-1")
    user.save()
    for record in change_history(instance=user):
        assert "password" not in (record.after or {})


def test_change_records_are_append_only(org_tree):
    record = ChangeRecord.objects.first()
    record.actor_label = "подделка"
    with pytest.raises(RecordLocked):
        record.save()
    with pytest.raises(RecordLocked):
        record.delete()


def test_a_locked_decision_cannot_be_changed_or_deleted():
    from ridbook.testing.models import SampleDecision

    decision = SampleDecision.objects.create(title="Протокол № 1", outcome="подать заявку")
    decision.outcome = "не подавать"
    decision.save()  # not locked yet: allowed
    decision.lock(by_label="председатель комиссии")
    assert decision.is_locked
    decision.outcome = "подать заявку"
    with pytest.raises(RecordLocked, match="утверждено и не может быть изменено"):
        decision.save()
    with pytest.raises(RecordLocked, match="не может быть удалено"):
        decision.delete()
    assert SampleDecision.objects.get(pk=decision.pk).outcome == "не подавать"
