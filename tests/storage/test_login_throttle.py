"""Counting login attempts before their password is checked: one statement counts and
checks the lock, so attempts at the same moment are all counted, on SQLite and
PostgreSQL, for users and for names that are no user."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from storage import Database, LoginClaim, LoginThrottleRepository, UserRepository

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def lock_from_five(failures: int, now: datetime) -> datetime | None:
    return now + timedelta(minutes=1) if failures >= 5 else None


async def claim(db: Database, *, user_id: int | None = None, key: str = "") -> LoginClaim:
    async with db.session() as session, session.begin():
        throttle = LoginThrottleRepository(session)
        if user_id is not None:
            return await throttle.claim_user(user_id, NOW, lock_from_five)
        return await throttle.claim_name(key, NOW, lock_from_five)


async def test_twenty_claims_at_once_grant_five_for_a_user(db: Database) -> None:
    async with db.session() as session, session.begin():
        user = await UserRepository(session).create("anna", "hash", now=NOW)
    claims = await asyncio.gather(*(claim(db, user_id=user.id) for _ in range(20)))
    assert sum(c.granted for c in claims) == 5
    refused = [c for c in claims if not c.granted]
    assert {c.locked_until for c in refused} == {NOW + timedelta(minutes=1)}
    async with db.session() as session:
        fresh = await UserRepository(session).get(user.id or 0)
    assert fresh is not None and fresh.failed_logins == 5


async def test_twenty_claims_at_once_grant_five_for_a_name_that_is_no_user(
    db: Database,
) -> None:
    claims = await asyncio.gather(*(claim(db, key="k1") for _ in range(20)))
    assert sum(c.granted for c in claims) == 5
    assert (await claim(db, key="k2")).granted  # another name counts apart


async def test_a_success_resets_the_count(db: Database) -> None:
    async with db.session() as session, session.begin():
        user = await UserRepository(session).create("anna", "hash", now=NOW)
    for _ in range(4):
        assert (await claim(db, user_id=user.id)).granted
    async with db.session() as session, session.begin():
        users = UserRepository(session)
        fresh = await users.get(user.id or 0)
        assert fresh is not None
        await users.login_succeeded(fresh, NOW)
    for _ in range(5):
        assert (await claim(db, user_id=user.id)).granted
    assert not (await claim(db, user_id=user.id)).granted
