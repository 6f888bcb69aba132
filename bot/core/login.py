"""Logging in to the dashboard: each attempt is counted per account *before* its
password is checked, so attempts sent at the same moment cannot all slip past the lock.

A name that is no user is counted the same way (under a keyed hash of the name, given
by the caller) and checked against a dummy hash (`Passwords.verify`): an unknown name
gets the same answers, at the same times, as a known one.
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


async def claim_login(db: Database, username: str, name_key: str, now: datetime) -> Attempt:
    """Count an attempt for `username` (or, for a name that is no user, for `name_key`)
    and say whether its password may be checked."""
    async with db.session() as session, session.begin():
        user = await UserRepository(session).by_username(username)
        throttle = LoginThrottleRepository(session)
        if user is not None and user.id is not None:
            claim = await throttle.claim_user(user.id, now, account_lock)
        else:
            claim = await throttle.claim_name(name_key, now, account_lock)
    return Attempt(user, None if claim.granted else claim.locked_until or now)


async def login_succeeded(
    db: Database, user_id: int, now: datetime, *, new_hash: str | None = None
) -> User | None:
    """Reset the counter, note the login (audited), store a rehashed password."""
    async with db.session() as session, session.begin():
        users = UserRepository(session)
        fresh = await users.get(user_id)
        if fresh is None:
            return None
        await users.login_succeeded(fresh, now)
        if new_hash:
            fresh.password_hash = new_hash
        await AuditRepository(session).record(
            actor=fresh.username, action="login", target=None, at=now
        )
        return fresh
