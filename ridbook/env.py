"""Typed helpers that read configuration from the environment and fail loudly.

Every helper raises :class:`ConfigError` whose message names the variable, so start-up stops with one clear line.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(Exception):
    """Missing or malformed configuration; the message names the variable."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}: expected true/false (1/0, yes/no), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}: expected at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret_key(name: str, dev_key_file: Path, *, debug: bool) -> str:
    """The secret key: from the environment; in DEBUG a dev key is generated once into ``var/`` (never committed)."""
    raw = os.environ.get(name)
    if raw is not None:
        if len(raw) < 32:
            raise ConfigError(f"{name}: must be at least 32 characters long (got {len(raw)})")
        return raw
    if not debug:
        raise ConfigError(f"{name}: required when DEBUG is false (set a random string of 50 characters)")
    if dev_key_file.exists():
        return dev_key_file.read_text().strip()
    dev_key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    dev_key_file.write_text(key)
    return key


def env_database(name: str, default: str) -> dict[str, object]:
    import dj_database_url

    raw = os.environ.get(name) or default
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(f"{name}: expected sqlite:///path or postgres://user:pass@host:port/db, got {raw!r}")
    try:
        config: dict[str, object] = dict(dj_database_url.parse(raw, conn_max_age=60))
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None
    if not config.get("NAME"):
        raise ConfigError(f"{name}: the database name is missing in {raw!r}")
    return config
