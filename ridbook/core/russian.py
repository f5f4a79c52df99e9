"""Russian grammar for messages about people: «Романова выведена», «Соколов выведен».

The gender is read from the patronymic (-вна/-чна/-кызы: feminine; -ич/-оглы: masculine), the most reliable sign in
a Russian full name; else from the first name through pymorphy3's dictionary of names; else from the surname's
ending (-ова/-ева/-ина/-ая: feminine; -ов/-ев/-ин/-ский: masculine). Unknown: both forms, «выведен(а)».
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

Gender = Literal["f", "m"] | None


@lru_cache(maxsize=1)
def morph() -> Any:
    """pymorphy3's analyzer (dictionaries from the ``pymorphy3-dicts-ru`` package; nothing is downloaded): one per
    process, shared by the search and the messages."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=4096)
def gender_of(last_name: str = "", first_name: str = "", middle_name: str = "") -> Gender:
    middle = middle_name.strip().lower()
    if middle.endswith(("вна", "чна", "кызы", "кизи")):
        return "f"
    if middle.endswith(("ич", "оглы", "угли")):
        return "m"
    first = first_name.strip()
    if len(first) > 1 and not first.endswith("."):
        for parse in morph().parse(first):
            if "Name" in parse.tag:
                if "femn" in parse.tag:
                    return "f"
                if "masc" in parse.tag:
                    return "m"
    last = last_name.strip().lower()
    if last.endswith(("ова", "ева", "ёва", "ина", "ына", "ая")):
        return "f"
    if last.endswith(("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ой")):
        return "m"
    return None


def of(who: Any) -> Gender:
    """The gender of a user or a person (anything with last_name, first_name, middle_name)."""
    return gender_of(
        getattr(who, "last_name", "") or "", getattr(who, "first_name", "") or "", getattr(who, "middle_name", "") or ""
    )


def agree(who: Any, masculine: str, feminine: str) -> str:
    """The form that agrees with ``who``: «выведен» / «выведена»; «выведен(а)» when it cannot be told."""
    gender = of(who)
    if gender == "f":
        return feminine
    if gender == "m":
        return masculine
    common = len(masculine)
    return f"{masculine}({feminine[common:]})" if feminine.startswith(masculine) else f"{masculine} / {feminine}"
