"""Missing or malformed configuration stops start-up with one clear line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ridbook.env import ConfigError, env_bool, env_database, env_secret_key

ROOT = Path(__file__).resolve().parents[3]


def run_manage(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "ridbook.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DATABASE_URL": "mysql://localhost/x"}, "DATABASE_URL"),
        ({"DEBUG": "false"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT"),
        ({"API_TOKEN_TTL_HOURS": "-1"}, "API_TOKEN_TTL_HOURS"),
    ],
)
def test_bad_configuration_is_one_line_naming_the_variable(overrides, variable):
    result = run_manage(overrides)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"ridbook: configuration error: {variable}:")


def test_helpers(monkeypatch, tmp_path):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "да")
    with pytest.raises(ConfigError, match="X_FLAG: expected true/false"):
        env_bool("X_FLAG")
    monkeypatch.setenv("X_DB", "postgres://u:p@127.0.0.1:5432/ridbook")
    assert env_database("X_DB", "sqlite:///x")["NAME"] == "ridbook"
    monkeypatch.setenv("X_DB", "postgres://127.0.0.1:5432/")
    with pytest.raises(ConfigError, match="X_DB: the database name is missing"):
        env_database("X_DB", "sqlite:///x")
    monkeypatch.delenv("X_KEY", raising=False)
    key_file = tmp_path / "secret_key"
    first = env_secret_key("X_KEY", key_file, debug=True)
    assert env_secret_key("X_KEY", key_file, debug=True) == first and len(first) >= 50


def test_unreachable_database_is_one_clear_line():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"DATABASE_URL": "postgres://nobody@127.0.0.1:1/ridbook", "DJANGO_SETTINGS_MODULE": "ridbook.settings"})
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ridbook: the database is unreachable (check DATABASE_URL)")
