"""Processed updates: a redelivered update is claimed exactly once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage.db import Database
from storage.repositories import UpdateRepository
from tests.clock import NOW

UPDATE_ID = 9_876_543_210


async def test_redelivered_update_is_claimed_once(db: Database) -> None:
    async with db.session() as s, s.begin():
        assert await UpdateRepository(s).claim("telegram", UPDATE_ID, NOW) is True
    async with db.session() as s, s.begin():
        assert await UpdateRepository(s).claim("telegram", UPDATE_ID, NOW) is False
        assert await UpdateRepository(s).claim("console", UPDATE_ID, NOW) is True


class Crash(Exception):
    pass


async def test_rolled_back_claim_can_be_claimed_again(db: Database) -> None:
    """A crash before commit un-claims: the redelivery is then processed."""
    with pytest.raises(Crash):
        async with db.session() as s, s.begin():
            assert await UpdateRepository(s).claim("telegram", 1, NOW) is True
            raise Crash
    async with db.session() as s, s.begin():
        assert await UpdateRepository(s).claim("telegram", 1, NOW) is True


async def test_second_claim_waits_for_the_first_and_loses(db: Database) -> None:
    async def claim_in_own_session() -> bool:
        async with db.session() as s, s.begin():
            return await UpdateRepository(s).claim("telegram", UPDATE_ID, NOW)

    async with db.session() as s:
        async with s.begin():
            assert await UpdateRepository(s).claim("telegram", UPDATE_ID, NOW) is True
            second = asyncio.create_task(claim_in_own_session())
            await asyncio.sleep(0.3)
            assert not second.done()  # blocked on the first transaction
        assert await second is False


async def test_concurrent_claims_give_exactly_one_true(db: Database) -> None:
    async def claim() -> bool:
        async with db.session() as s, s.begin():
            won = await UpdateRepository(s).claim("telegram", UPDATE_ID, NOW)
            await asyncio.sleep(0.02)
            return won

    results = await asyncio.gather(*(claim() for _ in range(8)))
    assert results.count(True) == 1


async def test_prune_forgets_old_updates(db: Database) -> None:
    async with db.session() as s, s.begin():
        repo = UpdateRepository(s)
        await repo.claim("telegram", 1, NOW - timedelta(days=3))
        await repo.claim("telegram", 2, NOW)
    async with db.session() as s, s.begin():
        assert await UpdateRepository(s).prune(NOW - timedelta(days=1)) == 1
    async with db.session() as s, s.begin():
        repo = UpdateRepository(s)
        assert await repo.claim("telegram", 1, NOW) is True
        assert await repo.claim("telegram", 2, NOW) is False
