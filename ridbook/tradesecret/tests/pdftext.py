"""The text of a PDF made by LibreOffice, for the tests (no PDF library in the lock): the objects are read, the page
streams inflated, and the strings shown (``<hex> Tj`` / ``[...] TJ``) decoded through the ``ToUnicode`` map of the
font selected at that point (``/F1 12 Tf``)."""

from __future__ import annotations

import re
import zlib

_OBJ = re.compile(rb"(\d+)\s+0\s+obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_FONT_REF = re.compile(rb"/(F\d+)\s+(\d+)\s+0\s+R")
_TOUNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_TOKENS = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]+)>")


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    for number, body in _OBJ.findall(pdf):
        stream = _STREAM.search(body)
        data = None
        if stream:
            raw = stream.group(1)
            try:
                data = zlib.decompress(raw) if b"FlateDecode" in body[: stream.start()] else raw
            except zlib.error:
                data = raw
        objects[int(number)] = (body if not stream else body[: stream.start()], data)
    return objects


def _utf16(hexstr: bytes) -> str:
    return bytes.fromhex(hexstr.decode()).decode("utf-16-be", "ignore")


def _cmap(s: bytes) -> dict[bytes, str]:
    mapping: dict[bytes, str] = {}
    for block in _BFCHAR.findall(s):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[::2], codes[1::2], strict=False):
            mapping[src.upper()] = _utf16(dst)
    for block in _BFRANGE.findall(s):
        codes = _HEX.findall(block)
        for lo, hi, dst in zip(codes[::3], codes[1::3], codes[2::3], strict=False):
            start, end, first = int(lo, 16), int(hi, 16), int(dst, 16)
            for n in range(start, end + 1):
                mapping[f"{n:0{len(lo)}X}".encode()] = chr(first + n - start)
    return mapping


def pdf_text(pdf: bytes) -> str:
    objects = _objects(pdf)
    fonts: dict[bytes, dict[bytes, str]] = {}
    for head, _data in objects.values():
        for name, ref in _FONT_REF.findall(head):
            font_head = objects.get(int(ref), (b"", None))[0]
            to_unicode = _TOUNICODE.search(font_head)
            if to_unicode:
                cmap_data = objects.get(int(to_unicode.group(1)), (b"", None))[1] or b""
                fonts[name] = _cmap(cmap_data)
    text: list[str] = []
    for _head, data in objects.values():
        if not data or b"Tf" not in data:
            continue
        mapping: dict[bytes, str] = {}
        for font, hexstr in _TOKENS.findall(data):
            if font:
                mapping = fonts.get(font, {})
                continue
            width = len(next(iter(mapping), b"0000"))
            code = hexstr.upper()
            text.append("".join(mapping.get(code[i : i + width], "") for i in range(0, len(code), width)))
        text.append("\n")
    return "".join(text)
