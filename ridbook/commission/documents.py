"""Протокол заседания (ВГТУ, приложение 1) — DOCX; PDF, где установлен LibreOffice."""

from __future__ import annotations

from ridbook.commission.models import Meeting


def protocol_docx(meeting: Meeting) -> bytes:
    raise NotImplementedError
