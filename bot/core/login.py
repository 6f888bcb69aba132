"""Logging in to the dashboard: each attempt is counted per account and source (the
address it came from) *before* its password is checked, so attempts sent at the same
moment cannot all slip past the lock.

The lock is on the account *from that source*: wrong passwords from one address lock
that address out of the account, never the consulent at another address (anyone could
lock any account otherwise). The source's own limit over all names is the caller's
(`AddressThrottle`). A name that is no user is counted the same way (under a keyed hash
of the name, given by the caller) and checked against a dummy hash
(`Passwords.verify`): an unknown name gets the same answers, at the same times, as a
known one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage import AuditRepository, Database, LoginThrottleRepository, User, UserRepository

__all__ = [
    "ACCOUNT_FREE_FAILURES",
    "ACCOUNT_MAX_LOCK",
    "Attempt",
    "account_lock",
    "claim_login",
    "login_succeeded",
]

ACCOUNT_FREE_FAILURES = 5  # wrong passwords allowed before an account is locked a while
ACCOUNT_MAX_LOCK = timedelta(minutes=15)


def account_lock(failures: int, now: datetime) -> datetime | None:
    """From the 5th consecutive attempt that was not a success: locked 1 minute,
    doubling per attempt, at most 15."""
    if failures < ACCOUNT_FREE_FAILURES:
        return None
    seconds = 60 * 2 ** (failures - ACCOUNT_FREE_FAILURES)
    return now + min(timedelta(seconds=seconds), ACCOUNT_MAX_LOCK)


@dataclass(frozen=True)
class Attempt:
    user: User | None  # None: no such user (the password is checked against a dummy)
    locked_until: datetime | None  # set: refused, the password must not be checked
    key: str  # the counter of this account from this source


async def claim_login(
    db: Database, username: str, name_key: str, source_key: str, now: datetime
) -> Attempt:
    """Count an attempt for `username` (or, for a name that is no user, for `name_key`)
    from `source_key` (a keyed hash of the address, never the address) and say whether
    its password may be checked."""
    async with db.session() as session, session.begin():
        user = await UserRepository(session).by_username(username)
        who = f"user:{user.id}" if user is not None and user.id is not None else name_key[:32]
        key = f"{who}@{source_key[:32]}"
        claim = await LoginThrottleRepository(session).claim_name(key, now, account_lock)
    return Attempt(user, None if claim.granted else claim.locked_until or now, key)


async def login_succeeded(
    db: Database, user_id: int, now: datetime, *, key: str, new_hash: str | None = None
) -> User | None:
    """Reset the counter of `key` (this source's), note the login (audited), store a
    rehashed password."""
    async with db.session() as session, session.begin():
        users = UserRepository(session)
        fresh = await users.get(user_id)
        if fresh is None:
            return None
        await LoginThrottleRepository(session).forget(key)
        await users.login_succeeded(fresh, now)
        if new_hash:
            fresh.password_hash = new_hash
        await AuditRepository(session).record(
            actor=fresh.username, action="login", target=None, at=now
        )
        return fresh
