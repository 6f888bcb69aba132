"""Code guessing, throttled per address: each typed code counts against the address it
came from (under a keyed hash, never the address itself) before it is looked at, in the
database, so several workers and many requests at once count alike
(`bot.core.invites`). A right code takes its count back. Practice conversations are
counted per address the same way (each is a case for a day)."""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime

from bot.core.invites import claim_code_attempt, code_attempt_right, practice_lock
from storage import Database


class CodeThrottle:
    def __init__(self, db: Database, secret: bytes) -> None:
        self.db = db
        self._secret = hmac.new(secret, b"wegwijs web chat addresses", hashlib.sha256).digest()

    def key(self, address: str, kind: str = "code") -> str:
        digest = hmac.new(self._secret, address.encode(), hashlib.sha256).hexdigest()
        return f"webchat-{kind}:{digest[:40]}"

    async def attempt(self, address: str, now: datetime) -> int | None:
        """Count one attempt; None when the code may be checked, else the minutes
        (at least 1) the address has to wait."""
        return _minutes(await claim_code_attempt(self.db, self.key(address), now), now)

    async def practice(self, address: str, now: datetime) -> int | None:
        """Count one practice conversation; None, or the minutes to wait."""
        key = self.key(address, "practice")
        return _minutes(await claim_code_attempt(self.db, key, now, practice_lock), now)

    async def right(self, address: str) -> None:
        await code_attempt_right(self.db, self.key(address))


def _minutes(until: datetime | None, now: datetime) -> int | None:
    if until is None:
        return None
    return max(1, math.ceil((until - now).total_seconds() / 60))
