"""Change records carry the organization of their object, so the log is read by the same rule as the objects.

Existing records get theirs from the object (or, for a deleted object, from its last snapshot)."""

import django.db.models.deletion
from django.db import migrations, models

# how each audited model reaches its organization (AuditedModel.audit_organization_path, as of this migration)
PATHS = {
    ("organizations", "organization"): "self",
    ("accounts", "roleassignment"): "organization",
    ("registry", "person"): "organization",
    ("registry", "rid"): "organization",
    ("registry", "authorship"): "rid__organization",
    ("registry", "contribution"): "rid__organization",
    ("registry", "statesecretconclusion"): "rid__organization",
    ("registry", "exportcontrolact"): "rid__organization",
    ("registry", "packetdocument"): "rid__organization",
    ("registry", "noticeevent"): "rid__organization",
    ("commission", "commission"): "organization",
    ("commission", "commissionmember"): "commission__organization",
    ("commission", "meeting"): "commission__organization",
    ("commission", "agendaitem"): "meeting__commission__organization",
    ("commission", "attendance"): "meeting__commission__organization",
    ("commission", "vote"): "item__meeting__commission__organization",
    ("commission", "expertinvitation"): "item__meeting__commission__organization",
    ("commission", "dissent"): "item__meeting__commission__organization",
    ("commission", "approverresolution"): "meeting__commission__organization",
}
BATCH = 2000


def _resolve(apps, app_label, model, path, ids):
    """object id → organization id for the objects that still exist."""
    Model = apps.get_model(app_label, model)
    lookup = "pk" if path == "self" else path
    out = {}
    for i in range(0, len(ids), BATCH):
        out.update(Model.objects.filter(pk__in=ids[i : i + BATCH]).values_list("pk", lookup))
    return {str(k): v for k, v in out.items()}


def _from_snapshot(apps, app_label, model, path, snapshot):
    """The organization of a deleted object, from its last snapshot (its first hop is a field of the snapshot)."""
    if not snapshot:
        return None
    if path == "organization":
        return snapshot.get("organization")
    first, _, rest = path.partition("__")
    related_id = snapshot.get(first)
    if related_id is None or not rest:
        return None
    Model = apps.get_model(app_label, model)
    related = Model._meta.get_field(first).related_model
    return related.objects.filter(pk=related_id).values_list(rest, flat=True).first()


def give_records_an_organization(apps, schema_editor):
    ChangeRecord = apps.get_model("audit", "ChangeRecord")
    ContentType = apps.get_model("contenttypes", "ContentType")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    for ct in ContentType.objects.all():
        records = ChangeRecord.objects.filter(content_type_id=ct.pk, organization__isnull=True)
        key = (ct.app_label, ct.model)
        if key == ("accounts", "user"):
            firsts = {}
            for user_id, org_id in RoleAssignment.objects.order_by("-id").values_list("user_id", "organization_id"):
                firsts[str(user_id)] = org_id
            for object_id, org_id in firsts.items():
                records.filter(object_id=object_id).update(organization_id=org_id)
            continue
        path = PATHS.get(key)
        if path is None:
            continue
        ids = sorted({oid for oid in records.values_list("object_id", flat=True).distinct()})
        int_ids = [int(i) for i in ids if i.isdigit()]
        existing = _resolve(apps, ct.app_label, ct.model, path, int_ids)
        by_org = {}
        for object_id in ids:
            org_id = existing.get(object_id)
            if org_id is None:
                last = records.filter(object_id=object_id).order_by("-at", "-id").values_list("before", "after").first()
                if last is not None:
                    org_id = _from_snapshot(apps, ct.app_label, ct.model, path, last[1] or last[0])
            if org_id is not None:
                by_org.setdefault(org_id, []).append(object_id)
        for org_id, object_ids in by_org.items():
            for i in range(0, len(object_ids), BATCH):
                records.filter(object_id__in=object_ids[i : i + BATCH]).update(organization_id=org_id)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_fewer_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organizations", "0001_initial"),
        ("accounts", "0001_initial"),
        ("registry", "0009_person_belongs_to_organization"),
        ("commission", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="changerecord",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="organizations.organization",
            ),
        ),
        migrations.AddIndex(
            model_name="changerecord",
            index=models.Index(fields=["organization", "-at", "-id"], name="changerecord_organization"),
        ),
        migrations.RunPython(give_records_an_organization, migrations.RunPython.noop),
    ]
