"""Every person record belongs to the organization that keeps it (the boundary between organizations).

A person without an organization is given the organization of a RID he authored or assisted, else of his user's
first role, else the first organization at the top of a tree. СНИЛС and ИНН become unique per organization (the
service refuses a second record in the whole legal entity; another legal entity keeps its own record)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


def give_people_an_organization(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    Authorship = apps.get_model("registry", "Authorship")
    Contribution = apps.get_model("registry", "Contribution")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    Organization = apps.get_model("organizations", "Organization")
    orphans = list(Person.objects.filter(organization__isnull=True).values_list("id", "user_id"))
    if not orphans:
        return
    fallback = Organization.objects.filter(parent__isnull=True).order_by("id").values_list("id", flat=True).first()
    for person_id, user_id in orphans:
        org_id = (
            Authorship.objects.filter(person_id=person_id).order_by("id").values_list("rid__organization_id", flat=True).first()
            or Contribution.objects.filter(person_id=person_id).order_by("id").values_list("rid__organization_id", flat=True).first()
            or (user_id and RoleAssignment.objects.filter(user_id=user_id).order_by("id").values_list("organization_id", flat=True).first())
            or fallback
        )
        if org_id is None:
            raise RuntimeError("People exist but no organization does: create an organization first.")
        Person.objects.filter(pk=person_id).update(organization_id=org_id)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0008_authorship_rid_index"),
        ("accounts", "0001_initial"),
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(give_people_an_organization, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="person", name="person_unique_snils"),
        migrations.RemoveConstraint(model_name="person", name="person_unique_inn"),
        migrations.AlterField(
            model_name="person",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="people",
                to="organizations.organization",
                verbose_name="подразделение",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=~Q(snils=""), fields=("organization", "snils"), name="person_unique_snils"
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=~Q(inn=""), fields=("organization", "inn"), name="person_unique_inn"
            ),
        ),
    ]
