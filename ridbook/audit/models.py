"""Audit trail: a generic before → after record of every change of a domain record, and immutable decisions."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from ridbook.core.errors import DomainError


class ChangeAction(models.TextChoices):
    CREATE = "create", gettext_lazy("создание")
    UPDATE = "update", gettext_lazy("изменение")
    DELETE = "delete", gettext_lazy("удаление")


class AppendOnlyModel(models.Model):
    """A journal's record: written once, never changed or deleted. ``journal`` names the journal in the refusal
    («журнала изменений»)."""

    journal: ClassVar[StrOrPromise] = gettext_lazy("журнала")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RecordLocked(_("Запись %(journal)s нельзя изменить.") % {"journal": self.journal})
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RecordLocked(_("Запись %(journal)s нельзя удалить.") % {"journal": self.journal})


class ChangeRecord(AppendOnlyModel):
    """Запись журнала изменений: кто, когда, что было → что стало. Append-only."""

    journal = gettext_lazy("журнала изменений")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    # indexed by the composite index below (content type first), not on its own: every index costs each write
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    # the organization of the changed object (``AuditedModel.audit_organization_id``): the log is read by the same
    # rule as the objects. No database constraint: a record outlives its organization, and it is never updated.
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            # an object's records by its id alone (the API's ``object_id``); equality only, so without the
            # ``varchar_pattern_ops`` twin that ``db_index=True`` adds on PostgreSQL
            models.Index(fields=["object_id"], name="changerecord_object_id"),
            # the log of the organizations a user may read, newest first
            models.Index(fields=["organization", "-at", "-id"], name="changerecord_organization"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label}: {self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class RecordLocked(DomainError):
    code = "record_locked"


M = TypeVar("M", bound=models.Model)

# rows per statement of a journaled bulk update (within SQLite's limit of parameters)
BULK_CHUNK = 500


class AuditedQuerySet(models.QuerySet[M]):
    """Bulk writes of an audited model are journaled like saves (signals do not see them).

    ``update()`` writes a :class:`ChangeRecord` per row (before → after; it reads the rows before and after);
    ``bulk_create()`` one per created row; ``bulk_update()`` goes through ``update()``; ``delete()`` already sends the
    delete signals per row. Locked decisions (:class:`ImmutableRecordModel`) refuse a bulk update and delete. An update of
    only ``audit_exclude`` fields (caches) is not journaled. ``Model._base_manager`` stays plain: the one way
    around, for a writer that journals itself (the registry import).
    """

    def update(self, **kwargs: Any) -> int:
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        model = self.model
        if kwargs and set(kwargs) <= set(getattr(model, "audit_exclude", ())) and not _is_immutable(model):
            return super().update(**kwargs)
        from ridbook.audit.signals import change_record, snapshot

        base = model._base_manager.db_manager(self.db)
        count = 0
        with transaction.atomic(using=self.db):
            for pks in _chunks(list(self.values_list("pk", flat=True))):
                before = {obj.pk: obj for obj in base.filter(pk__in=pks).select_for_update()}
                if _is_immutable(model) and any(obj.locked_at is not None for obj in before.values()):  # type: ignore[attr-defined]
                    raise RecordLocked(_("Утверждённые записи нельзя изменить."))
                count += base.filter(pk__in=pks).update(**kwargs)
                records = (
                    change_record(obj, ChangeAction.UPDATE, snapshot(before[obj.pk]), snapshot(obj))
                    for obj in base.filter(pk__in=pks)
                )
                ChangeRecord.objects.using(self.db).bulk_create([r for r in records if r is not None])
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        if _is_immutable(self.model) and self.filter(locked_at__isnull=False).exists():
            raise RecordLocked(_("Утверждённые записи нельзя удалить."))
        return super().delete()

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        from ridbook.audit.signals import change_record, snapshot

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            if any(obj.pk is None for obj in created):
                raise TypeError(f"{self.model.__name__}: bulk_create without the new ids cannot be journaled.")
            records = [change_record(obj, ChangeAction.CREATE, None, snapshot(obj)) for obj in created]
            ChangeRecord.objects.using(self.db).bulk_create([r for r in records if r is not None])
        return created


class AuditedManager(models.Manager[M]):
    _queryset_class = AuditedQuerySet


def _chunks(pks: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(pks), BULK_CHUNK):
        yield pks[start : start + BULK_CHUNK]


def _is_immutable(model: type[models.Model]) -> bool:
    return issubclass(model, ImmutableRecordModel)


class AuditedModel(models.Model):
    """Every create/update/delete of a subclass is written to :class:`ChangeRecord` (see ``signals.py``), bulk
    writes through the default manager included (:class:`AuditedQuerySet`).

    ``audit_exclude`` names fields that are not recorded (secrets, caches).
    """

    audit_exclude: ClassVar[tuple[str, ...]] = ()
    # how a record reaches its organization, in Django's lookup syntax: "organization" (a field of its own),
    # "rid__organization", "self" (an organization); its change records carry that organization
    audit_organization_path: ClassVar[str] = "organization"
    # labels of the codes a list field holds (a JSON list of choices), for the change log: {"field": [(code, label)]}
    audit_value_labels: ClassVar[dict[str, Sequence[tuple[str, str]]]] = {}

    objects = AuditedManager()

    class Meta:
        abstract = True

    def audit_organization_id(self) -> int | None:
        """The id of the organization this record belongs to (followed through cached relations where it can)."""
        return _organization_along(self, self.audit_organization_path)

    @classmethod
    def audit_names(cls, ids: Collection[Any]) -> dict[Any, str]:
        """The names the change log shows for references to these records, in one query (a record that is gone is
        missing): ``str`` of each by default; a model whose ``str`` reads other tables says it in fewer words."""
        return {obj.pk: str(obj) for obj in cls._default_manager.filter(pk__in=ids)}


def _organization_along(node: models.Model, path: str) -> int | None:
    """Follow ``path`` from ``node``: through relations already loaded, else in one query for the rest of it."""
    if path == "self":
        return node.pk
    first, _sep, rest = path.partition("__")
    try:
        field: Any = node._meta.get_field(first)
    except FieldDoesNotExist:  # a record of no organization (a platform test model)
        return None
    if not rest:
        return getattr(node, field.attname)
    if field.is_cached(node):
        related = getattr(node, first)
        return None if related is None else _organization_along(related, rest)
    related_id = getattr(node, field.attname)
    if related_id is None:
        return None
    found = field.related_model._default_manager.filter(pk=related_id).values_list(rest, flat=True).first()
    return found


class ImmutableRecordModel(AuditedModel):
    """A decision record that can be locked (протокол подписан): after ``lock`` it cannot be changed or deleted."""

    locked_at = models.DateTimeField(gettext_lazy("утверждено"), null=True, blank=True, editable=False)
    locked_by_label = models.CharField(gettext_lazy("кем утверждено"), max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._stored_lock() is not None:
            raise RecordLocked(_("«%(record)s» утверждено и не может быть изменено.") % {"record": self})
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._stored_lock() is not None:
            raise RecordLocked(_("«%(record)s» утверждено и не может быть удалено.") % {"record": self})
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def lock(self, *, by_label: str) -> None:
        """Утвердить запись: дальнейшие изменения и удаление запрещены."""
        if self._stored_lock() is not None:
            raise RecordLocked(_("«%(record)s» уже утверждено.") % {"record": self})
        self.locked_at = timezone.now()
        self.locked_by_label = by_label[:200]
        super().save()

    def _stored_lock(self) -> Any:
        if self.pk is None:
            return None
        return type(self)._default_manager.filter(pk=self.pk).values_list("locked_at", flat=True).first()
