"""The key of trade-secret content at rest: Fernet (AES-128-CBC + HMAC-SHA256, ``cryptography``), never in the database.

The keys come from ``RIDBOOK_TRADESECRET_KEYS`` (newest first, comma-separated) or from the file
``RIDBOOK_TRADESECRET_KEY_FILE`` (one key a line, newest first; ``#`` comments). A :class:`MultiFernet` encrypts with
the newest and decrypts with any, so a new key is added in front and ``manage.py rotate_tradesecret_key`` re-encrypts
every sealed record and file with it; the old key can be removed afterwards. Without a key the first use raises
:class:`KeyMissing`: the caller's transaction is rolled back and nothing is stored in plaintext.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext as _

from ridbook.core.errors import DomainError


class KeyMissing(DomainError):
    """No key configured (or a malformed one): stops the sealing or the reading with a clear message."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "Ключ шифрования коммерческой тайны не настроен (%(detail)s): задайте RIDBOOK_TRADESECRET_KEYS или "
                "RIDBOOK_TRADESECRET_KEY_FILE (README, «Коммерческая тайна»)."
            )
            % {"detail": detail},
            code="tradesecret_key_missing",
            status=503,
        )


class Undecryptable(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _("Содержание не расшифровано ни одним из настроенных ключей: ключ удалён раньше ротации."),
            code="tradesecret_key_unknown",
            status=503,
        )


def configured_keys() -> list[str]:
    """The keys, newest first (the environment wins over the file)."""
    keys = [k for k in getattr(settings, "RIDBOOK_TRADESECRET_KEYS", []) if k]
    if keys:
        return keys
    path = getattr(settings, "RIDBOOK_TRADESECRET_KEY_FILE", "")
    if not path:
        return []
    file = Path(path)
    if not file.exists():
        return []
    lines = (line.strip() for line in file.read_text(encoding="ascii").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _fernet() -> MultiFernet:
    keys = configured_keys()
    if not keys:
        raise KeyMissing(_("ключей нет"))
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError):
        raise KeyMissing(_("ключ не в формате Fernet")) from None


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken:
        raise Undecryptable() from None


def rotate(token: bytes) -> bytes:
    """The same plaintext, encrypted with the newest key."""
    try:
        return _fernet().rotate(token)
    except InvalidToken:
        raise Undecryptable() from None
