"""iCalendar (RFC 5545) text: escaping, folding and UTC times, shared by the commission's invitations and the
deadlines feed."""

from __future__ import annotations

from datetime import UTC, datetime


def escape(value: str) -> str:
    """A TEXT value (§3.3.11): backslash, semicolon, comma and new lines escaped."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets are folded (continuation lines start with a space)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(lines: list[str]) -> bytes:
    """The content lines joined by CRLF, each folded: the bytes of an ``.ics`` file."""
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()
