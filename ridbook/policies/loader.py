"""Organization policies: versioned TOML files under ``policies/data/<name>/v<N>.toml``, validated on load.

This module is the only reader of those files. Everything else asks for a policy by name (and date or version)::

    policy = get_policy("vgtu", on=meeting_day)
    if policy.commission is None:  # the organization's rules do not cover it: no silent fallback
        raise ...
    quorum = policy.commission.quorum_fraction
    result.policy_ref = policy.ref  # "vgtu@1"

A bad file stops start-up (``PoliciesConfig.ready``) with one line per problem naming the file, the field and the
problem; ``manage.py check_policies`` prints the same.
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ridbook.env import ConfigError
from ridbook.policies.schema import Policy

__all__ = [
    "DATA_DIR",
    "Policy",
    "PolicyError",
    "PolicyInfo",
    "PolicyRegistry",
    "UnknownPolicy",
    "available_policies",
    "get_policy",
    "load_policies",
    "policy_by_ref",
    "registry",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # ridbook/: messages say "policies/data/vgtu/v1.toml"
_FILE_NAME = re.compile(r"^v([1-9][0-9]*)\.toml$")
_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


class PolicyError(ConfigError):
    """A policy file is invalid, or a policy was asked for that does not exist. One line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class UnknownPolicy(PolicyError, LookupError):
    """No such policy name, version, or no version in force on the date."""

    def __init__(self, message: str) -> None:
        super().__init__([message])


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    version: int
    title: str
    country: str
    effective_from: date

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"


class PolicyRegistry:
    """All versions of all policies, validated."""

    def __init__(self, policies: Mapping[str, Sequence[Policy]]) -> None:
        self._versions = {name: sorted(items, key=lambda p: p.version) for name, items in policies.items()}

    def names(self) -> list[str]:
        return sorted(self._versions)

    def versions(self, name: str) -> list[Policy]:
        return list(self._versions[self._known(name)])

    def get(self, name: str, *, on: date | None = None, version: int | None = None) -> Policy:
        """The version in force on ``on`` (latest effective_from ≤ on; default today), or exactly ``version``."""
        versions = self._versions[self._known(name)]
        if version is not None:
            if on is not None:
                raise ValueError("get_policy: give either on= or version=, not both")
            for policy in versions:
                if policy.version == version:
                    return policy
            have = ", ".join(str(p.version) for p in versions)
            raise UnknownPolicy(
                _("Версия %(version)s политики «%(name)s» не найдена (есть: %(have)s)")
                % {"version": version, "name": name, "have": have}
            )
        if isinstance(on, datetime):
            raise TypeError("get_policy(on=...) takes a date, not a datetime: pass the legal day (.date())")
        day = on or date.today()
        in_force = [p for p in versions if p.meta.effective_from <= day]
        if not in_force:
            first = versions[0].meta.effective_from
            raise UnknownPolicy(
                _("Политика «%(name)s» не действовала на %(day)s (первая версия действует с %(first)s)")
                % {"name": name, "day": format(day, "%d.%m.%Y"), "first": format(first, "%d.%m.%Y")}
            )
        return max(in_force, key=lambda p: p.meta.effective_from)

    def infos(self) -> list[PolicyInfo]:
        return [
            PolicyInfo(p.name, p.version, p.meta.title, p.meta.country, p.meta.effective_from)
            for name in self.names()
            for p in self._versions[name]
        ]

    def _known(self, name: str) -> str:
        if name not in self._versions:
            raise UnknownPolicy(
                _("Политика «%(name)s» не найдена (доступны: %(names)s)")
                % {"name": name, "names": ", ".join(self.names())}
            )
        return name


def load_policies(directory: Path | None = None) -> PolicyRegistry:
    """Read and validate every ``<directory>/<name>/v<N>.toml``; raise :class:`PolicyError` listing all problems."""
    directory = directory or DATA_DIR
    if not directory.is_dir():
        raise PolicyError([f"{directory}: policy directory not found"])
    problems: list[str] = []
    policies: dict[str, list[Policy]] = {}
    for folder in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        files = sorted(folder.glob("*.toml"))
        if not files:
            problems.append(f"{_display(folder, directory)}: no policy files (expected v1.toml, v2.toml, ...)")
        for path in files:
            display = _display(path, directory)
            match = _FILE_NAME.match(path.name)
            if match is None:
                problems.append(f"{display}: file name must be v<N>.toml (v1.toml, v2.toml, ...)")
                continue
            policy, file_problems = _load_file(path, display, folder.name, int(match.group(1)))
            problems.extend(file_problems)
            if policy is not None:
                policies.setdefault(folder.name, []).append(policy)
    for items in policies.values():
        problems.extend(_check_versions(items, directory))
    if problems:
        raise PolicyError(problems)
    return PolicyRegistry(policies)


@functools.cache
def registry() -> PolicyRegistry:
    """The policies shipped with the package, loaded once (``registry.cache_clear()`` reloads)."""
    return load_policies()


def get_policy(name: str, *, on: date | None = None, version: int | None = None) -> Policy:
    """The policy ``name`` in force on ``on`` (default today), or its exact ``version``."""
    return registry().get(name, on=on, version=version)


def policy_by_ref(ref: str) -> Policy:
    """The policy a result recorded, from its ref ``"vgtu@1"``."""
    name, _at, version = ref.partition("@")
    if not version.isdigit():
        raise UnknownPolicy(
            _("Ссылка на политику «%(ref)s» должна иметь вид имя@версия, например vgtu@1") % {"ref": ref}
        )
    return get_policy(name, version=int(version))


def available_policies() -> list[PolicyInfo]:
    """Every version of every policy, by name then version."""
    return registry().infos()


# ---- reading one file ---------------------------------------------------------------------------------------------


def _load_file(path: Path, display: str, folder: str, file_version: int) -> tuple[Policy | None, list[str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        return None, [f"{display}: not UTF-8 text"]
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_problem(display, str(exc))]
    problems = _check_identity(data, display, folder, file_version)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        return None, problems + [_problem(display, err) for err in exc.errors()]
    return (None if problems else policy), problems


def _check_identity(data: dict[str, Any], display: str, folder: str, file_version: int) -> list[str]:
    """meta.name must equal the folder, meta.version the file name (types are left to the schema)."""
    meta = data.get("meta")
    if not isinstance(meta, dict):
        return []
    problems = []
    name, version = meta.get("name"), meta.get("version")
    if isinstance(name, str) and name != folder:
        problems.append(f"{display}: meta.name: must equal the folder name «{folder}» (got {name!r})")
    if isinstance(version, int) and not isinstance(version, bool) and version != file_version:
        problems.append(f"{display}: meta.version: must equal the file name v{file_version}.toml (got {version})")
    return problems


def _check_versions(items: list[Policy], directory: Path) -> list[str]:
    """A later version must take effect later than the one before it."""
    problems = []
    ordered = sorted(items, key=lambda p: p.version)
    for before, after in itertools.pairwise(ordered):
        if after.meta.effective_from <= before.meta.effective_from:
            display = _display(directory / after.name / f"v{after.version}.toml", directory)
            problems.append(
                f"{display}: meta.effective_from: must be later than v{before.version}'s "
                f"{before.meta.effective_from.isoformat()} (got {after.meta.effective_from.isoformat()})"
            )
    return problems


def _display(path: Path, directory: Path) -> str:
    try:
        return path.resolve().relative_to(_PACKAGE_ROOT).as_posix()
    except ValueError:
        return (Path(directory.name) / path.relative_to(directory)).as_posix()


def _toml_problem(display: str, message: str) -> str:
    match = _TOML_POSITION.match(message)
    if match is None:
        return f"{display}: TOML syntax error: {message}"
    return f"{display}: line {match['line']}, column {match['col']}: TOML syntax error: {match['msg']}"


def _problem(display: str, err: ErrorDetails) -> str:
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in err["loc"]).lstrip(".")
    ctx = err.get("ctx") or {}
    message = str(ctx["error"]) if err["type"] == "value_error" and "error" in ctx else err["msg"]
    value = err.get("input")
    got = "" if err["type"] == "missing" or isinstance(value, dict | list) else f" (got {_show(value)})"
    return f"{display}: {field}: {message}{got}" if field else f"{display}: {message}"


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
