"""Counting login attempts before their password is checked: one statement counts and
checks the lock, so attempts at the same moment are all counted, on SQLite and
PostgreSQL, per key (an account or a name that is no user, from one source)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from storage import Database, LoginClaim, LoginThrottleRepository

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def lock_from_five(failures: int, now: datetime) -> datetime | None:
    return now + timedelta(minutes=1) if failures >= 5 else None


async def claim(db: Database, key: str) -> LoginClaim:
    async with db.session() as session, session.begin():
        return await LoginThrottleRepository(session).claim_name(key, NOW, lock_from_five)


async def test_twenty_claims_at_once_grant_five_for_one_key(db: Database) -> None:
    claims = await asyncio.gather(*(claim(db, "user:1@source") for _ in range(20)))
    assert sum(c.granted for c in claims) == 5
    refused = [c for c in claims if not c.granted]
    assert {c.locked_until for c in refused} == {NOW + timedelta(minutes=1)}
    assert (await claim(db, "user:1@another")).granted  # another source counts apart


async def test_a_success_resets_the_count_of_its_key_only(db: Database) -> None:
    for _ in range(4):
        assert (await claim(db, "user:1@desk")).granted
    for _ in range(5):
        assert (await claim(db, "user:1@elsewhere")).granted
    async with db.session() as session, session.begin():
        await LoginThrottleRepository(session).forget("user:1@desk")
    for _ in range(5):
        assert (await claim(db, "user:1@desk")).granted
    assert not (await claim(db, "user:1@desk")).granted
    assert not (await claim(db, "user:1@elsewhere")).granted
