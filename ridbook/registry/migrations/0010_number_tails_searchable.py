"""Our numbers' tails among the search lemmas: «00005» (or «2026-00005») finds «РИД-2026-00005»."""

import re

from django.db import migrations

OUR_NUMBER_RE = re.compile(r"РИД-(\d{4})-(\d+)")
BATCH = 2000


def tails(number):
    match = OUR_NUMBER_RE.fullmatch(number)
    if match is None:
        return []
    year, sequence = match.groups()
    return [f"{year}-{sequence}", sequence]


def add_tails(apps, schema_editor):
    Rid = apps.get_model("registry", "Rid")
    last = 0
    while True:
        rows = list(
            Rid.objects.filter(pk__gt=last, number__startswith="РИД-").order_by("pk").values_list("pk", "number", "search_lemmas")[:BATCH]
        )
        if not rows:
            return
        changed = []
        for pk, number, text in rows:
            text = text or " "
            new = text + "".join(f"{t} " for t in tails(number) if f" {t} " not in text)
            if new != text:
                changed.append(Rid(pk=pk, search_lemmas=new))
        Rid.objects.bulk_update(changed, ["search_lemmas"])
        last = rows[-1][0]


class Migration(migrations.Migration):

    dependencies = [("registry", "0009_person_belongs_to_organization")]

    operations = [migrations.RunPython(add_tails, migrations.RunPython.noop)]
