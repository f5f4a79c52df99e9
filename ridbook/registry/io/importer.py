"""Import of a registry spreadsheet (XLSX or CSV): our own export (round trip) or a FIPS open registry (programs,
inventions, utility models, industrial designs).

- The format is recognized by the header (``formats.py``); the file by content (``reading.py``).
- Every bad row is reported: row as Excel numbers it, column, reason in Russian (``report.py``). A dry run writes
  nothing. A real run writes nothing at all when a row is bad, unless ``skip_bad_rows`` (then the good rows only).
  It is one transaction: never a half import.
- The rules are those of the notice form (``services.rid_field_errors`` and ``person_errors`` over ``validation.py``),
  plus: a number already in the registry or repeated in the file, two authors who are one person, coefficients.
- Rows without a number get «РИД-<год>-NNNNN» after the year's last one, as they are checked; a number the file
  gives later that an earlier row got this way is reported on its row.
- Writes go in chunks of ``CHUNK`` rows: new people, RIDs, authorships, a «черновик создан» event per RID and the
  audit trail — one ``ChangeRecord`` per created RID and person, signed by the importing user or command — each as
  one ``COPY`` on PostgreSQL or ``executemany`` elsewhere (``bulk.py``; signals do not see bulk writes, so the audit
  trail is written here). On PostgreSQL the ``COPY``s run in a thread of their own (``bulk.Sender``), in the same
  transaction, while the next chunk is checked: a 100,000-row import into a million RIDs keeps both cores busy.
"""

from __future__ import annotations

import gc
import io
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ridbook.accounts.permissions import Action, require
from ridbook.audit.models import ChangeAction, ChangeRecord
from ridbook.audit.signals import snapshot
from ridbook.core.uploads import UploadRefused, check_upload, import_limits
from ridbook.organizations.models import Organization
from ridbook.registry import validation as v
from ridbook.registry.choices import NoticeEventKind, RidKind
from ridbook.registry.io import bulk
from ridbook.registry.io import columns as c
from ridbook.registry.io.formats import (
    FIPS_KEYS,
    OWN_KEYS,
    PATENT_KEYS,
    Parser,
    Row,
    detect_format,
    ignored_columns,
)
from ridbook.registry.io.people import People
from ridbook.registry.io.reading import FileProblem, Table, Value, open_table
from ridbook.registry.io.report import ImportReport, Problem
from ridbook.registry.models import Authorship, NoticeEvent, Person, Rid
from ridbook.registry.paging import grouped
from ridbook.registry.search import lemma_text, number_tails
from ridbook.registry.services import person_errors, rid_field_errors

# what else a chunk of written rows brings (``protection`` registers the writer of the registrations' documents):
# called with the writer and its rows, after their RIDs have ids
ROW_WRITERS: list[Callable[[_Writer, list[Row]], None]] = []

CHUNK = 2000
OUR_NUMBER_RE = re.compile(r"РИД-\d{4}-\d+")  # i18n: ru-only (the registry number format)
BATCH = 1000
NAME_MAX = 100
SWITCH_INTERVAL = 0.0001  # s: see ``_sender``


def registry_import(
    source: str | Path | IO[bytes],
    *,
    actor: Any,
    organization: Organization,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    filename: str = "",
) -> ImportReport:
    """Import a spreadsheet into ``organization``. Bad rows never raise: everything is in the report (the first
    ``RIDBOOK_IMPORT_ERRORS_KEPT`` errors, the rest counted). A file over the limits of ``core.uploads`` (size, a
    «zip-бомба») or of more than ``RIDBOOK_IMPORT_MAX_ROWS`` rows is refused: ``UploadRefused``, nothing written.

    ``actor`` is a user (needs «проверка уведомления» in the organization) or, for a command run by the server's
    operator, a label such as ``"команда import_registry"``.
    """
    user = actor if getattr(actor, "pk", None) else None
    if not isinstance(actor, str):
        require(actor, Action.NOTICE_REVIEW, organization)
    name = filename or (Path(source).name if isinstance(source, str | Path) else str(getattr(source, "name", "")))
    report = ImportReport(filename=name or _("файл"), dry_run=dry_run, skip_bad_rows=skip_bad_rows)
    started = time.monotonic()
    if not isinstance(source, str | Path) and not source.seekable():
        source = io.BytesIO(source.read(settings.RIDBOOK_IMPORT_MAX_BYTES + 1))  # a pipe: its size is known once read
    check_upload(source, import_limits())  # refused (UploadRefused) before anything is parsed
    try:
        table = open_table(source, OWN_KEYS | FIPS_KEYS | PATENT_KEYS)
        try:
            _import(table, report, organization, user, user.get_username() if user else str(actor))
        finally:
            table.close()
    except FileProblem as exc:
        report.errors.append(Problem(None, "", exc.message))
        report.written = False
    except IntegrityError:
        report.errors.append(
            Problem(
                None,
                "",
                _(
                    "Импорт не записан: пока он шёл, в реестр добавили РИД с теми же учётными номерами или "
                    "номерами государственной регистрации. Повторите импорт."
                ),
            )
        )
        report.written = False
    report.seconds = time.monotonic() - started
    return report


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the import. An import keeps hundreds of thousands of objects
    alive (the people of the file's surnames, the rows of a chunk) and creates millions: the collector's automatic
    passes over them took half the time of a 100,000-row import, and found nothing — the import makes no reference
    cycles (``test_io.test_import_makes_no_garbage_cycles``), reference counting frees all it drops."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@_collector_paused()
def _import(table: Table, report: ImportReport, organization: Organization, user: Any, label: str) -> None:
    report.warnings += [Problem(None, "", note) for note in table.notes]
    parser_class, problems = detect_format(table.header)
    report.errors += problems
    if parser_class is None or problems:
        return
    if not parser_class.other_columns_are_errors and (ignored := ignored_columns(parser_class, table.header)):
        names = ", ".join(f"«{name}»" for name in ignored)
        report.warnings.append(
            Problem(
                None,
                "",
                (_("Эти столбцы файла не импортируются (у РИД нет таких полей): %(names)s.") % {"names": names}),
            )
        )
    parser = parser_class(table.header, organization, user)
    report.format = parser.format
    checker = _Checker(report, parser, table.kind, len(table.header))
    if report.dry_run:
        checker.run(table.rows, None)
        return
    with transaction.atomic():
        with _sender() as sender:
            checker.run(table.rows, _Writer(user, label, report.filename, sender))
        report.written = report.rids > 0 and (not report.errors or report.skip_bad_rows)
        if not report.written:
            transaction.set_rollback(True)


@contextmanager
def _sender() -> Iterator[bulk.Sender | None]:
    """PostgreSQL: the writes go to the server from a thread (``bulk.Sender``) while the next rows are checked, and
    the foreign keys are checked as each ``COPY`` ends (in that thread), not all at once at the commit. An error of
    a ``COPY`` is raised in place of what it broke on this side (the transaction is aborted after it)."""
    if connection.vendor != "postgresql":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    sender = bulk.Sender(connection)
    interval = sys.getswitchinterval()
    # the sender waits on the server mostly; when the server answers, it gets the GIL within 0.1 ms, not 5 ms
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield sender
    finally:
        sys.setswitchinterval(interval)
        sender.close()  # raises the COPY's error, if one failed: the cause of any error here after it
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares its foreign keys


class _Checker:
    """Reads the rows chunk by chunk, checks them, and hands the good ones to the writer (while writing makes sense)."""

    def __init__(self, report: ImportReport, parser: Parser, kind: str, width: int) -> None:
        self.report, self.parser, self.kind, self.width = report, parser, kind, width
        self.people = People(parser.organization)
        self.numbers: dict[str, int] = {}  # numbers given in the file → their row
        self.assigned: dict[str, int] = {}  # numbers given by this import → their row
        self.registrations: dict[tuple[str, str], int] = {}  # state registrations in the file → their row
        self.prefix = f"РИД-{timezone.localdate().year}-"  # i18n: ru-only (the registry number format)
        self.seq: int | None = None

    def run(self, rows: Iterator[tuple[int, list[Value]]], writer: _Writer | None) -> None:
        limit = settings.RIDBOOK_IMPORT_MAX_ROWS
        while chunk := list(islice(rows, CHUNK)):
            if self.report.rows + len(chunk) > limit:  # refused: nothing is written (the transaction is undone)
                raise UploadRefused(
                    _(
                        "В файле больше %(limit)s строк с данными: за один раз импортируется не более %(limit)s. Разделите файл на части."
                    )
                    % {"limit": grouped(limit)}
                )
            good = self.check(chunk)
            if writer is not None and good and (not self.report.errors or self.report.skip_bad_rows):
                for row in good:
                    if not row.rid.number:
                        row.rid.number = self.next_number()
                        self.assigned[row.rid.number] = row.number
                writer.write(good)

    def next_number(self) -> str:
        """The next free «РИД-<год>-NNNNN» after the year's largest (by length first: 100000 comes after 99999),
        skipping the numbers the file gives."""
        if self.seq is None:
            numbers = Rid.objects.filter(number__regex=rf"^{self.prefix}[0-9]+$")
            last = numbers.order_by(Length("number").desc(), "-number").values_list("number", flat=True).first()
            self.seq = int(last.rsplit("-", 1)[1]) if last else 0
        while True:
            self.seq += 1
            number = f"{self.prefix}{self.seq:05d}"
            if number not in self.numbers:
                return number

    def check(self, chunk: list[tuple[int, list[Value]]]) -> list[Row]:
        report = self.report
        parsed: list[tuple[Row, list[Problem]]] = []
        for number, values in chunk:
            report.rows += 1
            problems: list[Problem] = []
            if any(values[self.width :]):
                problems.append(
                    Problem(
                        number,
                        "",
                        (
                            _(
                                "Есть значения правее последнего столбца заголовка (столбец %(column)s и дальше): проверьте разделитель и кавычки."
                            )
                            % {"column": get_column_letter(self.width + 1)}
                        ),
                    )
                )
            elif self.kind == "csv" and len(values) < self.width:
                problems.append(
                    Problem(
                        number,
                        "",
                        (
                            _(
                                "В строке %(count)s значений, а в заголовке %(width)s столбцов: строка обрезана или разделитель не тот."
                            )
                            % {"count": len(values), "width": self.width}
                        ),
                    )
                )
            parsed.append((self.parser.parse(number, values, problems, report.warnings), problems))
        self.check_numbers(parsed)
        parsed = self.skip_registered(parsed)
        self.people.load({name.last for row, _ in parsed for name, _, _ in row.names})
        good = []
        for row, problems in parsed:
            self.check_authors(row, problems)
            self.check_rid(row, problems)
            if problems:
                report.errors += problems
                report.bad_rows += 1
                continue
            good.append(row)
            report.good_rows += 1
            report.rids += 1
            for slot, _share in row.authors:
                if not slot.counted:
                    slot.counted = True
                    if slot.new:
                        report.people_created += 1
                    else:
                        report.people_matched += 1
        return good

    def check_numbers(self, parsed: list[tuple[Row, list[Problem]]]) -> None:
        wanted = [row.rid.number for row, _ in parsed if row.rid.number]
        existing: set[str] = set()
        for i in range(0, len(wanted), 500):
            existing |= set(Rid.objects.filter(number__in=wanted[i : i + 500]).values_list("number", flat=True))
        for row, problems in parsed:
            number = row.rid.number
            if not number:
                continue
            if len(number) > 30:
                problems.append(Problem(row.number, c.NUMBER, _("Учётный номер длиннее 30 символов.")))
            elif number in self.assigned:
                problems.append(
                    Problem(
                        row.number,
                        c.NUMBER,
                        (
                            _("Учётный номер «%(number)s» импорт уже присвоил строке %(assigned)s, где номера не было.")
                            % {"number": number, "assigned": self.assigned[number]}
                        ),
                    )
                )
            elif number in self.numbers:  # before the registry: an earlier chunk's rows may be written already
                problems.append(
                    Problem(
                        row.number,
                        c.NUMBER,
                        (
                            _("Учётный номер «%(number)s» повторяется в файле (строка %(row)s).")
                            % {"number": number, "row": self.numbers[number]}
                        ),
                    )
                )
            elif number in existing:
                problems.append(
                    Problem(
                        row.number,
                        c.NUMBER,
                        (_("РИД с учётным номером «%(number)s» уже есть в реестре.") % {"number": number}),
                    )
                )
            else:
                self.numbers[number] = row.number

    def skip_registered(self, parsed: list[tuple[Row, list[Problem]]]) -> list[tuple[Row, list[Problem]]]:
        """Rows of a state registration (the FIPS registry's certificate number) that the registry has, or that an
        earlier row of the file has, are left out with a warning: importing a newer copy of the open registry adds
        only what is new."""
        keyed = [(row.rid.kind, row.rid.state_registration_number) for row, _ in parsed]
        wanted = sorted({number for _, number in keyed if number})
        if not wanted:
            return parsed
        known: dict[tuple[str, str], str] = {}
        for i in range(0, len(wanted), 500):
            query = Rid.objects.filter(state_registration_number__in=wanted[i : i + 500])
            for kind, registration, number in query.values_list("kind", "state_registration_number", "number"):
                known[kind, registration] = number
        kept = []
        for (row, problems), key in zip(parsed, keyed, strict=True):
            kind, registration = key
            if registration and not problems and (key in known or key in self.registrations):
                label = str(RidKind(kind).label)
                what = {"kind": f"{label[:1].upper()}{label[1:]}", "registration": registration}
                # the file's own row first: an earlier chunk's rows may be written already
                if key in self.registrations:
                    message = _("%(kind)s № %(registration)s уже в строке %(row)s: строка пропущена.") % {
                        **what,
                        "row": self.registrations[key],
                    }
                else:
                    message = _("%(kind)s № %(registration)s уже в реестре (%(number)s): строка пропущена.") % {
                        **what,
                        "number": known[key],
                    }
                self.report.warnings.append(Problem(row.number, self.parser.registration_column, message))
                self.report.already_registered += 1
                continue
            if registration and not problems:
                self.registrations[key] = row.number
            kept.append((row, problems))
        return kept

    def check_authors(self, row: Row, problems: list[Problem]) -> None:
        column = self.parser.author_column
        unreadable = any(p.column == column for p in problems)
        written = [(name.key, name.full) for name, _, _ in row.names]
        twice = [name for i, (name, _, _) in enumerate(row.names) if written[i] in written[:i]]
        for name, share, citizenship in row.names:
            taken = [slot for slot, _ in row.authors]
            citizenship = citizenship or "Российская Федерация"  # i18n: ru-only (stored citizenship)
            slot, warning = self.people.resolve(name, citizenship, taken)
            if warning:
                self.report.warnings.append(Problem(row.number, column, warning))
            if slot.person is not None and not slot.counted:
                errors = person_errors(slot.person)
                if any(len(p) > NAME_MAX for p in (name.last, name.first, name.middle)):
                    errors["name"] = _("Фамилия, имя или отчество длиннее %(max)s символов.") % {"max": NAME_MAX}
                problems += [Problem(row.number, column, f"«{name.short()}»: {msg}") for msg in errors.values()]
            row.authors.append((slot, share))
        if twice:
            problems.append(
                Problem(
                    row.number,
                    column,
                    (_("Один и тот же человек указан автором дважды: %(short)s") % {"short": twice[0].short()}),
                )
            )
        elif row.names and not unreadable and (msg := v.coefficients_error([s for _, s in row.authors])) is not None:
            problems.append(Problem(row.number, column, msg))

    def check_rid(self, row: Row, problems: list[Problem]) -> None:
        rid = row.rid
        if len(rid.title) > 500:
            problems.append(
                Problem(
                    row.number,
                    self.parser.field_columns["title"],
                    (_("Наименование длиннее 500 символов (%(count)s).") % {"count": len(rid.title)}),
                )
            )
        if len(rid.other_subtype) > 200:
            problems.append(Problem(row.number, c.KIND, _("Вид иного РИД длиннее 200 символов.")))
        for field_name, msg in rid_field_errors(rid, self.parser.today).items():
            problems.append(Problem(row.number, self.parser.field_columns.get(field_name, ""), msg))


class _Writer:
    """Writes checked rows in bulk: people, RIDs (numbers in one block), authorships, events, the audit trail."""

    def __init__(self, user: Any, label: str, filename: str, sender: bulk.Sender | None = None) -> None:
        self.user, self.label, self.filename, self.sender = user, label[:200], filename, sender
        self.rid_type = ContentType.objects.get_for_model(Rid, for_concrete_model=False)
        self.person_type = ContentType.objects.get_for_model(Person, for_concrete_model=False)
        self.person_pks, self.rid_pks = bulk.PkReserve(Person), bulk.PkReserve(Rid)
        self.now = timezone.now()

    def write(self, rows: list[Row]) -> None:
        unsaved: dict[int, Person] = {}
        for row in rows:
            for slot, _share in row.authors:
                if slot.person is not None and slot.person.pk is None:
                    unsaved[id(slot.person)] = slot.person
        people = list(unsaved.values())
        person_pks = self.person_pks.take(len(people))
        if person_pks is not None:
            for person, pk in zip(people, person_pks, strict=True):
                person.pk = pk
            bulk.insert(Person, [vars(person) for person in people], with_pk=True, sender=self.sender)
            for person in people:
                person._state.adding = False
        else:
            # the plain manager: the audit trail of these people is written below with the rest
            Person._base_manager.bulk_create(people, batch_size=BATCH)
        for row in rows:
            rid = row.rid
            rid.search_lemmas = _search_lemmas(rid, [slot.last for slot, _ in row.authors])
        pks = self.rid_pks.take(len(rows))
        if pks is not None:  # PostgreSQL: the ids are known before the COPY
            for row, pk in zip(rows, pks, strict=True):
                row.rid.pk = pk
            bulk.insert(Rid, [vars(row.rid) for row in rows], with_pk=True, sender=self.sender)
        else:
            bulk.insert(Rid, [vars(row.rid) for row in rows])
            numbers = [row.rid.number for row in rows]
            ids: dict[str, int] = {}
            for i in range(0, len(numbers), 500):
                ids.update(Rid.objects.filter(number__in=numbers[i : i + 500]).values_list("number", "id"))
            for row in rows:
                row.rid.pk = ids[row.rid.number]
        for row in rows:
            row.rid._state.adding = False
        authorships = [
            {"rid_id": row.rid.id, "person_id": slot.person_id, "coefficient": share, "order": i}
            for row in rows
            for i, (slot, share) in enumerate(row.authors)
        ]
        bulk.insert(Authorship, authorships, sender=self.sender)
        actor_id = self.user.pk if self.user else None
        event = {"kind": NoticeEventKind.CREATED, "actor_id": actor_id, "actor_label": self.label}
        bulk.insert(NoticeEvent, [{**event, "rid_id": row.rid.id} for row in rows], sender=self.sender)
        records = [self.record(self.person_type, person, snapshot(person)) for person in people]
        records += [self.record(self.rid_type, row.rid, self.rid_snapshot(row)) for row in rows]
        bulk.insert(ChangeRecord, records, sender=self.sender)
        for extra in ROW_WRITERS:
            extra(self, rows)

    def record(self, content_type: ContentType, obj: Any, after: dict[str, Any]) -> dict[str, Any]:
        return {
            "at": self.now,
            "actor_id": self.user.pk if self.user else None,
            "actor_label": self.label,
            "action": ChangeAction.CREATE,
            "content_type_id": content_type.pk,
            "object_id": str(obj.id),
            "object_repr": str(obj)[:300],
            "organization_id": obj.organization_id,
            "before": None,
            "after": after,
        }

    def rid_snapshot(self, row: Row) -> dict[str, Any]:
        rid = row.rid
        return {
            "number": rid.number,
            "kind": rid.kind,
            "title": rid.title,
            "status": rid.status,
            "organization": rid.organization_id,
            "needs_review": rid.needs_review,
            "authors": [f"{slot.short_name} ({c.format_coefficient(share)} %)" for slot, share in row.authors],
            "source": f"импорт из файла «{self.filename}», строка {row.number}",  # i18n: ru-only (stored in the log)
        }


def _search_lemmas(rid: Rid, surnames: list[str]) -> str:
    """What ``services.refresh_search`` stores. A number of ours is its own lemma (lowercase): pymorphy is skipped
    for it — it costs ~50 µs a number and every number is new to its cache."""
    keywords = " ".join(map(str, rid.keywords))
    texts = (rid.title, rid.abstract, keywords, " ".join(surnames), rid.state_registration_number)
    if not OUR_NUMBER_RE.fullmatch(rid.number):
        return f" {lemma_text(*texts, rid.number)} "
    text = f" {lemma_text(*texts)} "
    for term in (rid.number.lower(), *number_tails(rid.number)):  # the number and its tails (search by «00005»)
        if f" {term} " not in text:
            text += f"{term} "
    return text
