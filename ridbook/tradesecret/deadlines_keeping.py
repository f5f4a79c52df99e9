"""The yearly inventory's deadline (UZ app. 3 §11, §13): the act of the year's inventory is due to the ministry by
15 December. One deadline per legal entity with regimes in force and year (key ``tradesecret.inventory:<org>:<year>``),
owned by the IP department (its role); done once the act is made. The platform sends the reminders (30, 7, 1 days)
and the overdue escalation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import Action, entity_of, organization_ids_for
from ridbook.deadlines.registry import Deadline, State
from ridbook.organizations.models import Organization
from ridbook.tradesecret.choices import RESTRICTED_STATES
from ridbook.tradesecret.models import Inventory, Regime
from ridbook.tradesecret.services.inventory import act_due


def _entities(user: Any) -> list[Organization]:
    ids = organization_ids_for(user, Action.TRADE_SECRET_KEEP)
    if ids is not None and not ids:
        return []
    regimes = Regime.objects.filter(state__in=RESTRICTED_STATES)
    if ids is not None:
        regimes = regimes.filter(organization_id__in=ids)
    org_ids = set(regimes.values_list("organization_id", flat=True).distinct())
    entities: dict[int, Organization] = {}
    for org in Organization.objects.filter(pk__in=org_ids).select_related("parent"):
        entity = entity_of(org)
        if ids is None or entity.pk in ids:
            entities[entity.pk] = entity
    return sorted(entities.values(), key=lambda o: o.pk)


def inventory_deadlines(user: Any, today: date) -> Iterable[Deadline]:
    year = today.year
    entities = _entities(user)
    closed = set(
        Inventory.objects.filter(organization__in=entities, year=year, closed_on__isnull=False).values_list(
            "organization_id", flat=True
        )
    )
    for entity in entities:
        yield Deadline(
            title=_("Акт учёта РИД в режиме коммерческой тайны за %(year)s год: %(organization)s")
            % {"year": year, "organization": entity},
            due=act_due(year),
            rule=_("учёт не реже раза в год; акт — в Министерство не позднее 15 декабря (Положение о КТ, п. 11, 13)"),
            source="tradesecret.inventory",
            url=reverse("tradesecret:inventories"),
            organization=str(entity),
            key=f"tradesecret.inventory:{entity.pk}:{year}",
            kind=str(_("акт учёта коммерческой тайны")),
            organization_id=entity.pk,
            state=State.DONE if entity.pk in closed else State.OPEN,
        )
