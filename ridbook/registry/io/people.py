"""Which person an author named in a file is: someone in the registry, or a new person this import creates.

Matching by surname and initials: a unique exact name wins (a person this import already created first), else a
unique compatible one (an initial matches any name with that letter); otherwise a new person, with a warning when
several people fit. Two authors of one RID are never the same person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import router
from django.db.models.base import ModelState

from ridbook.registry.io.columns import PersonName
from ridbook.registry.models import Person

LOAD_BATCH = 400


@dataclass(eq=False)
class Slot:
    person: Person
    new: bool = False  # created by this import
    counted: bool = False  # already counted in the report
    name: PersonName = field(init=False)

    def __post_init__(self) -> None:
        self.name = PersonName(self.person.last_name, self.person.first_name, self.person.middle_name)


def _loaded_person(pk: int, last: str, first: str, middle: str) -> Person:
    """A person read with only its name, as ``.only("id", "last_name", …)`` would give it (other fields load on
    access), without ``Model.__init__``: tens of thousands of people are read for a large import."""
    person = Person.__new__(Person)
    person._state = ModelState()
    person._state.adding, person._state.db = False, router.db_for_read(Person)
    person.__dict__.update(id=pk, last_name=last, first_name=first, middle_name=middle)
    return person


def _new_person(**values: str) -> Person:
    """``Person(**values)`` without ``Model.__init__``: the fields' defaults, then ``values`` (a large import creates
    people by the ten thousand)."""
    person = Person.__new__(Person)
    person._state = ModelState()
    person.__dict__.update(_person_defaults(), **values)
    return person


@lru_cache(maxsize=1)
def _person_defaults() -> dict[str, Any]:
    defaults = {f.attname: f.get_default() for f in Person._meta.concrete_fields}
    assert not any(isinstance(v, list | dict) for v in defaults.values())  # nothing mutable to share
    return defaults


class People:
    """The people an import can refer to: those in the registry with the file's surnames, and those it creates."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str, str], list[Slot]] = defaultdict(list)
        self.loaded: set[str] = set()

    def load(self, surnames: set[str]) -> None:
        """Read the registry's people with these surnames (a few spellings of each), once per surname."""
        variants = {s for name in surnames - self.loaded for s in (name, name.title(), name.replace("ё", "е"))}
        self.loaded |= surnames
        names = sorted(variants)
        for i in range(0, len(names), LOAD_BATCH):
            query = Person.objects.filter(last_name__in=names[i : i + LOAD_BATCH]).order_by()
            for pk, last, first, middle in query.values_list("id", "last_name", "first_name", "middle_name"):
                slot = Slot(_loaded_person(pk, last, first, middle))
                self.by_key[slot.name.key].append(slot)

    def resolve(self, name: PersonName, citizenship: str, taken: list[Slot]) -> tuple[Slot, str]:
        """The slot for ``name`` and a warning (empty if none). ``taken``: the row's other authors."""
        candidates = self.by_key[name.key]
        if taken:
            excluded = {id(t) for t in taken}
            candidates = [s for s in candidates if id(s) not in excluded]
        full = name.full
        exact = [s for s in candidates if s.name.full == full]
        mine = [s for s in exact if s.new]
        if mine:
            return mine[0], ""
        if len(exact) == 1:
            return exact[0], ""
        fitting = [s for s in candidates if name.is_compatible(s.person.first_name, s.person.middle_name)]
        if len(fitting) == 1:
            return fitting[0], ""
        person = _new_person(
            last_name=name.last, first_name=name.first, middle_name=name.middle, citizenship=citizenship
        )
        slot = Slot(person, new=True)
        self.by_key[name.key].append(slot)
        warning = ""
        if len(fitting) > 1:
            names = ", ".join(sorted(s.person.full_name for s in fitting))
            warning = (
                f"«{name.short()}»: в реестре подходят несколько людей ({names}) — создан новый человек, "
                "проверьте авторство."
            )
        return slot, warning
