"""Russian full-text search with morphology: words are reduced to their normal form (pymorphy3) on both sides.

A RID keeps ``search_lemmas``: the lemmas of its title, abstract, keywords and its authors' surnames. A query is
lemmatized the same way, so «изобретения» finds «изобретение» and «Иванова» finds the author Иванов.
PostgreSQL matches the lemmas with a full-text index (a stored ``tsvector`` of the lemmas in the ``simple``
configuration, GIN); SQLite with LIKE.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from ridbook.core.russian import morph

WORD_RE = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*")  # i18n: ru-only (a pattern of Russian words)


_morph = morph


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    word = word.lower().replace("ё", "е")  # i18n: ru-only (morphology: «ё» is searched as «е»)
    if not re.search(r"[а-я]", word):  # i18n: ru-only (morphology: only Russian words have lemmas)
        return word
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")  # i18n: ru-only (morphology)


def lemmas(text: str) -> list[str]:
    return [lemma(w) for w in WORD_RE.findall(text)]


def lemma_text(*parts: str) -> str:
    """Space-separated unique lemmas, in order of first appearance."""
    return " ".join(dict.fromkeys(map(lemma, WORD_RE.findall(" ".join(parts)))))


OUR_NUMBER_RE = re.compile(r"РИД-(\d{4})-(\d+)")  # i18n: ru-only (the registry number format)


def number_tails(number: str) -> list[str]:
    """What a person types for our number «РИД-2026-00005»: «2026-00005» or «00005». They are kept among the
    lemmas, so a search for the tail finds the RID through the same index. (Not «5»: a bare number would also
    find every RID whose text has that number.)"""
    match = OUR_NUMBER_RE.fullmatch(number)
    if match is None:
        return []
    year, sequence = match.groups()
    return [f"{year}-{sequence}", sequence]


def search_filter(
    queryset: QuerySet[Any], query: str, field: str = "search_lemmas", vector: str | None = "search_vector"
) -> QuerySet[Any]:
    """All query words (lemmatized) must occur among the record's lemmas.

    PostgreSQL: ``vector`` is the stored ``to_tsvector('simple', <field>)`` (GIN-indexed; kept by a trigger, see
    registry migration 0004); without one the vector is computed from ``field`` on the fly."""
    words = list(dict.fromkeys(lemmas(query)))
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        tsquery = SearchQuery(" & ".join(f"'{w}'" for w in words if "'" not in w), config="simple", search_type="raw")
        if vector is not None:
            return queryset.filter(**{vector: tsquery})
        return queryset.alias(_sv=SearchVector(field, config="simple")).filter(_sv=tsquery)
    condition = Q()
    for w in words:
        condition &= Q(**{f"{field}__contains": f" {w} "})
    return queryset.filter(condition)
