#!/usr/bin/env python
"""Hostile files against the registry's import: how much memory a refusal costs, and how big a report gets.

    .venv/bin/python bench/hostile_files.py                     # the two bombs and a report of 2,000,000 bad rows
    .venv/bin/python bench/hostile_files.py --bad-rows 200000   # quicker
    .venv/bin/python bench/hostile_files.py --unchecked         # also openpyxl on the 200 MB bomb without the check
    .venv/bin/python bench/hostile_files.py --uncapped 200000   # also a report that keeps every error (as before)

Not a test: it prints a table (and writes var/bench/hostile-files.json). Each case runs in a fresh process, so its
peak RSS is its own; «growth» is the peak minus the process's RSS just before the case (Django set up, the file
built on disk):
  bomb 200 MB   a ~200 KB .xlsx whose shared strings inflate to 200 MB (ridbook.testing.hostile.xlsx_bomb),
                imported (dry run): refused (UploadRefused) from the ZIP's directory
  bomb 1 GB     the same at ~1 MB → 1 GB
  unchecked     (--unchecked) openpyxl's load_workbook(read_only=True) on the 200 MB bomb, as the import did before:
                what the refusal saves (the 1 GB bomb unchecked takes ~14 GB: not run)
  bad rows      a CSV of N rows with an unknown kind each (every row an error), imported (dry run) with
                IMPORT_MAX_ROWS raised to N: rows/s, peak RSS growth, the size of the API's JSON report and of the
                text report
  uncapped      (--uncapped N) the same with every error kept (RIDBOOK_IMPORT_ERRORS_KEPT = 10**9): the old report
The database is SQLite in var/bench/hostile.sqlite3 (migrated once; the dry runs write nothing).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DATABASE = BENCH_DIR / "hostile.sqlite3"
MB = 1024 * 1024


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ridbook.settings")
    import django

    django.setup()


def _organization() -> Any:
    from ridbook.organizations.models import Organization

    organization, _ = Organization.objects.get_or_create(
        short_name="Бенчмарк",
        defaults={"name": "Бенчмарк", "kind": "university", "country": "RU", "policy_name": "vgtu"},
    )
    return organization


def case_bomb(inflated_mb: int) -> dict[str, Any]:
    _setup()
    from ridbook.core.uploads import UploadRefused
    from ridbook.registry.io import registry_import
    from ridbook.testing.hostile import xlsx_bomb

    path = BENCH_DIR / f"bomb-{inflated_mb}.xlsx"
    xlsx_bomb(path, inflated=inflated_mb * MB)
    organization = _organization()
    before = _rss_mb()
    started = time.perf_counter()
    try:
        registry_import(path, actor="бенчмарк", organization=organization, dry_run=True)
        outcome = "imported (!)"
    except UploadRefused as exc:
        outcome = exc.message
    seconds = time.perf_counter() - started
    return {
        "file_kb": path.stat().st_size / 1024,
        "inflated_mb": inflated_mb,
        "outcome": outcome,
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_growth_mb": _peak_mb() - before,
    }


def case_unchecked(inflated_mb: int) -> dict[str, Any]:
    _setup()
    from openpyxl import load_workbook

    from ridbook.testing.hostile import xlsx_bomb

    path = BENCH_DIR / f"bomb-{inflated_mb}.xlsx"
    xlsx_bomb(path, inflated=inflated_mb * MB)
    before = _rss_mb()
    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    workbook.close()
    return {
        "file_kb": path.stat().st_size / 1024,
        "inflated_mb": inflated_mb,
        "outcome": "read whole (no check)",
        "seconds": time.perf_counter() - started,
        "rss_before_mb": before,
        "peak_growth_mb": _peak_mb() - before,
    }


def _bad_csv(rows: int) -> Path:
    from ridbook.registry.io import columns as c

    path = BENCH_DIR / f"bad-rows-{rows}.csv"
    if path.exists():
        return path
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(c.OWN_COLUMNS)
        for n in range(rows):
            row = {c.KIND: "непонятный вид", c.TITLE: f"Программа {n}", c.AUTHORS: "Сидоров И. И. (100 %)"}
            writer.writerow([row.get(column, "") for column in c.OWN_COLUMNS])
    return path


def case_bad_rows(rows: int, uncapped: bool = False) -> dict[str, Any]:
    os.environ["IMPORT_MAX_ROWS"] = str(max(rows, 1_000_000))
    _setup()
    from django.conf import settings

    from ridbook.registry.api import ImportReportSerializer
    from ridbook.registry.io import registry_import

    if uncapped:
        settings.RIDBOOK_IMPORT_ERRORS_KEPT = 10**9
    path = _bad_csv(rows)
    organization = _organization()
    before = _rss_mb()
    started = time.perf_counter()
    report = registry_import(path, actor="бенчмарк", organization=organization, dry_run=True)
    seconds = time.perf_counter() - started
    body = json.dumps(ImportReportSerializer(report).data, ensure_ascii=False).encode()
    text = report.text().encode()
    return {
        "file_mb": path.stat().st_size / MB,
        "rows": report.rows,
        "bad_rows": report.bad_rows,
        "errors_kept": len(report.errors),
        "errors_total": report.errors_total,
        "seconds": seconds,
        "rows_per_s": report.rows / seconds,
        "json_report_mb": len(body) / MB,
        "text_report_mb": len(text) / MB,
        "rss_before_mb": before,
        "peak_growth_mb": _peak_mb() - before,
    }


def _child(name: str, *args: str) -> dict[str, Any]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ridbook.settings", "DATABASE_URL": f"sqlite:///{DATABASE}"}
    command = [sys.executable, __file__, "--case", name, *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{name} failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bad-rows", type=int, default=2_000_000)
    parser.add_argument("--unchecked", action="store_true")
    parser.add_argument("--uncapped", type=int, default=0, metavar="ROWS")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.case:
        cases: dict[str, Callable[..., dict[str, Any]]] = {
            "bomb": case_bomb,
            "unchecked": case_unchecked,
            "bad_rows": case_bad_rows,
            "uncapped": lambda rows: case_bad_rows(rows, uncapped=True),
        }
        result = cases[options.case](*[int(a) for a in options.args])
        print(json.dumps(result, ensure_ascii=False))
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DATABASE}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0", "--skip-checks"], cwd=ROOT, env=env, check=True)
    results: dict[str, Any] = {}
    results["bomb 200 MB"] = _child("bomb", "200")
    results["bomb 1 GB"] = _child("bomb", "1024")
    if options.unchecked:
        results["unchecked 200 MB"] = _child("unchecked", "200")
    results[f"bad rows {options.bad_rows:,}"] = _child("bad_rows", str(options.bad_rows))
    if options.uncapped:
        results[f"uncapped {options.uncapped:,}"] = _child("uncapped", str(options.uncapped))
    (BENCH_DIR / "hostile-files.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    for name, figures in results.items():
        print(f"{name}:")
        for key, value in figures.items():
            shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
            print(f"  {key:16} {shown}")


if __name__ == "__main__":
    main()
