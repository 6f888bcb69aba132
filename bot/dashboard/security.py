"""Passwords, sessions, CSRF tokens, login throttling and the security headers."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.engine import make_url

SESSION_COOKIE = "wegwijs_session"
LOGIN_COOKIE = "wegwijs_login"  # the CSRF token of the login form, before there is a session
CSRF_FIELD = "csrf_token"

# Letters and digits that cannot be mistaken for each other when read from a terminal.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(groups: int = 4, size: int = 4) -> str:
    """A random password like ``k7Pq-xT3m-...``: about 94 bits for the default 4×4."""
    return "-".join(
        "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(size)) for _ in range(groups)
    )


class Passwords:
    """argon2id hashes (argon2-cffi's defaults, RFC 9106's second recommendation)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        # Verified against when the username is unknown, so both take the same time.
        self._dummy = self.hasher.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        try:
            return self.hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self.hasher.check_needs_rehash(stored)


@dataclass(frozen=True)
class SessionData:
    user_id: int
    epoch: int  # the user's session_epoch when the session was made
    csrf: str
    issued: int  # unix seconds
    seen: int  # unix seconds of the last request (renewed now and then)


class SessionCodec:
    """A session is a signed cookie (no server-side table, no write per request).

    Expiry is checked here from the times inside; revocation by the user's
    ``session_epoch`` (logout raises it) is checked by the caller against the database.
    """

    def __init__(self, secret: bytes, *, idle: timedelta, lifetime: timedelta) -> None:
        self._serializer = URLSafeSerializer(secret, salt="wegwijs.dashboard.session")
        self._login = URLSafeSerializer(secret, salt="wegwijs.dashboard.login")
        self.idle = idle
        self.lifetime = lifetime

    def new(self, user_id: int, epoch: int, now: datetime) -> SessionData:
        stamp = int(now.timestamp())
        return SessionData(user_id, epoch, secrets.token_urlsafe(32), stamp, stamp)

    def dumps(self, data: SessionData) -> str:
        return self._serializer.dumps([data.user_id, data.epoch, data.csrf, data.issued, data.seen])

    def loads(self, raw: str | None, now: datetime) -> SessionData | None:
        """The session in the cookie, or None if it is missing, forged or expired."""
        if not raw:
            return None
        try:
            user_id, epoch, csrf, issued, seen = self._serializer.loads(raw)
        except (BadSignature, ValueError, TypeError):
            return None
        data = SessionData(int(user_id), int(epoch), str(csrf), int(issued), int(seen))
        stamp = now.timestamp()
        if stamp - data.issued > self.lifetime.total_seconds():
            return None
        if stamp - data.seen > self.idle.total_seconds():
            return None
        return data

    def new_login_token(self) -> tuple[str, str]:
        """(token for the form, signed value for the cookie)."""
        token = secrets.token_urlsafe(32)
        return token, self._login.dumps(token)

    def login_token(self, raw: str | None) -> str | None:
        if not raw:
            return None
        try:
            value = self._login.loads(raw)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None


def same_token(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


# -- login throttling -------------------------------------------------------------------

ACCOUNT_FREE_FAILURES = 5  # wrong passwords allowed before an account is locked a while
ACCOUNT_MAX_LOCK = timedelta(minutes=15)


def account_lock(failures: int, now: datetime) -> datetime | None:
    """After the 5th consecutive failure: locked 1 minute, doubling per failure, at most 15."""
    if failures < ACCOUNT_FREE_FAILURES:
        return None
    seconds = 60 * 2 ** (failures - ACCOUNT_FREE_FAILURES)
    return now + min(timedelta(seconds=seconds), ACCOUNT_MAX_LOCK)


@dataclass
class AddressThrottle:
    """Wrong logins per client address in this process (unknown usernames included):
    at most ``limit`` in ``window``; then that address waits until the oldest expires."""

    limit: int = 20
    window: timedelta = timedelta(minutes=15)
    _failures: dict[str, deque[datetime]] = field(default_factory=dict)

    def _recent(self, address: str, now: datetime) -> deque[datetime]:
        times = self._failures.setdefault(address, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        return times

    def blocked_until(self, address: str, now: datetime) -> datetime | None:
        times = self._recent(address, now)
        if len(times) >= self.limit:
            return times[0] + self.window
        if not times:
            self._failures.pop(address, None)
        return None

    def failed(self, address: str, now: datetime) -> None:
        self._recent(address, now).append(now)
        if len(self._failures) > 10_000:  # a flood of addresses must not grow memory forever
            oldest = min(self._failures, key=lambda a: self._failures[a][-1])
            del self._failures[oldest]


# -- the session signing key ------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    key: bytes
    source: str  # "WEGWIJS_SECRET_KEY", a file path, or "temporary"


def signing_key(secret_key: str | None, database_url: str) -> SigningKey:
    """The key that signs session cookies.

    ``WEGWIJS_SECRET_KEY`` when set (a key derived from it, so the same secret can serve
    other purposes). Otherwise, for a SQLite file, a random key kept next to the
    database in ``<database>.dashboard-key`` (mode 0600), so sessions survive a restart;
    otherwise (PostgreSQL, in-memory SQLite) a temporary key: sessions end at restart,
    and several workers would not accept each other's sessions.
    """
    if secret_key:
        derived = hmac.new(secret_key.encode(), b"wegwijs dashboard sessions", hashlib.sha256)
        return SigningKey(derived.digest(), "WEGWIJS_SECRET_KEY")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database).expanduser().resolve()
        key_file = path.with_name(path.name + ".dashboard-key")
        return SigningKey(_key_from_file(key_file), str(key_file))
    return SigningKey(secrets.token_bytes(32), "temporary")


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


# -- headers ----------------------------------------------------------------------------

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
