"""Stored files go out as attachments through a view that has checked access (media are never served publicly)."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse


def attachment(stored: FieldFile) -> FileResponse:
    """The file as a download under its own name (without the storage path)."""
    return FileResponse(stored.open("rb"), as_attachment=True, filename=(stored.name or "").rsplit("/", 1)[-1])
