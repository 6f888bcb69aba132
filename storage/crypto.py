"""Encryption at rest of free text: the person's own words and the consulent's notes.

Structured answers (option codes, numbers, flags) stay plain so they can be queried and
counted; only columns of type ``EncryptedText`` are encrypted. They hold
``fernet:`` followed by a Fernet token (AES-128-CBC with HMAC-SHA256, from
``cryptography``). Values without the prefix are plaintext written before a key was set:
they are still read, and ``wegwijs keys rotate`` encrypts them.

The key is derived with HKDF-SHA256 from ``WEGWIJS_SECRET_KEY``; older secrets
(``WEGWIJS_OLD_SECRET_KEYS``) stay readable through ``MultiFernet`` until a rotation has
re-encrypted everything with the current one.

Why the key ring hangs on the engine's dialect instead of a process-wide setting or the
session: SQLAlchemy hands the dialect to every bind and result conversion of a column
type, so each ``Database`` carries its own keys (tests, and a rotation, open several side
by side), every repository and every query, ORM or Core, that touches the column is
covered, and no caller has to pass a key around. An engine without a ring (migrations,
or no key configured) passes values through unchanged.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = [
    "MIN_SECRET_LENGTH",
    "PREFIX",
    "TOKEN_START",
    "UNREADABLE",
    "EncryptedString",
    "EncryptedText",
    "KeyRing",
    "Undecryptable",
    "attach_key_ring",
    "derive_key",
    "is_encrypted",
    "key_ring_of",
]

log = logging.getLogger(__name__)

PREFIX = "fernet:"
MIN_SECRET_LENGTH = 16
# Shown instead of a value no configured key can decrypt: a wrong key must not take the
# conversation down, and the value is kept as it was for when the right key is back.
UNREADABLE = "[encrypted with another key]"
_SALT = b"wegwijs"
_INFO = b"wegwijs/encryption-at-rest/v1"
_RING_ATTRIBUTE = "wegwijs_key_ring"
_warned_unreadable = False


class Undecryptable(ValueError):
    """No key of the ring decrypts this value (another key, or damaged data)."""


def derive_key(secret: str) -> bytes:
    """The Fernet key for a secret: HKDF-SHA256, bound to this one purpose.

    HKDF, not a password hash: the secret is meant to be long and random (see
    ``MIN_SECRET_LENGTH`` and the README); the same secret may serve other purposes
    (dashboard sessions) under another ``info`` without the keys being related.
    """
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(
        secret.encode("utf-8")
    )
    return base64.urlsafe_b64encode(raw)


# A Fernet token: version byte 0x80 and a timestamp that starts with zero bytes until
# 2106 ("gAAAAA"), then at least 67 more bytes, all in URL-safe base64.
TOKEN_START = PREFIX + "gAAAAA"
_TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_\-]{90,}={0,2}")


def is_encrypted(value: str) -> bool:
    """True for a value this module wrote. Checked by shape (alphabet and a token's
    length: 57 bytes of header and MAC plus whole 16-byte blocks), not by the prefix
    alone, so a plaintext that happens to begin with ``fernet:`` (typed before a key was
    set) is still read as the text it is."""
    if not value.startswith(TOKEN_START) or _TOKEN.fullmatch(value, len(PREFIX)) is None:
        return False
    length = len(value) - len(PREFIX)
    size = length // 4 * 3 - (len(value) - len(value.rstrip("=")))
    return length % 4 == 0 and size >= 73 and (size - 57) % 16 == 0


class KeyRing:
    """The current key (encrypts) and older ones (still decrypt, until rotated away)."""

    def __init__(self, current: str, old: Iterable[str] = ()) -> None:
        secrets = [current, *(s for s in old if s)]
        for secret in secrets:
            if len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(
                    f"WEGWIJS_SECRET_KEY (and each of WEGWIJS_OLD_SECRET_KEYS) must be at "
                    f"least {MIN_SECRET_LENGTH} characters: make one with `wegwijs keys new`"
                )
        self._current = Fernet(derive_key(current))
        self._all = MultiFernet([self._current, *(Fernet(derive_key(s)) for s in secrets[1:])])

    @classmethod
    def from_settings(cls, current: str | None, old: str | None) -> KeyRing | None:
        """A ring from ``WEGWIJS_SECRET_KEY`` and the comma-separated
        ``WEGWIJS_OLD_SECRET_KEYS``; None without a current key."""
        current = (current or "").strip()
        if not current:
            if old and old.strip():
                raise ValueError("WEGWIJS_OLD_SECRET_KEYS is set but WEGWIJS_SECRET_KEY is not")
            return None
        return cls(current, [s.strip() for s in (old or "").split(",") if s.strip()])

    def encrypt(self, plaintext: str) -> str:
        return PREFIX + self._current.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        """The plaintext of a stored value; a value without the prefix is returned as is."""
        if not is_encrypted(stored):
            return stored
        try:
            return self._all.decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise Undecryptable("no configured key decrypts this value") from exc

    def reencrypt(self, stored: str) -> str | None:
        """``stored`` encrypted with the current key, or None if it already is.

        Plaintext is encrypted; a value of an older key is re-encrypted. Raises
        ``Undecryptable`` for a value no key of the ring can read.
        """
        if is_encrypted(stored):
            token = stored[len(PREFIX) :].encode("ascii")
            try:
                self._current.decrypt(token)
                return None
            except InvalidToken:
                pass
            try:
                return PREFIX + self._all.rotate(token).decode("ascii")
            except InvalidToken as exc:
                raise Undecryptable("no configured key decrypts this value") from exc
        return self.encrypt(stored)


def attach_key_ring(engine: Any, ring: KeyRing | None) -> None:
    """Give an engine (sync or async) the keys its ``EncryptedText`` columns use."""
    setattr(engine.dialect, _RING_ATTRIBUTE, ring)


def key_ring_of(dialect: Dialect) -> KeyRing | None:
    return getattr(dialect, _RING_ATTRIBUTE, None)


class EncryptedText(TypeDecorator[str]):
    """Text encrypted on the way in and decrypted on the way out, with the engine's keys.

    Encrypted values cannot be compared in SQL (every encryption differs): never filter
    or sort on such a column. Without a key ring values are stored as they are.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        ring = key_ring_of(dialect)
        return value if ring is None else ring.encrypt(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or not is_encrypted(value):
            return value
        ring = key_ring_of(dialect)
        if ring is not None:
            try:
                return ring.decrypt(value)
            except Undecryptable:
                pass
        _warn_unreadable()
        return UNREADABLE


class EncryptedString(EncryptedText):
    """``EncryptedText`` on a column that was created as VARCHAR (the case label): the
    same encryption, without a migration to change the column's type."""

    impl = String
    cache_ok = True


def _warn_unreadable() -> None:
    global _warned_unreadable
    if not _warned_unreadable:
        _warned_unreadable = True
        log.warning(
            "encrypted text that no configured key can decrypt was read: set "
            "WEGWIJS_SECRET_KEY (and WEGWIJS_OLD_SECRET_KEYS) to the keys that wrote it"
        )
