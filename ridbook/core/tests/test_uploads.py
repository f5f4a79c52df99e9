"""Uploads are checked before anything parses them: size, and what the parts of an .xlsx/.docx inflate to."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest

from ridbook.core.uploads import (
    BoundedZipFile,
    UploadRefused,
    check_upload,
    document_limits,
    human_size,
    import_limits,
)
from ridbook.testing.hostile import MB, xlsx_bomb


def test_sizes_are_said_in_russian_units():
    assert human_size(200) == "200 байт"
    assert human_size(200 * 1024) == "200 КБ"
    assert human_size(80 * MB) == "80 МБ"
    assert human_size(3 * MB // 2) == "1,5 МБ"
    assert human_size(3 * 1024 * MB // 2) == "1,5 ГБ"


def test_a_file_over_the_size_limit_is_refused_with_both_sizes(settings):
    settings.RIDBOOK_UPLOAD_MAX_BYTES = 50 * MB
    with pytest.raises(UploadRefused) as caught:
        check_upload(io.BytesIO(b"x" * (80 * MB)), document_limits())
    assert caught.value.message == "Файл слишком большой: 80 МБ, допускается не более 50 МБ."
    assert caught.value.details == {"fields": {"file": caught.value.message}}


def test_the_inflating_xlsx_is_refused_from_its_directory_before_a_byte_is_inflated(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    xlsx_bomb(path, inflated=200 * MB)
    assert path.stat().st_size < 300 * 1024  # ~200 KB on disk
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or pytest.fail("inflated"))
    with pytest.raises(UploadRefused) as caught:
        check_upload(path, import_limits())
    assert opened == []
    assert caught.value.message.startswith("Файл похож на «zip-бомбу»: часть «xl/sharedStrings.xml» распаковывается")
    assert "200 МБ" in caught.value.message and "не более чем в 100 раз" in caught.value.message


def test_a_part_read_whole_is_bounded_more_tightly_than_a_sheet(settings):
    settings.RIDBOOK_ZIP_WHOLE_PART_MAX_BYTES = 1 * MB
    limits = import_limits()
    assert limits.part_limit("xl/sharedStrings.xml") == 1 * MB
    assert limits.part_limit("xl/worksheets/sheet1.xml") == settings.RIDBOOK_ZIP_PART_MAX_BYTES
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w") as archive:  # stored, not compressed: the ratio says nothing
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"x" * (2 * MB) + b"</sst>")
    with pytest.raises(
        UploadRefused, match=r"«xl/sharedStrings\.xml» распаковывается в 2 МБ, допускается не более 1 МБ"
    ):
        check_upload(stored, limits)
    check_upload(stored, document_limits())  # a stored document may have a large part


def test_too_many_parts_are_refused_before_the_directory_is_read():
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(12):
            archive.writestr(f"part{n}.xml", "<a/>")
    with pytest.raises(UploadRefused, match="в архиве 12 частей, допускается не более 10"):
        check_upload(many, replace(document_limits(), parts=10))


def test_an_ordinary_docx_and_a_non_zip_pass_and_the_stream_stays_where_it_was():
    ordinary = io.BytesIO()
    with zipfile.ZipFile(ordinary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document>" + "текст " * 10_000 + "</w:document>")
    ordinary.seek(5)
    check_upload(ordinary, document_limits())
    assert ordinary.tell() == 5
    check_upload(io.BytesIO(b"%PDF-1.7 ..."), document_limits())


def test_reading_is_bounded_by_the_total_even_when_each_part_is_allowed():
    archive_bytes = io.BytesIO()
    with zipfile.ZipFile(archive_bytes, "w") as archive:
        archive.writestr("a.xml", b"a" * 600_000)
        archive.writestr("b.xml", b"b" * 600_000)
    limits = replace(document_limits(), total=1_000_000)
    archive = BoundedZipFile(archive_bytes, limits)
    assert len(archive.open("a.xml").read()) == 600_000
    with pytest.raises(UploadRefused, match="в распакованном виде: допускается не более 977 КБ"):
        archive.open("b.xml").read()


def test_a_part_that_lies_about_its_size_yields_no_more_than_it_declared():
    archive_bytes = io.BytesIO()
    with zipfile.ZipFile(archive_bytes, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"A" * (10 * MB))
    data = bytearray(archive_bytes.getvalue())
    # the central directory (and the local header) say 1 KB: a check of the directory alone would let it by
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = (1024).to_bytes(4, "little")
    liar = io.BytesIO(bytes(data))
    check_upload(liar, import_limits())  # the directory looks innocent
    read = 0
    archive = BoundedZipFile(liar, import_limits())
    with pytest.raises((UploadRefused, zipfile.BadZipFile)), archive.open("xl/sharedStrings.xml") as part:
        while chunk := part.read(64 * 1024):
            read += len(chunk)
    assert read <= 1024
