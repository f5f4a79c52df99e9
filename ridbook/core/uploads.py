"""Uploaded files are checked before anything parses them: their size, and for a ZIP-based format (.xlsx, .docx)
what their parts inflate to.

- ``check_upload(file, limits)``: the size; for a ZIP, from its directory, the number of parts, every part's
  declared uncompressed size, their total and every larger part's compression ratio. An «zip-бомба» (a 200 KB
  .xlsx whose shared strings inflate to 200 MB) is refused here, before a byte is inflated.
- ``BoundedZipFile``: a ``ZipFile`` whose parts are read through a stream that stops at the part's declared size
  and at the limits, so a part that lies in the directory gets no further than the truth would (``zipfile`` itself
  also stops at the declared size and then fails the CRC).

The limits are settings (``RIDBOOK_UPLOAD_*``, ``RIDBOOK_IMPORT_*``, ``RIDBOOK_ZIP_*``); a refusal is an
``UploadRefused`` (a ``DomainError``: 400 in the API, a form error on a page) with a Russian message.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, Literal

from django.conf import settings
from django.utils.translation import gettext as _

from ridbook.core.errors import DomainError

MB = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


class UploadRefused(DomainError):
    code = "upload_refused"

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message, details={"fields": {field: message}})


@dataclass(frozen=True)
class Limits:
    """What an upload may be. ``whole`` bounds the parts a reader loads whole into memory (all but those whose name
    matches ``streamed``, which are read as a stream); None: any part up to ``part``."""

    size: int  # bytes of the file as uploaded
    part: int  # uncompressed bytes of one part of a ZIP
    total: int  # uncompressed bytes of all its parts
    ratio: int  # uncompressed / compressed, for a part of at least ``ratio_from`` bytes
    ratio_from: int
    parts: int  # number of parts
    whole: int | None = None
    streamed: str = ""  # a regular expression of part names

    def part_limit(self, name: str) -> int:
        if self.whole is not None and not (self.streamed and re.fullmatch(self.streamed, name)):
            return min(self.whole, self.part)
        return self.part


def document_limits() -> Limits:
    """A document stored with a RID or a meeting (packet files, an expert's opinion)."""
    return Limits(
        size=settings.RIDBOOK_UPLOAD_MAX_BYTES,
        part=settings.RIDBOOK_ZIP_PART_MAX_BYTES,
        total=settings.RIDBOOK_ZIP_TOTAL_MAX_BYTES,
        ratio=settings.RIDBOOK_ZIP_RATIO_MAX,
        ratio_from=settings.RIDBOOK_ZIP_RATIO_FROM_BYTES,
        parts=settings.RIDBOOK_ZIP_PARTS_MAX,
    )


def import_limits() -> Limits:
    """A registry spreadsheet to import: bigger (our own export of a million RIDs is ~480 MB as CSV, ~170 MB as
    XLSX whose sheet inflates to ~1.3 GB, 7:1), and of an XLSX the parts openpyxl loads whole (shared strings,
    styles, …) are bounded more tightly than the sheets it streams."""
    return replace(
        document_limits(),
        size=settings.RIDBOOK_IMPORT_MAX_BYTES,
        whole=settings.RIDBOOK_ZIP_WHOLE_PART_MAX_BYTES,
        streamed=r"xl/worksheets/[^/]+\.xml",
    )


def human_size(size: int) -> str:
    """200 → «200 байт», 204800 → «200 КБ», 83886080 → «80 МБ», 1610612736 → «1,5 ГБ»."""
    for unit, scale in ((_("ГБ"), 1024**3), (_("МБ"), MB), (_("КБ"), 1024)):
        if size >= scale:
            value = size / scale
            text = f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0").replace(".", ",")
            return f"{text} {unit}"
    return _("%(size)s байт") % {"size": size}


def _size_of(stream: IO[bytes]) -> int:
    position = stream.tell()
    size = stream.seek(0, os.SEEK_END)
    stream.seek(position)
    return size


def check_upload(source: str | Path | IO[bytes] | Any, limits: Limits, field: str = "file") -> None:
    """Refuse (``UploadRefused``) a file over the limits; leave a stream where it was. ``source`` is a path, a binary
    stream or Django's ``UploadedFile``."""
    if isinstance(source, str | Path):
        with open(source, "rb") as opened:
            return check_upload(opened, limits, field)
    size = getattr(source, "size", None)
    stream = source.file if hasattr(source, "file") and hasattr(source, "chunks") else source
    if size is None:
        size = _size_of(stream)
    if size > limits.size:
        raise UploadRefused(
            _("Файл слишком большой: %(size)s, допускается не более %(limit)s.")
            % {"size": human_size(size), "limit": human_size(limits.size)},
            field,
        )
    position = stream.tell()
    try:
        stream.seek(0)
        if stream.read(4) == ZIP_MAGIC:
            check_zip(stream, limits, field)
    finally:
        stream.seek(position)


def _bomb(detail: str, field: str) -> UploadRefused:
    return UploadRefused(
        _("Файл похож на «zip-бомбу»: %(detail)s. Такой файл не принимается.") % {"detail": detail}, field
    )


def _too_big(what: str, limit: int, field: str) -> UploadRefused:
    said = _("%(what)s, допускается") % {"what": what} if what else _("допускается")
    return UploadRefused(
        _("Файл слишком велик в распакованном виде: %(said)s не более %(limit)s.")
        % {"said": said, "limit": human_size(limit)},
        field,
    )


def _entries(stream: IO[bytes]) -> int | None:
    """The number of parts the ZIP's end record declares (read before ``zipfile`` builds an object per part), or None
    when there is no end record (``zipfile`` then says the file is damaged)."""
    size = _size_of(stream)
    tail = min(size, 22 + 65535)
    stream.seek(size - tail)
    data = stream.read(tail)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(data):
        return None
    entries = struct.unpack("<H", data[at + 10 : at + 12])[0]
    if entries == 0xFFFF and at >= 20 and data[at - 20 : at - 16] == b"PK\x06\x07":  # ZIP64: its own end record
        (offset,) = struct.unpack("<Q", data[at - 12 : at - 4])
        stream.seek(offset)
        record = stream.read(56)
        if record[:4] == b"PK\x06\x06":
            entries = struct.unpack("<Q", record[32:40])[0]
    return int(entries)


def check_zip(stream: IO[bytes], limits: Limits, field: str = "file") -> None:
    """The ZIP's directory against ``limits``: nothing is inflated. A damaged ZIP passes (its reader says why)."""
    entries = _entries(stream)
    if entries is not None and entries > limits.parts:
        raise _bomb(
            _("в архиве %(entries)s частей, допускается не более %(parts)s")
            % {"entries": entries, "parts": limits.parts},
            field,
        )
    stream.seek(0)
    try:
        infos = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    total = 0
    for info in infos:
        size, packed, name = info.file_size, info.compress_size, info.filename
        if size >= limits.ratio_from and size > limits.ratio * max(packed, 1):
            raise _bomb(
                _(
                    "часть «%(name)s» распаковывается из %(packed)s в %(size)s (в %(times)s раз), "
                    "допускается сжатие не более чем в %(ratio)s раз"
                )
                % {
                    "name": name,
                    "packed": human_size(packed),
                    "size": human_size(size),
                    "times": size // max(packed, 1),
                    "ratio": limits.ratio,
                },
                field,
            )
        if size > (limit := limits.part_limit(name)):
            raise _too_big(
                _("часть «%(name)s» распаковывается в %(size)s") % {"name": name, "size": human_size(size)},
                limit,
                field,
            )
        total += size
    if total > limits.total:
        raise _too_big(
            _("всё содержимое распаковывается в %(total)s") % {"total": human_size(total)}, limits.total, field
        )


class _Budget:
    def __init__(self, total: int) -> None:
        self.left = total


class _BoundedPart(io.RawIOBase):
    """A part of a ZIP read through its declared size, its limit and what is left of the archive's total."""

    def __init__(self, raw: IO[bytes], name: str, limit: int, budget: _Budget, limits: Limits) -> None:
        super().__init__()
        self.raw, self.name, self.left, self.budget, self.limits = raw, name, limit, budget, limits

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        # one byte more than allowed is asked for, so that a part that goes on is caught
        data = self.raw.read(min(len(view), self.left + 1))
        n = len(data)
        self.left -= n
        self.budget.left -= n
        if self.left < 0:
            raise _bomb(
                _("часть «%(name)s» распаковывается в больше, чем объявлено в архиве") % {"name": self.name}, "file"
            )
        if self.budget.left < 0:
            raise _too_big("", self.limits.total, "file")
        view[:n] = data
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


class BoundedZipFile(zipfile.ZipFile):
    """A ZIP for reading whose parts cannot inflate past their declared size or ``limits`` (see ``_BoundedPart``)."""

    def __init__(self, file: Any, limits: Limits) -> None:
        super().__init__(file, "r")
        self.limits, self.budget = limits, _Budget(limits.total)

    def open(
        self, name: Any, mode: Literal["r", "w"] = "r", pwd: bytes | None = None, *, force_zip64: bool = False
    ) -> Any:
        raw = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return raw
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        limit = min(info.file_size, self.limits.part_limit(info.filename))
        part = _BoundedPart(raw, info.filename, limit, self.budget, self.limits)
        return io.BufferedReader(part, buffer_size=64 * 1024)
