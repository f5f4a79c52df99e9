"""The change log as a person reads it: a Russian sentence per record and its changed fields as (label, before,
after) in words — field names from ``verbose_name``, labels of choices, «да»/«нет», dates ДД.ММ.ГГГГ [ЧЧ:ММ], names of
people, organizations, RIDs and policies instead of ids, logins and codes.

Plain functions shared by the pages, the API and the export. Names are read in bulk for a page of records: one query
per model referred to (``AuditedModel.audit_names``), never one per row or field. Only records the reader may read
are given here (``selectors.change_records_visible_to``, or one object's history behind its own check); the objects
they refer to belong to the same organization tree (the services check every target of a write), and only their
names are read. A field the model keeps out of the log (``audit_exclude``: personal data, secrets, caches) is never
shown, even from a snapshot written before it was excluded, nor are the personal fields of a person or a user.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ridbook.audit.models import ChangeAction, ChangeRecord
from ridbook.core.russian import gender_of

EMPTY = "—"
LABEL_SUFFIX = "_label"
VERBS = {  # the verb agrees with the actor's gender in Russian: a man's, a woman's, unknown (a job, a command)
    ChangeAction.CREATE: {"m": gettext_lazy("создал"), "f": gettext_lazy("создала"), "": gettext_lazy("создал(а)")},
    ChangeAction.UPDATE: {"m": gettext_lazy("изменил"), "f": gettext_lazy("изменила"), "": gettext_lazy("изменил(а)")},
    ChangeAction.DELETE: {"m": gettext_lazy("удалил"), "f": gettext_lazy("удалила"), "": gettext_lazy("удалил(а)")},
}
SENTENCE_VALUE_LIMIT = 120  # a long text (an abstract) is cut in the sentence; the fields and the export keep it whole
# the personal data of a person or a user (``accounts.personal_data.PersonalField``), whatever an old snapshot holds
PERSONAL_FIELDS = frozenset({"inn", "snils", "birth_date", "death_date", "address", "phone", "email", "citizenship"})
PERSON_MODELS = frozenset({"registry.person", settings.AUTH_USER_MODEL.lower()})
# text fields that hold a policy's name («vgtu») or reference («vgtu@1»): shown as the policy's title
POLICY_FIELDS = frozenset({("organizations.organization", "policy_name")})

Names = dict[type[models.Model], dict[Any, str]]


@dataclass(frozen=True)
class FieldChange:
    name: str  # the field's name (the API gives it beside the label)
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    """One record of the log, in words."""

    record: ChangeRecord
    when: str
    who: str
    action: str
    object: str  # «Заседание комиссии «Протокол № 1 от 14.12.2026»»
    kind: str  # «заседание комиссии»
    object_repr: str
    organization: str
    changes: list[FieldChange]

    @property
    def headline(self) -> str:
        """«Кузнецова Ольга Петровна изменил(а) «Протокол № 1 от 14.12.2026» (заседание комиссии)»."""
        return f"{self.who} {self.verb} «{self.object_repr}» ({self.kind})"

    @property
    def verb(self) -> str:
        """«изменила» for a woman, «изменил» for a man (read from the name), «изменил(а)» for a job or an unknown."""
        forms = VERBS.get(ChangeAction(self.record.action))
        if forms is None:
            return self.action
        gender = gender_of(*[*self.who.split(), "", "", ""][:3]) if self.record.actor_id is not None else None
        return str(forms.get(gender or "", forms[""]))

    @property
    def sentence(self) -> str:
        """«30.11.2026 14:05 Кузнецова Ольга Петровна изменил(а) «Протокол № 1 от 14.12.2026» (заседание комиссии):
        подписан председателем: — → 30.11.2026 14:05»."""
        head = f"{self.when} {self.headline}"
        if self.record.action == ChangeAction.DELETE or not self.changes:
            return head
        if self.record.action == ChangeAction.CREATE:
            parts = [f"{c.label} — {_cut(c.new)}" for c in self.changes]
        else:
            parts = [f"{c.label}: {_cut(c.old)} → {_cut(c.new)}" for c in self.changes]
        return f"{head}: {'; '.join(parts)}"


def present(records: Iterable[ChangeRecord]) -> list[Entry]:
    """The records in words, in their order; the names they need are read in one query per model."""
    records = list(records)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    organization_model = apps.get_model("organizations", "Organization")
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    rows = []
    for record in records:
        model = _model_of(record)
        changes = _changed(record, model)
        rows.append((record, model, changes))
        if record.actor_id is not None:
            wanted[user_model].add(record.actor_id)
        if record.organization_id is not None:
            wanted[organization_model].add(record.organization_id)
        for _name, field, old, new in changes:
            if field is not None and field.is_relation and field.related_model is not None:
                wanted[field.related_model].update(v for v in (old, new) if v is not None)
    names: Names = {model: _names(model, ids) for model, ids in wanted.items()}
    return [
        Entry(
            record=record,
            when=format_moment(record.at),
            who=names.get(user_model, {}).get(record.actor_id) or shown_label(record.actor_label),
            action=record.get_action_display(),
            object=f"{_upper_first(_kind(record, model))} «{record.object_repr}»",
            kind=_kind(record, model),
            object_repr=record.object_repr,
            organization=names.get(organization_model, {}).get(record.organization_id, EMPTY),
            changes=[_change(model, *change, names) for change in changes],
        )
        for record, model, changes in rows
    ]


def format_moment(value: datetime) -> str:
    """ДД.ММ.ГГГГ ЧЧ:ММ in the organization's time zone."""
    return (
        timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if timezone.is_aware(value) else f"{value:%d.%m.%Y %H:%M}"
    )


def model_choices() -> list[tuple[str, str]]:
    """The kinds of journaled records as («app_label.model», «Русское название»), by name: the log's «объект» filter."""
    from ridbook.audit.models import AuditedModel

    found = [
        (model_key(m), _upper_first(str(m._meta.verbose_name)))
        for m in apps.get_models()
        if issubclass(m, AuditedModel)
    ]
    return sorted(found, key=lambda pair: pair[1])


def model_key(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


# --- the pieces ---------------------------------------------------------------------------------------------------

Change = tuple[str, "models.Field[Any, Any] | None", Any, Any]  # name, field (None: no longer a field), before, after


def _model_of(record: ChangeRecord) -> type[models.Model] | None:
    return ContentType.objects.get_for_id(record.content_type_id).model_class()  # cached after the first


@cache
def _fields(model: type[models.Model]) -> tuple[dict[str, models.Field[Any, Any]], frozenset[str]]:
    """The model's concrete fields by name (in their order) and the names never shown."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    hidden = set(getattr(model, "audit_exclude", ())) | {"password"}
    if model._meta.pk is not None:
        hidden.add(model._meta.pk.name)
    if model._meta.label_lower in PERSON_MODELS:
        hidden |= PERSONAL_FIELDS
    return fields, frozenset(hidden)


def _changed(record: ChangeRecord, model: type[models.Model] | None) -> list[Change]:
    """The fields that changed, in the model's order; on creation the empty ones are left out."""
    fields, hidden = _fields(model) if model is not None else ({}, frozenset({"id", "password"}))
    order = {name: n for n, name in enumerate(fields)}
    result = []
    current = record.after or record.before or {}  # the record after the change (before a deletion)
    for name, old, new in record.changed_fields():
        field = fields.get(name)
        if name in hidden or _names_a_set_reference(name, fields, current):
            continue
        if isinstance(field, models.JSONField):
            old, new = _json(old), _json(new)
        if record.action == ChangeAction.CREATE and new in (None, "", [], {}):
            continue
        result.append((name, field, old, new))
    result.sort(key=lambda item: order.get(item[0], len(order)))
    return result


def _names_a_set_reference(name: str, fields: dict[str, Any], current: dict[str, Any]) -> bool:
    """«actor_label» beside «actor», «by_label» beside «by»: the label written at the time (often a login) says no
    more than the reference, whose name is shown; it is shown only when the reference is empty (a job, a command)."""
    base = name.removesuffix(LABEL_SUFFIX)
    field = fields.get(base)
    return base != name and field is not None and field.is_relation and current.get(base) is not None


def _json(value: Any) -> Any:
    """A JSON field's value as the snapshot keeps it: a list or a dict, or their Python text (older snapshots)."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


def _names(model: type[models.Model], ids: set[Any]) -> dict[Any, str]:
    hook = getattr(model, "audit_names", None)
    if hook is not None:
        return dict(hook(ids))
    return {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}


def _kind(record: ChangeRecord, model: type[models.Model] | None) -> str:
    if model is not None:
        return str(model._meta.verbose_name)
    return str(ContentType.objects.get_for_id(record.content_type_id).name)


def _change(model: type[models.Model] | None, name: str, field: Any, old: Any, new: Any, names: Names) -> FieldChange:
    key = (model._meta.label_lower if model is not None else "", name)
    label = str(field.verbose_name) if field is not None else name
    codes = dict(getattr(model, "audit_value_labels", {}).get(name, ()))
    return FieldChange(
        name, label, value_text(field, old, names, key, codes), value_text(field, new, names, key, codes)
    )


def shown_label(label: str) -> str:
    """A label stored in Russian (a job's name, «анонимный запрос») in the reader's language; any other (a login, a
    name) as it is."""
    return _(label) if label else label


def value_text(
    field: Any, value: Any, names: Names, key: tuple[str, str] = ("", ""), codes: dict[str, str] | None = None
) -> str:
    """A stored value (as a snapshot keeps it: JSON, foreign keys by id) in words."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if field is None:
        return _plain(value)
    if field.is_relation and field.related_model is not None:
        return names.get(field.related_model, {}).get(value) or _("№ %(id)s (удалён)") % {"id": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if key in POLICY_FIELDS:
        return policy_title(str(value))
    if codes and isinstance(value, list):
        return "; ".join(codes.get(str(v), str(v)) for v in value)
    try:
        return _typed(field, value)
    except (TypeError, ValueError, InvalidOperation):
        return _plain(value)


def _typed(field: Any, value: Any) -> str:
    if isinstance(field, models.BooleanField):
        return _("да") if value else _("нет")
    if isinstance(field, models.DateTimeField):
        return format_moment(datetime.fromisoformat(str(value)))
    if isinstance(field, models.DateField):
        return f"{date.fromisoformat(str(value)[:10]):%d.%m.%Y}"
    if isinstance(field, models.TimeField):
        return f"{time.fromisoformat(str(value)):%H:%M}"
    if isinstance(field, models.DecimalField | models.FloatField):
        return str(Decimal(str(value))).replace(".", ",")
    if isinstance(field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, list | tuple):
        return "; ".join(_plain(v) for v in value) or EMPTY
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items()) or EMPTY
    return str(value)


def policy_title(value: str) -> str:
    """«vgtu» or «vgtu@1» → the policy's title; an unknown one as it is."""
    from ridbook.policies.loader import get_policy, policy_by_ref

    try:
        policy = policy_by_ref(value) if "@" in value else get_policy(value)
    except (LookupError, ValueError):
        return value
    return str(policy.meta.title)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SENTENCE_VALUE_LIMIT else text[: SENTENCE_VALUE_LIMIT - 1] + "…"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


PAGE_SIZE = 50


def paged(records: QuerySet[ChangeRecord], number: Any) -> tuple[Page[ChangeRecord], list[Entry]]:
    """A page of ``PAGE_SIZE`` records (a number that is not one reads as the first; past the last, the last) and
    its records in words."""
    page = Paginator(records, PAGE_SIZE).get_page(number)
    return page, present(page.object_list)
