"""Which person an author named in a file is: someone in the registry, or a new person this import creates.

Matching by surname and initials: a unique exact name wins (a person this import already created first), else a
unique compatible one (an initial matches any name with that letter); otherwise a new person, with a warning when
several people fit. Two authors of one RID are never the same person.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from operator import attrgetter
from typing import Any

from django.db.models.base import ModelState
from django.utils.translation import gettext as _

from ridbook.accounts.permissions import entity_scope
from ridbook.registry.io.columns import PersonName, is_initial, name_key, norm_name
from ridbook.registry.models import Person
from ridbook.registry.paging import short_name as compact_name

LOAD_BATCH = 400
NAMED = 5  # a warning names at most this many of the people who fit


class Slot:
    """A person an author's name may denote: one of the registry (``pk``; no model instance is built for it, a
    large import reads hundreds of thousands of people) or one this import creates (``person``, unsaved until the
    writer gives it its id)."""

    __slots__ = ("counted", "first", "full", "initials", "last", "middle", "new", "person", "pk")

    def __init__(self, pk: int | None, last: str, first: str, middle: str, person: Person | None = None) -> None:
        self.pk, self.last, self.first, self.middle = pk, last, first, middle
        self.full, self.initials = _given_names(first, middle)
        self.person = person
        self.new = person is not None  # created by this import
        self.counted = False  # already counted in the report

    @property
    def person_id(self) -> int | None:
        return self.pk if self.person is None else self.person.id

    @property
    def short_name(self) -> str:
        """As ``Person.short_name``: «Иванов П.С.»."""
        return compact_name(self.last, self.first, self.middle)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last, self.first, self.middle) if p)

    def fits(self, name: PersonName, name_initials: tuple[bool, bool]) -> bool:
        """Can ``name`` be this person? For a slot of the same key (surname and initials already equal): each part
        is an initial on one side or the same name on both."""
        (first, middle), (name_first, name_middle) = self.full, name.full
        return (name_initials[0] or self.initials[0] or first == name_first) and (
            name_initials[1] or self.initials[1] or middle == name_middle
        )


@lru_cache(maxsize=65536)
def _given_names(first: str, middle: str) -> tuple[tuple[str, str], tuple[bool, bool]]:
    """The first and middle names as compared, and which of them are initials (cached: they repeat)."""
    return (norm_name(first), norm_name(middle)), (is_initial(first), is_initial(middle))


def _new_person(**values: Any) -> Person:
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
    """The people an import can refer to: those in the registry with the file's surnames, and those it creates.

    ``by_key``: surname and initials → the people who may be meant; ``exact``: the same and the whole given names →
    those named exactly so (most names of a file are found there at once). The registry's people are read as rows
    (``unsorted``) and made slots of when their key is first asked for: the first chunk of a large import reads
    hundreds of thousands of people, and the writes wait for it."""

    def __init__(self, organization: Any) -> None:
        # the boundary: only the people kept in the import's legal entity are matched; new ones are kept by the
        # import's organization
        self.scope = sorted(entity_scope(organization))
        self.keeper_id = organization.pk
        self.by_key: dict[tuple[str, str, str], list[Slot]] = defaultdict(list)
        self.exact: dict[tuple[tuple[str, str, str], tuple[str, str]], list[Slot]] = defaultdict(list)
        self.unsorted: dict[tuple[str, str, str], list[tuple[int, str, str, str]]] = defaultdict(list)
        self.loaded: set[str] = set()

    def add(self, key: tuple[str, str, str], slot: Slot) -> None:
        self.by_key[key].append(slot)
        self.exact[key, slot.full].append(slot)

    def load(self, surnames: set[str]) -> None:
        """Read the registry's people with these surnames (a few spellings of each), once per spelling."""
        plain = {name.replace("ё", "е") for name in surnames}  # i18n: ru-only (surnames: «ё» written as «е»)
        variants = ({s for name in surnames for s in (name, name.title())} | plain) - self.loaded
        self.loaded |= variants
        names = sorted(variants)
        for i in range(0, len(names), LOAD_BATCH):
            query = Person.objects.filter(
                last_name__in=names[i : i + LOAD_BATCH], organization_id__in=self.scope
            ).order_by()
            for person in query.values_list("id", "last_name", "first_name", "middle_name"):
                self.unsorted[name_key(*person[1:])].append(person)

    def slots(self, key: tuple[str, str, str]) -> list[Slot]:
        """The people of ``key``: the registry's (made slots of now, if they are not yet), then the new ones."""
        if rows := self.unsorted.pop(key, None):
            for pk, last, first, middle in rows:
                self.add(key, Slot(pk, last, first, middle))
        return self.by_key.get(key, [])

    def resolve(self, name: PersonName, citizenship: str, taken: list[Slot]) -> tuple[Slot, str]:
        """The slot for ``name`` and a warning (empty if none). ``taken``: the row's other authors."""
        key = name.key
        candidates = self.slots(key)
        exact = self.exact.get((key, name.full))
        if exact:
            if taken:
                exact = [s for s in exact if s not in taken]
            for slot in exact:
                if slot.new:  # a person this import created first
                    return slot, ""
            if len(exact) == 1:
                return exact[0], ""
        if taken:
            candidates = [s for s in candidates if s not in taken]
        initials = (is_initial(name.first), is_initial(name.middle))
        fitting = candidates if all(initials) else [s for s in candidates if s.fits(name, initials)]
        if len(fitting) == 1:
            return fitting[0], ""
        person = _new_person(
            last_name=name.last,
            first_name=name.first,
            middle_name=name.middle,
            citizenship=citizenship,
            organization_id=self.keeper_id,
        )
        slot = Slot(None, name.last, name.first, name.middle, person)
        warning = ""
        if len(fitting) > 1:
            named = sorted(fitting, key=attrgetter("last", "first", "middle"))[:NAMED]
            names = ", ".join(s.full_name for s in named)
            if len(fitting) > NAMED:
                names += " " + _("и ещё %(count)s") % {"count": len(fitting) - NAMED}
            warning = _(
                "«%(name)s»: в реестре подходят несколько людей (%(names)s) — создан новый человек, проверьте авторство."
            ) % {"name": name.short(), "names": names}
        self.add(key, slot)  # after the warning: ``fitting`` may be this very list
        return slot, warning
