"""Signal handlers that write :class:`ChangeRecord` rows for every :class:`AuditedModel`."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from ridbook.audit.context import current_actor
from ridbook.audit.models import AuditedModel, ChangeAction, ChangeRecord, ImmutableRecordModel, RecordLocked


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The stored fields of a record as plain JSON-able values (foreign keys by id)."""
    exclude = set(getattr(instance, "audit_exclude", ()))
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(instance, field.attname)
        data[field.name] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
    return data


def _write(instance: models.Model, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    record = change_record(instance, action, before, after)
    if record is not None:
        record.save()


def change_record(
    instance: models.Model, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> ChangeRecord | None:
    """The unsaved record of a change by the acting user or job; None for an update that changed nothing."""
    if action == ChangeAction.UPDATE and before == after:
        return None
    actor = current_actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    return ChangeRecord(
        actor=user,
        actor_label=actor.label[:200],
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance), for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        organization_id=instance.audit_organization_id(),  # type: ignore[attr-defined]
        before=before,
        after=after,
    )


@receiver(pre_save)
def _remember_before(sender: type[models.Model], instance: models.Model, raw: bool = False, **_kwargs: Any) -> None:
    if raw or not isinstance(instance, AuditedModel) or instance.pk is None:
        return
    stored = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(stored) if stored is not None else None  # type: ignore[attr-defined]


@receiver(post_save)
def _record_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **_kwargs: Any
) -> None:
    if raw or not isinstance(instance, AuditedModel):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    _write(instance, ChangeAction.CREATE if created else ChangeAction.UPDATE, before, snapshot(instance))


@receiver(pre_delete)
def _refuse_locked_delete(sender: type[models.Model], instance: models.Model, **_kwargs: Any) -> None:
    """A locked decision is not deleted by a queryset's ``delete()`` or a cascade either (``delete()`` checks itself)."""
    if isinstance(instance, ImmutableRecordModel) and instance.locked_at is not None:
        raise RecordLocked(_("«%(record)s» утверждено и не может быть удалено.") % {"record": instance})


@receiver(post_delete)
def _record_delete(sender: type[models.Model], instance: models.Model, **_kwargs: Any) -> None:
    if isinstance(instance, AuditedModel):
        _write(instance, ChangeAction.DELETE, snapshot(instance), None)
