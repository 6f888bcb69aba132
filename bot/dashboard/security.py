"""Sessions, CSRF tokens and login throttling per address (passwords:
`bot.core.passwords`; the signing key and the security headers: `bot.web`)."""

from __future__ import annotations

import hmac
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

SESSION_COOKIE = "wegwijs_session"
LOGIN_COOKIE = "wegwijs_login"  # the CSRF token of the login form, before there is a session
CSRF_FIELD = "csrf_token"


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


# -- login throttling per address -------------------------------------------------------


@dataclass
class AddressThrottle:
    """Login attempts per client address in this process (unknown usernames included):
    at most ``limit`` in ``window``, then that address waits until the oldest expires.

    `attempt` checks and counts in one step (no await in between): N attempts in flight
    count N, before any password is checked. A successful login takes its own attempt
    back (`succeeded`), so only wrong ones stay counted."""

    limit: int = 20
    window: timedelta = timedelta(minutes=15)
    _attempts: dict[str, deque[datetime]] = field(default_factory=dict)

    def _recent(self, address: str, now: datetime) -> deque[datetime]:
        times = self._attempts.setdefault(address, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        return times

    def attempt(self, address: str, now: datetime) -> datetime | None:
        """Count one attempt and return None; or, with the limit reached, count nothing
        and return when the address may try again."""
        times = self._recent(address, now)
        if len(times) >= self.limit:
            return times[0] + self.window
        times.append(now)
        if len(self._attempts) > 10_000:  # a flood of addresses must not grow memory forever
            oldest = min(self._attempts, key=lambda a: self._attempts[a][-1])
            del self._attempts[oldest]
        return None

    def succeeded(self, address: str, at: datetime) -> None:
        """Take back the attempt counted at ``at`` (the password was right, or it was
        never checked)."""
        times = self._attempts.get(address)
        if times is not None and at in times:
            times.remove(at)
            if not times:
                del self._attempts[address]
