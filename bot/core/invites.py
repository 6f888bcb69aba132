"""Getting in by invite code from a web page: the web chat's link for a code, and the
per-address count of wrong codes that keeps anyone from guessing them.

The link is built here, once, for the dashboard's invite page, `wegwijs case create`
and the web chat itself."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage import Database, LockPolicy, LoginThrottleRepository

__all__ = [
    "CODE_FREE_FAILURES",
    "PRACTICE_FREE",
    "chat_link",
    "claim_code_attempt",
    "code_attempt_right",
    "code_lock",
    "practice_lock",
]

# Wrong codes one address may try before it waits; a right code takes its count back,
# so a town hall's desk where many people come in from one address is not locked out.
CODE_FREE_FAILURES = 20
CODE_MAX_LOCK = timedelta(minutes=15)


def chat_link(base_url: str | None, code: str) -> str | None:
    """The web chat's invite link, `<base>/c/CODE` (none without a base URL)."""
    if not base_url:
        return None
    return f"{base_url.rstrip('/')}/c/{code.replace('-', '')}"


def code_lock(failures: int, now: datetime) -> datetime | None:
    """From the 20th wrong code: a minute's wait, doubling per wrong code, at most 15."""
    if failures < CODE_FREE_FAILURES:
        return None
    seconds = 60 * 2 ** min(failures - CODE_FREE_FAILURES, 10)
    return now + min(timedelta(seconds=seconds), CODE_MAX_LOCK)


# Practice conversations one address may start before it waits (each is a case, kept a
# day): plenty for a desk where every visitor tries, too few to fill the database.
PRACTICE_FREE = 100


def practice_lock(started: int, now: datetime) -> datetime | None:
    """From the 100th practice conversation of an address: a wait, as for wrong codes."""
    return code_lock(started - PRACTICE_FREE + CODE_FREE_FAILURES, now)


async def claim_code_attempt(
    db: Database, address_key: str, now: datetime, policy: LockPolicy = code_lock
) -> datetime | None:
    """Count one code attempt from an address (`address_key`: a keyed hash of it, never
    the address) before the code is looked at; None when it may be tried, else when the
    address may try again. (`practice_lock`: the same for practice conversations.)"""
    async with db.session() as session, session.begin():
        claim = await LoginThrottleRepository(session).claim_name(address_key, now, policy)
    return None if claim.granted else claim.locked_until or now


async def code_attempt_right(db: Database, address_key: str) -> None:
    """The code was right: its attempt is not counted against the address."""
    async with db.session() as session, session.begin():
        await LoginThrottleRepository(session).refund_name(address_key)
