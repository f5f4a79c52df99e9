#!/usr/bin/env python
"""Benchmark of the registry at scale: list page, search, RID page, export and import, SQLite and PostgreSQL.

    .venv/bin/python bench/registry.py [--rows 100000] [--million] [--database sqlite|postgres|both]

Not a test: it prints a table (and writes var/bench/registry-<rows>.json). Each database is measured in fresh
subprocesses, one per phase, so each phase's peak memory is its own:
  setup   migrate, then generate N RIDs with about three authors each (bulk_create; ~N/3 people, 20 divisions)
  queries the registry list page (kind + status filters, ordered, page 1 of 50, authors prefetched, as the view
          does it), full-text search, the RID page — p50/p95 over 50 runs — and the same list/search as raw SQL
  filters the list page with every filter and every sort of the registry list alone, 30 inputs each: p50/p95
          of the page and of its count alone
  export  the newest EXPORT_ROWS (100,000) RIDs — the registry filtered by creation date — to CSV, then to XLSX:
          rows/s and peak RSS (the whole registry when it is smaller)
  import  that CSV export with its numbers blanked: dry run, then the real import (rows/s, peak RSS)
SQLite: a file under var/bench/. PostgreSQL: a throw-away database on postgres://postgres@127.0.0.1:5432, created
and dropped here.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
RUNS = 50
PHASES = ("setup", "queries", "filters", "export_csv", "export_xlsx", "import")
USERNAME = "bench-ip"
EXPORT_ROWS = 100_000  # the measure: an export and an import of 100k rows, at any size of the registry


def _words(text: str) -> list[str]:
    return text.split()


SURNAMES = _words(
    "Иванов Петров Сидоров Смирнов Кузнецов Попов Васильев Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев "
    "Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв "
    "Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв "
    "Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов "
    "Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоренко Матвеев Титов Марков Миронов Крылов Куликов Карпов "
    "Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов "
    "Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев "
    "Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов "
    "Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов "
    "Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов "
    "Михеев Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов"
)
FIRST = _words(
    "Александр Алексей Андрей Антон Артём Борис Вадим Валерий Василий Виктор Виталий Владимир Вячеслав Геннадий "
    "Георгий Григорий Денис Дмитрий Евгений Егор Иван Игорь Илья Кирилл Константин Леонид Максим Михаил Никита "
    "Николай Олег Павел Пётр Роман Руслан Сергей Станислав Степан Юрий Ярослав"
)
MIDDLE = _words(
    "Александрович Алексеевич Андреевич Борисович Васильевич Викторович Владимирович Геннадьевич Григорьевич "
    "Дмитриевич Евгеньевич Иванович Игоревич Ильич Константинович Михайлович Николаевич Олегович Павлович "
    "Петрович Романович Сергеевич Степанович Юрьевич Яковлевич"
)
WORDS = _words(
    "способ устройство система программа база данных контроль износа рельсов рельс колесо вагон локомотив тяговый "
    "двигатель датчик измерения измерение температуры давления вибрации диагностика диагностики мониторинг "
    "мониторинга анализ анализа изображений изображение нейронной сети сеть распознавания обработки сигналов сигнал "
    "управления управление электроснабжения подстанции тока напряжения защиты модуль модуля блок блока платформа "
    "платформы сервер сервиса расписания движения поездов поезда графика оптимизации маршрута логистики грузов груза "
    "склада учёта учёт документов документооборота реестра интеллектуальной собственности результатов патентов "
    "материала композитного покрытия сплава стали бетона моста тоннеля пути путевой машины ремонта содержания "
    "энергосбережения освещения светодиодного источника питания аккумуляторной батареи зарядки беспроводной связи "
    "радиоканала антенны спутниковой навигации позиционирования геоинформационной карты обучения тренажёра "
    "безопасности персонала пожарной сигнализации видеонаблюдения доступа шифрования ключей"
)
KINDS = (
    ["software"] * 35
    + ["invention"] * 25
    + ["utility_model"] * 15
    + ["database"] * 10
    + ["industrial_design"] * 5
    + ["know_how"] * 5
    + ["other"] * 5
)
STATUSES = ["draft"] * 20 + ["submitted"] * 10 + ["under_check"] * 10 + ["returned"] * 10 + ["accepted"] * 50


# --- the parent: one subprocess per database and phase ----------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="1 000 000 RIDs")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--phases", default=",".join(PHASES), help=f"comma-separated, of {','.join(PHASES)} (default: all)"
    )
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the database (its name is printed)")
    parser.add_argument(
        "--reuse", metavar="NAME", help="PostgreSQL: measure an existing database kept by --keep (migrate, no setup)"
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    args = parser.parse_args()
    rows = 1_000_000 if args.million else args.rows
    if args.phase:
        worker(args.phase, rows)
        return
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    phases = [p for p in args.phases.split(",") if p]
    if unknown := set(phases) - {*PHASES, "migrate"}:  # migrate: a kept SQLite file (no setup), as --reuse does
        raise SystemExit(f"unknown phases: {', '.join(sorted(unknown))}")
    if args.reuse:
        databases, phases = ["postgres"], ["migrate", *(p for p in phases if p != "setup")]
    results: dict[str, dict[str, Any]] = {}
    for database in databases:
        print(f"== {database}, {rows} RIDs", flush=True)
        if database == "sqlite":
            path = BENCH_DIR / f"registry-{rows}.sqlite3"
            if "setup" in phases:
                path.unlink(missing_ok=True)
            results[database] = run_phases(f"sqlite:///{path}", rows, database, phases)
        else:
            name = args.reuse or f"ridbook_bench_{os.getpid()}"
            if not args.reuse:
                admin("CREATE DATABASE " + name)
            try:
                results[database] = run_phases(f"{PG_SERVER}/{name}", rows, database, phases)
            finally:
                if args.keep or args.reuse:
                    print(f"   database kept: {name}", flush=True)
                else:
                    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    (BENCH_DIR / f"registry-{rows}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print_table(results, rows)


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def run_phases(url: str, rows: int, label: str, phases: list[str]) -> dict[str, Any]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ridbook.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
        "BENCH_LABEL": label,
    }
    result: dict[str, Any] = {}
    for phase in phases:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, __file__, "--phase", phase, "--rows", str(rows)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,  # the result; the worker's progress and errors go to stderr as they come
            text=True,
            check=False,
        )
        if proc.returncode:
            sys.stderr.write(proc.stdout)
            raise SystemExit(f"{label}: phase {phase} failed")
        result[phase] = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"   {phase}: {time.monotonic() - started:.0f} s", flush=True)
    return result


def print_table(results: dict[str, dict[str, Any]], rows: int) -> None:
    names = list(results)
    lines: list[tuple[str, ...]] = [("", *names)]

    def add(label: str, fn: Callable[[dict[str, Any]], str]) -> None:
        cells = [cell(fn, results[n]) for n in names]
        if any(c != "—" for c in cells):  # a line of phases that were not run is left out
            lines.append((label, *cells))

    def cell(fn: Callable[[dict[str, Any]], str], result: dict[str, Any]) -> str:
        try:
            return fn(result)
        except KeyError:  # a phase that was not run
            return "—"

    def ms(phase: str, key: str) -> Callable[[dict[str, Any]], str]:
        return lambda r: f"{r[phase][key]['p50']:.1f} / {r[phase][key]['p95']:.1f}"

    add("generate N RIDs (s)", lambda r: f"{r['setup']['generate_s']:.0f}")
    add("migrate a kept database (s)", lambda r: f"{r['migrate']['migrate_s']:.0f}")

    def ratio(app: str, raw: str) -> Callable[[dict[str, Any]], str]:
        q = "queries"
        return lambda r: f"{r[q][app]['p50'] / r[q][raw]['p50']:.1f}× / {r[q][app]['p95'] / r[q][raw]['p95']:.1f}×"

    for name, label in (("list", "list page"), ("search", "search")):
        add(f"{label}, view way: p50 / p95 ms", ms("queries", f"{name}_view"))
        raw = "search_raw_as_app" if name == "search" else "list_raw_capped"
        if name == "search":
            add("search, raw SQL as the app (estimate or capped count): p50 / p95 ms", ms("queries", raw))
            add("search, raw SQL, capped count: p50 / p95 ms", ms("queries", "search_raw_capped"))
        else:
            add("list page, raw SQL, capped count: p50 / p95 ms", ms("queries", raw))
        add("  ratio view / raw (p50 / p95)", ratio(f"{name}_view", raw))
        add(f"{label}, queryset (exact count): p50 / p95 ms", ms("queries", f"{name}_queryset"))
        add(f"{label}, raw SQL, exact count: p50 / p95 ms", ms("queries", f"{name}_raw"))
        add("  ratio queryset / raw (p50 / p95)", ratio(f"{name}_queryset", f"{name}_raw"))

    def slowest(r: dict[str, Any]) -> str:
        label, value = max(r["filters"]["cases"].items(), key=lambda item: item[1]["page"]["p95"])
        return f"{value['page']['p95']:.1f} {label}"

    add("list page, each filter or sort alone: slowest p95 ms", slowest)
    add("RID page: p50 / p95 ms", ms("queries", "detail"))
    add("RID page, raw SQL: p50 / p95 ms", ms("queries", "detail_raw"))
    add("export: rows (the newest)", lambda r: f"{r['export_csv']['rows']:,}")
    add("export CSV: rows/s", lambda r: f"{r['export_csv']['rows_per_s']:,.0f}")
    add(
        "  peak RSS MB (process start)",
        lambda r: f"{r['export_csv']['peak_rss_mb']:.0f} ({r['export_csv']['start_rss_mb']:.0f})",
    )
    add("export XLSX: rows/s", lambda r: f"{r['export_xlsx']['rows_per_s']:,.0f}")
    add(
        "  peak RSS MB (process start)",
        lambda r: f"{r['export_xlsx']['peak_rss_mb']:.0f} ({r['export_xlsx']['start_rss_mb']:.0f})",
    )
    add("import dry run: rows/s", lambda r: f"{r['import']['dry_rows_per_s']:,.0f}")
    add("import: rows/s", lambda r: f"{r['import']['rows_per_s']:,.0f}")
    add("  peak RSS MB", lambda r: f"{r['import']['peak_rss_mb']:.0f}")
    add("  people new / matched", lambda r: f"{r['import']['people_created']} / {r['import']['people_matched']}")
    add("  rows skipped as bad", lambda r: f"{r['import']['bad_rows']}")
    print(f"\nRegistry benchmark, {rows:,} RIDs ({os.cpu_count()} CPU)")
    print_lines(lines)
    labels = list(dict.fromkeys(label for r in results.values() for label in r.get("filters", {}).get("cases", {})))
    if labels:
        print(f"\nThe list page with each filter or sort alone, {rows:,} RIDs: p50 / p95 ms of the page (of its count)")
        table: list[tuple[str, ...]] = [("", *names)]
        for label in labels:
            table.append((label, *(filter_cell(results[n], label) for n in names)))
        print_lines(table)


def filter_cell(result: dict[str, Any], label: str) -> str:
    case = result.get("filters", {}).get("cases", {}).get(label)
    if case is None:
        return "—"
    page, count = case["page"], case["count"]
    return f"{page['p50']:.1f} / {page['p95']:.1f} ({count['p50']:.1f} / {count['p95']:.1f})"


def print_lines(lines: list[tuple[str, ...]]) -> None:
    width = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(cell.ljust(width[0]) if i == 0 else cell.rjust(width[i]) for i, cell in enumerate(line)))


# --- the worker: one phase in a fresh Django process ------------------------------------------------------------


def worker(phase: str, rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    result = {
        "setup": setup,
        "migrate": migrate,
        "queries": queries,
        "filters": filters,
        "export_csv": export_csv,
        "export_xlsx": export_xlsx,
        "import": import_,
    }[phase](rows)
    result["peak_rss_mb"] = rss_mb()
    print(json.dumps(result))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def migrate(rows: int) -> dict[str, Any]:
    """A database kept by an earlier run: bring it to the current migrations (timed: they run on N RIDs)."""
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    seconds = time.monotonic() - started
    vacuum_analyze(connection)
    return {"migrate_s": seconds}


def vacuum_analyze(connection: Any) -> None:
    """What autovacuum does to a live registry: statistics, and (PostgreSQL) the visibility map that lets a count
    read an index alone. Right after a bulk load neither is there yet."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def setup(rows: int) -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    generate(rows)
    return {"generate_s": time.monotonic() - started}


def generate(n: int) -> None:
    from django.db import connection

    from ridbook.accounts.models import RoleAssignment, User
    from ridbook.accounts.roles import Role
    from ridbook.organizations.models import Organization
    from ridbook.registry.io.formats import equal_shares
    from ridbook.registry.models import Authorship, NoticeEvent, Person, Rid
    from ridbook.registry.search import lemma_text

    rng = random.Random(42)
    root = Organization.objects.create(name="Бенч-университет", short_name="БУ", kind="university", policy_name="vgtu")
    departments = []
    for i in range(5):
        institute = Organization.objects.create(
            name=f"Институт {i + 1}", short_name=f"Институт {i + 1}", kind="institute", parent=root
        )
        for j in range(4):
            departments.append(
                Organization.objects.create(
                    name=f"Кафедра {i + 1}.{j + 1}",
                    short_name=f"Кафедра {i + 1}.{j + 1}",
                    kind="department",
                    parent=institute,
                )
            )
    user = User.objects.create_user(USERNAME, password="bench-password-1")
    RoleAssignment.objects.create(user=user, organization=root, role=Role.IP_OFFICER)
    people = [
        Person(
            last_name=rng.choice(SURNAMES),
            first_name=rng.choice(FIRST),
            middle_name=rng.choice(MIDDLE),
            organization=rng.choice(departments),  # a person belongs to the organization that keeps him
        )
        for _ in range(max(500, n // 3))
    ]
    # generated data, through the plain managers: the audited ones would journal every row (and the benchmark
    # measures the registry, not a change log of its own making)
    Person._base_manager.bulk_create(people, batch_size=2000)
    surnames = {p.pk: p.last_name for p in people}
    ids = list(surnames)
    created_field = Rid._meta.get_field("created_at")
    created_field.auto_now_add = False  # historical dates for a realistic ordering
    start = datetime(2005, 1, 1, tzinfo=UTC)
    span = (datetime(2025, 1, 1, tzinfo=UTC) - start) / n
    sequence: dict[int, int] = {}
    for first in range(0, n, 5000):
        rids, authors = [], []
        for i in range(first, min(n, first + 5000)):
            created = start + span * i
            sequence[created.year] = sequence.get(created.year, 0) + 1
            number = f"РИД-{created.year}-{sequence[created.year]:05d}"
            kind, status = rng.choice(KINDS), rng.choice(STATUSES)
            title = " ".join(rng.sample(WORDS, rng.randint(4, 7))).capitalize()
            keywords = rng.sample(WORDS, 3)
            abstract = " ".join(rng.choices(WORDS, k=20))
            chosen = rng.sample(ids, rng.choice((1, 2, 3, 3, 3, 4, 5)))
            lemmas = lemma_text(title, abstract, " ".join(keywords), " ".join(surnames[p] for p in chosen), number)
            rids.append(
                Rid(
                    number=number,
                    kind=kind,
                    other_subtype="методика" if kind == "other" else "",
                    title=title,
                    organization=rng.choice(departments),
                    status=status,
                    created_at=created,
                    keywords=keywords,
                    abstract=abstract,
                    search_lemmas=f" {lemmas} ",
                    published=rng.random() < 0.2,
                    publication_date=created.date(),
                    publication_sources="журнал",
                )
            )
            authors.append(chosen)
        Rid._base_manager.bulk_create(rids, batch_size=1000)
        Authorship._base_manager.bulk_create(
            [
                Authorship(rid=rid, person_id=p, coefficient=share, order=k)
                for rid, chosen in zip(rids, authors, strict=True)
                for k, (p, share) in enumerate(zip(chosen, equal_shares(len(chosen)), strict=True))
            ],
            batch_size=2000,
        )
        events = [NoticeEvent(rid=rid, kind="created", actor=user, actor_label=USERNAME) for rid in rids]
        events += [
            NoticeEvent(rid=rid, kind="submitted", actor=user, actor_label=USERNAME)
            for rid in rids
            if rid.status != "draft"
        ]
        NoticeEvent._base_manager.bulk_create(events, batch_size=2000)
    created_field.auto_now_add = True
    vacuum_analyze(connection)


def timed(fn: Callable[[int], Any], runs: int = RUNS) -> dict[str, float]:
    """p50/p95 of ``fn(i)`` over ``runs`` inputs, after one untimed pass over the same inputs: each measured way
    (view, queryset, raw SQL) meets a warm database, as a server in use does — measured cold, whichever way ran
    first on an input would pay for reading its pages from disk and the others would not."""
    for i in range(runs):
        fn(i)
    times = []
    for i in range(runs):
        started = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "max": times[-1]}


def queries(rows: int) -> dict[str, Any]:
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Prefetch

    from ridbook.accounts.models import User
    from ridbook.organizations.models import Organization
    from ridbook.organizations.selectors import descendant_ids
    from ridbook.registry.models import Authorship, NoticeEvent, Person, Rid
    from ridbook.registry.paging import COUNT_CAP, ESTIMATE_FROM, list_page
    from ridbook.registry.search import lemma, search_filter
    from ridbook.registry.selectors import rids_visible_to

    user = User.objects.get(username=USERNAME)
    rng = random.Random(7)
    combos = [(rng.choice(KINDS), rng.choice(STATUSES)) for _ in range(RUNS + 3)]
    searches = [rng.choice(WORDS) if i % 2 else " ".join(rng.sample(WORDS, 2)) for i in range(RUNS + 3)]
    max_id = Rid.objects.order_by("-id").values_list("id", flat=True).first() or 1
    ids = Rid.objects.order_by("id").values_list("id", flat=True)
    # a RID at or after a random id (ids have gaps: a rolled-back import has used some)
    pks = [ids.filter(id__gte=rng.randint(1, max_id)).first() or max_id for _ in range(RUNS + 3)]
    authors = Prefetch("authorships", queryset=Authorship.objects.select_related("person").order_by("order", "id"))

    def page_of(queryset: Any) -> None:
        page = Paginator(queryset, 50).get_page(1)
        for rid in page:
            _ = rid.organization.short_name, [a.person.short_name for a in rid.authorships.all()]

    def view_way(params: dict[str, str]) -> None:
        """As registry.views.rid_list does it (registry.paging.list_page): the filters over the visible RIDs, the
        count capped at COUNT_CAP, page 1, the authors of its rows."""
        listed = list_page(user, params)
        for rid in listed.page:
            _ = rid.organization.short_name, list(rid.author_names)

    def queryset_way(params: dict[str, str]) -> None:
        qs = rids_visible_to(user).select_related("organization").prefetch_related(authors)
        if "q" in params:
            qs = search_filter(qs, params["q"])
        else:
            qs = qs.filter(kind=params["kind"], status=params["status"])
        page_of(qs.order_by("-created_at", "-id"))

    rid_table, org_table = Rid._meta.db_table, Organization._meta.db_table
    a_table, p_table, e_table = Authorship._meta.db_table, Person._meta.db_table, NoticeEvent._meta.db_table
    org_ids = sorted(descendant_ids(set(user.role_assignments.values_list("organization_id", flat=True))))
    # what the user sees, as ``rids_visible_to`` writes it: the organizations, or RIDs they wrote or created
    in_orgs = (
        f"(r.organization_id IN ({', '.join(map(str, org_ids))}) OR EXISTS(SELECT 1 FROM {a_table} va "
        f"JOIN {p_table} vp ON vp.id = va.person_id WHERE vp.user_id = {user.pk} AND va.rid_id = r.id) "
        f"OR r.created_by_id = {user.pk})"
    )
    postgres = connection.vendor == "postgresql"

    def raw(where: str, params: list[Any], capped: bool = False, estimate: bool = False) -> None:
        """The page's queries by hand: the count (all matches, or at most COUNT_CAP + 1 as the app counts; with
        ``estimate``, as the app's search: none when the planner expects ESTIMATE_FROM rows or more), the page's
        rows with their division, their authors."""
        with connection.cursor() as cursor:  # the sessions have JIT off (settings), as the app's
            expected = 0
            if estimate and postgres:
                cursor.execute(
                    f"EXPLAIN (FORMAT JSON) SELECT r.id FROM {rid_table} r WHERE {in_orgs} AND {where}", params
                )
                plan = cursor.fetchone()[0]
                expected = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]
            if expected >= ESTIMATE_FROM:
                pass
            elif capped or estimate:  # as registry.paging counts
                cursor.execute(
                    f"SELECT COUNT(*) FROM (SELECT 1 FROM {rid_table} r WHERE {in_orgs} AND {where} "
                    f"LIMIT {COUNT_CAP + 1}) t",
                    params,
                )
            else:
                cursor.execute(f"SELECT COUNT(*) FROM {rid_table} r WHERE {in_orgs} AND {where}", params)
            cursor.fetchone()
            cursor.execute(
                f"SELECT r.id, r.number, r.title, r.kind, r.status, r.created_at, o.short_name FROM {rid_table} r "
                f"JOIN {org_table} o ON o.id = r.organization_id WHERE {in_orgs} AND {where} "
                "ORDER BY r.created_at DESC, r.id DESC LIMIT 50",
                params,
            )
            ids = [row[0] for row in cursor.fetchall()]
            if ids:
                cursor.execute(
                    f"SELECT a.rid_id, p.last_name, p.first_name, p.middle_name, a.coefficient FROM {a_table} a "
                    f"JOIN {p_table} p ON p.id = a.person_id WHERE a.rid_id IN ({', '.join(map(str, ids))}) "
                    'ORDER BY a.rid_id, a."order", a.id'
                )
                cursor.fetchall()

    def raw_search(text: str, capped: bool = False, estimate: bool = False) -> None:
        words = [lemma(w) for w in text.split()]
        if postgres:
            raw("r.search_vector @@ to_tsquery('simple', %s)", [" & ".join(words)], capped, estimate)
        else:
            raw(" AND ".join(["r.search_lemmas LIKE %s"] * len(words)), [f"% {w} %" for w in words], capped, estimate)

    def detail(i: int) -> None:
        # as registry.views._visible_rid (get_object_or_404: no ordering, unlike .first())
        rid = rids_visible_to(user).select_related("organization", "created_by").filter(pk=pks[i]).get()
        if rid is not None:
            list(rid.authorships.select_related("person__organization"))
            list(rid.contributions.select_related("person__organization"))
            list(rid.events.select_related("actor"))

    def detail_raw(i: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.*, o.short_name FROM {rid_table} r JOIN {org_table} o "
                f"ON o.id = r.organization_id WHERE r.id = %s",
                [pks[i]],
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT a.*, p.* FROM {a_table} a JOIN {p_table} p ON p.id = a.person_id WHERE a.rid_id = %s", [pks[i]]
            )
            cursor.fetchall()
            cursor.execute(f"SELECT * FROM {e_table} WHERE rid_id = %s", [pks[i]])
            cursor.fetchall()

    return {
        "list_view": timed(lambda i: view_way({"kind": combos[i][0], "status": combos[i][1]})),
        "list_queryset": timed(lambda i: queryset_way({"kind": combos[i][0], "status": combos[i][1]})),
        "list_raw": timed(lambda i: raw("r.kind = %s AND r.status = %s", list(combos[i]))),
        "list_raw_capped": timed(lambda i: raw("r.kind = %s AND r.status = %s", list(combos[i]), capped=True)),
        "search_view": timed(lambda i: view_way({"q": searches[i]})),
        "search_queryset": timed(lambda i: queryset_way({"q": searches[i]})),
        "search_raw": timed(lambda i: raw_search(searches[i])),
        "search_raw_capped": timed(lambda i: raw_search(searches[i], capped=True)),
        "search_raw_as_app": timed(lambda i: raw_search(searches[i], estimate=True)),
        "detail": timed(detail),
        "detail_raw": timed(detail_raw),
    }


FILTER_RUNS = 30  # inputs per filter or sort (the p95 is the 28th time of 30)
SLOW_MS = 2000  # a case whose first run takes longer is measured 5 times, not FILTER_RUNS


def filters(rows: int) -> dict[str, Any]:
    """The list page (the view's way: ``registry.paging``) with each filter and each sort of the registry list alone,
    every one over FILTER_RUNS inputs (its values in turn: every status, kind, division, year…; surname beginnings
    of 1–6 letters in any case; people at random): p50/p95 of the page, and of its count alone."""
    from urllib.parse import urlencode

    from django.http import QueryDict

    from ridbook.accounts.models import User
    from ridbook.organizations.models import Organization
    from ridbook.registry.choices import FundingKind, RidKind, RidStatus
    from ridbook.registry.filters import SORT_CHOICES
    from ridbook.registry.models import Person, Rid
    from ridbook.registry.paging import attach_authors, list_paginator

    user = User.objects.get(username=USERNAME)
    rng = random.Random(12)
    n = FILTER_RUNS

    def cycle(values: list[str]) -> list[str]:
        return [values[i % len(values)] for i in range(n)]

    divisions = [str(i) for i in Organization.objects.filter(parent__isnull=False).values_list("id", flat=True)]
    dates = Rid.objects.order_by("created_at").values_list("created_at", flat=True)
    first, last = dates.first(), dates.last()
    years = [str(y) for y in range(first.year, last.year + 1)] if first and last else ["2020"]  # the form's choices
    people = list(Person.objects.values_list("id", flat=True)[:50_000])

    def beginning(i: int) -> str:
        surname = rng.choice(SURNAMES)[: 1 + i % 6]
        return (surname.lower(), surname, surname.upper())[i % 3]

    cases: dict[str, list[dict[str, str]]] = {
        "no filter (newest first)": [{}] * n,
        "q: search, one or two words": [
            {"q": rng.choice(WORDS) if i % 2 else " ".join(rng.sample(WORDS, 2))} for i in range(n)
        ],
        "kind (each)": [{"kind": v} for v in cycle(list(RidKind.values))],
        "status (each)": [{"status": v} for v in cycle(list(RidStatus.values))],
        "organization (each division)": [{"organization": v} for v in cycle(divisions)],
        "year (each)": [{"year": v} for v in cycle(years)],
        "author: surname beginning, 1-6 letters": [{"author": beginning(i)} for i in range(n)],
        "person (an author's RIDs)": [{"person": str(rng.choice(people))} for _ in range(n)],
        "funding_kind (each)": [{"funding_kind": v} for v in cycle(list(FundingKind.values))],
        "flags: published": [{"flags": "published"}] * n,
        "flags: trade_secret": [{"flags": "trade_secret"}] * n,
        "flags: novelty_risk": [{"flags": "novelty_risk"}] * n,
        **{f"sort: {value}": [{"sort": value}] * n for value, _ in SORT_CHOICES},
        "page 2-200 (newest first)": [{"page": str(2 + i * 199 // n)} for i in range(n)],
    }

    def query(params: dict[str, str]) -> QueryDict:
        """The parameters as the view gets them (a multiple choice, the flags, is read as a list)."""
        return QueryDict(urlencode(params))

    def paginator_of(params: dict[str, str]) -> Any:
        rid_filter, paginator = list_paginator(user, query(params))
        if (
            rid_filter.is_bound and not rid_filter.is_valid()
        ):  # an invalid filter is left out: the case would measure the list unfiltered
            raise SystemExit(f"{params}: {rid_filter.errors.as_json()}")
        return paginator

    def page(params: dict[str, str]) -> None:
        """As ``registry.paging.list_page``: the count (capped, or the planner's estimate), page 1, its authors."""
        paginator = paginator_of(params)
        listed = paginator.get_page(params.get("page"))
        rids = list(listed.object_list)
        attach_authors(rids)
        for rid in rids:
            _ = rid.organization.short_name

    def count(params: dict[str, str]) -> None:
        _ = paginator_of(params).count

    def measure(fn: Callable[[dict[str, str]], None], inputs: list[dict[str, str]]) -> dict[str, float]:
        started = time.perf_counter()
        fn(inputs[0])
        if (time.perf_counter() - started) * 1000 > SLOW_MS:
            inputs = inputs[:5]
        return timed(lambda i: fn(inputs[i]), runs=len(inputs))

    result = {}
    for label, inputs in cases.items():
        result[label] = {"page": measure(page, inputs), "count": measure(count, inputs)}
        print(
            f"   {label}: {result[label]['page']['p50']:.1f} / {result[label]['page']['p95']:.1f} ms", file=sys.stderr
        )
    return {"cases": result}


def _visible() -> Any:
    from ridbook.accounts.models import User
    from ridbook.registry.selectors import rids_visible_to

    return rids_visible_to(User.objects.get(username=USERNAME))


def _exported() -> Any:
    """The RIDs exported: those created since the creation date of the EXPORT_ROWS-th newest (as a date filter
    of the list would select them), or all."""
    queryset = _visible()
    newest = queryset.order_by("-created_at").values_list("created_at", flat=True)[EXPORT_ROWS - 1 : EXPORT_ROWS]
    if since := newest.first():
        queryset = queryset.filter(created_at__gte=since)
    return queryset


def _export_path(suffix: str) -> Path:
    return BENCH_DIR / f"export-{os.environ.get('BENCH_LABEL', 'db')}.{suffix}"


def export_csv(rows: int) -> dict[str, Any]:
    from ridbook.registry.io import export_csv as write_csv

    queryset = _exported()
    start_rss = rss_mb()
    started = time.monotonic()
    with open(_export_path("csv"), "wb") as stream:
        count = write_csv(queryset, stream)
    seconds = time.monotonic() - started
    return {"rows": count, "seconds": seconds, "rows_per_s": count / seconds, "start_rss_mb": start_rss}


def export_xlsx(rows: int) -> dict[str, Any]:
    from ridbook.registry.io import export_xlsx as write_xlsx

    queryset = _exported()
    start_rss = rss_mb()
    started = time.monotonic()
    count = write_xlsx(queryset, _export_path("xlsx"))
    seconds = time.monotonic() - started
    return {"rows": count, "seconds": seconds, "rows_per_s": count / seconds, "start_rss_mb": start_rss}


def import_(rows: int) -> dict[str, Any]:
    from ridbook.accounts.models import User
    from ridbook.organizations.models import Organization
    from ridbook.registry.io import registry_import

    source, target = _export_path("csv"), _export_path("import.csv")
    with (
        open(source, encoding="utf-8-sig", newline="") as src,
        open(target, "w", encoding="utf-8-sig", newline="") as dst,
    ):
        writer = csv.writer(dst, delimiter=";")
        for i, row in enumerate(csv.reader(src, delimiter=";")):
            writer.writerow(row if i == 0 else ["", *row[1:]])  # new numbers: the originals are in the registry
    user = User.objects.get(username=USERNAME)
    root = Organization.objects.get(short_name="БУ", parent=None)
    # skip_bad_rows: the export writes authors as «Фамилия И. О.», so namesakes who wrote one RID together
    # (random authors from a pool of people) read back as one person twice — a handful of rows in 100,000
    dry = registry_import(target, actor=user, organization=root, dry_run=True, skip_bad_rows=True)
    real = registry_import(target, actor=user, organization=root, skip_bad_rows=True)
    if not real.written:
        raise SystemExit(real.text())
    return {
        "rows": real.rows,
        "dry_seconds": dry.seconds,
        "dry_rows_per_s": dry.rows / dry.seconds,
        "seconds": real.seconds,
        "rows_per_s": real.rows / real.seconds,
        "people_created": real.people_created,
        "people_matched": real.people_matched,
        "warnings": real.warnings_total,
        "bad_rows": real.bad_rows,
    }


if __name__ == "__main__":
    main()
