"""No write of an audited model escapes the change log: bulk update, bulk create, bulk update of several fields and
queryset deletes are journaled row by row; locked decisions refuse them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from ridbook.accounts.models import User
from ridbook.accounts.roles import Role
from ridbook.audit.context import acting_as
from ridbook.audit.models import ChangeRecord, RecordLocked
from ridbook.organizations.models import Organization

pytestmark = pytest.mark.django_db


def _records(model: str, action: str):
    return ChangeRecord.objects.filter(content_type__model=model, action=action).order_by("id")


def test_a_bulk_update_writes_a_record_per_row_with_before_and_after(org_tree, personas):
    admin = personas[Role.ADMINISTRATOR]
    children = Organization.objects.filter(parent__isnull=False)
    expected = {str(pk) for pk in children.values_list("pk", flat=True)}
    with acting_as(admin):
        assert children.update(ogrn="1023601570000") == len(expected)
    records = _records("organization", "update")
    assert {r.object_id for r in records} == expected
    for record in records:
        assert record.actor == admin and record.actor_label == admin.username
        assert record.after["ogrn"] == "1023601570000" and record.before["ogrn"] == ""
        assert [f for f, _, _ in record.changed_fields()] == ["ogrn"]
    with acting_as(admin):  # the same values again: nothing changed, nothing written
        Organization.objects.filter(parent__isnull=False).update(ogrn="1023601570000")
    assert _records("organization", "update").count() == len(expected)


def test_an_update_of_rows_that_leave_the_filter_is_journaled_by_id(personas):
    users = User.objects.filter(is_active=True, username__in=["author", "expert"])
    assert users.update(is_active=False) == 2
    assert {r.after["is_active"] for r in _records("user", "update")} == {False}
    assert _records("user", "update").count() == 2


def test_an_update_of_unrecorded_fields_only_is_not_journaled(personas):
    before = ChangeRecord.objects.count()
    User.objects.update(last_login=timezone.now())  # audit_exclude: no record, no extra reads
    assert ChangeRecord.objects.count() == before


def test_bulk_create_and_bulk_update_are_journaled(org_tree):
    parent = org_tree["university"]
    made = Organization.objects.bulk_create(
        [Organization(name=f"Лаборатория {n}", short_name=f"Лаб{n}", kind="division", parent=parent) for n in (1, 2)]
    )
    assert [r.object_id for r in _records("organization", "create").filter(after__kind="division")] == [
        str(o.pk) for o in made
    ]
    for o in made:
        o.short_name += "-А"
    Organization.objects.bulk_update(made, ["short_name"])
    assert sorted(r.after["short_name"] for r in _records("organization", "update")) == ["Лаб1-А", "Лаб2-А"]


def test_a_queryset_delete_is_journaled(org_tree):
    parent = org_tree["university"]
    with acting_as("задание: проверка"):
        Organization.objects.create(name="Временная", short_name="Врем", kind="division", parent=parent)
        Organization.objects.filter(short_name="Врем").delete()
    [record] = _records("organization", "delete")
    assert record.before["short_name"] == "Врем" and record.actor_label == "задание: проверка"


def test_locked_decisions_refuse_bulk_update_and_delete():
    from ridbook.testing.models import SampleDecision

    open_one = SampleDecision.objects.create(title="Проект", outcome="")
    locked = SampleDecision.objects.create(title="Протокол № 1", outcome="подать заявку")
    locked.lock(by_label="председатель комиссии")
    with pytest.raises(RecordLocked):
        SampleDecision.objects.update(outcome="не подавать")
    with pytest.raises(RecordLocked):
        SampleDecision.objects.filter(pk=locked.pk).delete()
    assert SampleDecision.objects.get(pk=locked.pk).outcome == "подать заявку"
    assert SampleDecision.objects.filter(pk=open_one.pk).update(outcome="снять") == 1
    cascade = Collector(using="default")  # what a delete of a parent record does to its children
    cascade.collect([locked])
    with pytest.raises(RecordLocked), transaction.atomic():
        cascade.delete()
    assert SampleDecision.objects.filter(pk=locked.pk).exists()


def test_a_new_commission_order_journals_the_deactivation_of_the_old_one(personas, org_tree):
    from ridbook.commission import services as cs

    secretary = personas[Role.COMMISSION_SECRETARY]
    university = org_tree["university"]
    old = cs.commission_create(actor=secretary, organization=university, order_number="1", order_date=date(2026, 1, 9))
    new = cs.commission_create(actor=secretary, organization=university, order_number="2", order_date=date(2026, 2, 9))
    old.refresh_from_db()
    assert not old.is_active and new.is_active
    [record] = _records("commission", "update").filter(object_id=str(old.pk))
    assert (record.before["is_active"], record.after["is_active"]) == (True, False)
    assert record.actor == secretary
