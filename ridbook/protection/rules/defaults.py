"""The policy whose rules apply where an organization's rules are silent: ``ru-default``, as the registry's packet
does (``registry.services``). The engines state it in their notes and sources; there is no silent fallback."""

from __future__ import annotations

from datetime import date

from ridbook.policies.loader import UnknownPolicy, get_policy, registry
from ridbook.policies.schema import Policy

DEFAULT_POLICY = "ru-default"


def default_policy(on: date | None = None) -> Policy:
    """``ru-default`` in force on ``on`` (default today); before its first version took effect, that first version
    (a right filed in 2010 under an organization whose rules are silent is still counted by the Civil Code)."""
    try:
        return get_policy(DEFAULT_POLICY, on=on)
    except UnknownPolicy:
        return registry().versions(DEFAULT_POLICY)[0]
