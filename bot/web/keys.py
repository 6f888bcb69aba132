"""The key that signs both web edges' cookies (the dashboard's sessions, the web chat's
binding of a browser to its conversation)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.core.app import App
from storage import sqlite_file


@dataclass(frozen=True)
class SigningKey:
    key: bytes
    source: str  # "WEGWIJS_SECRET_KEY", a file path, or "temporary"


def signing_key(secret_key: str | None, database_url: str) -> SigningKey:
    """The key that signs cookies (each use adds its own salt).

    ``WEGWIJS_SECRET_KEY`` when set (a key derived from it, so the same secret can serve
    other purposes). Otherwise, for a SQLite file, a random key kept next to the
    database in ``<database>.dashboard-key`` (mode 0600), so sessions survive a restart;
    otherwise (PostgreSQL, in-memory SQLite) a temporary key: sessions end at restart,
    and several workers would not accept each other's sessions.
    """
    if secret_key:
        derived = hmac.new(secret_key.encode(), b"wegwijs dashboard sessions", hashlib.sha256)
        return SigningKey(derived.digest(), "WEGWIJS_SECRET_KEY")
    path = sqlite_file(database_url)
    if path is not None:
        key_file = path.with_name(path.name + ".dashboard-key")
        return SigningKey(_key_from_file(key_file), str(key_file))
    return SigningKey(secrets.token_bytes(32), "temporary")


def app_signing_key(app: App, *, temporary_note: str, out: TextIO | None = None) -> bytes:
    """The signing key from `app`'s settings; prints `temporary_note` (what is lost at a
    restart) when the key is temporary, so the operator knows to set WEGWIJS_SECRET_KEY."""
    secret = app.settings.secret_key
    key = signing_key(secret.get_secret_value() if secret else None, app.settings.database_url)
    if key.source == "temporary":
        print(temporary_note, file=out or sys.stderr, flush=True)
    return key.key


def _key_from_file(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 64:
            return bytes.fromhex(text)
    except (FileNotFoundError, ValueError):
        pass
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key
