"""Channel accounts: one per (channel, external id), safe under concurrent first contact."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage.db import Database
from storage.models import ChannelAccount
from storage.repositories import AccountRepository, CaseRepository
from tests.clock import NOW

LATER = NOW + timedelta(minutes=5)
CHAT = 8_123_456_789


async def test_get_or_create_twice_gives_the_same_account(db: Database) -> None:
    async with db.session() as s, s.begin():
        first = await AccountRepository(s).get_or_create("telegram", CHAT, NOW)
    async with db.session() as s, s.begin():
        second = await AccountRepository(s).get_or_create("telegram", CHAT, LATER)
    assert second.id == first.id
    assert second.created_at == NOW
    assert second.last_seen_at == LATER


async def test_same_external_id_on_another_channel_is_another_account(db: Database) -> None:
    async with db.session() as s, s.begin():
        repo = AccountRepository(s)
        telegram = await repo.get_or_create("telegram", 42, NOW)
        console = await repo.get_or_create("console", 42, NOW)
    assert telegram.id != console.id


async def test_lost_insert_race_returns_the_winner_and_keeps_the_transaction(
    db: Database,
) -> None:
    """Simulates the other worker's insert landing between our select and our insert."""

    class RacingRepository(AccountRepository):
        blind = True

        async def _find(self, channel: str, external_id: int) -> ChannelAccount | None:
            if self.blind:
                self.blind = False
                return None
            return await super()._find(channel, external_id)

    async with db.session() as s, s.begin():
        winner = await AccountRepository(s).get_or_create("telegram", CHAT, NOW)
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW)
        account = await RacingRepository(s).get_or_create("telegram", CHAT, LATER)
        assert account.id == winner.id
        await AccountRepository(s).bind(account, case.id, LATER)
    async with db.session() as s:
        assert [a.id for a in await AccountRepository(s).for_case(case.id)] == [winner.id]


async def test_concurrent_first_contact_creates_one_account(db: Database) -> None:
    async def first_contact() -> int:
        async with db.session() as s, s.begin():
            account = await AccountRepository(s).get_or_create("telegram", CHAT, NOW)
            await asyncio.sleep(0.05)  # hold the transaction open a little
            assert account.id is not None
            return account.id

    ids = await asyncio.gather(*(first_contact() for _ in range(5)))
    assert len(set(ids)) == 1


async def test_bind_language_and_for_case(db: Database) -> None:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW)
        repo = AccountRepository(s)
        telegram = await repo.get_or_create("telegram", CHAT, NOW)
        console = await repo.get_or_create("console", 1, NOW)
        await repo.get_or_create("telegram", CHAT + 1, NOW)  # unbound
        await repo.bind(telegram, case.id, LATER)
        await repo.bind(console, case.id, LATER)
        await repo.set_language(telegram, "ar", LATER)
    async with db.session() as s:
        repo = AccountRepository(s)
        assert [a.id for a in await repo.for_case(case.id)] == [telegram.id, console.id]
        only_telegram = await repo.for_case(case.id, channel="telegram")
        assert [a.id for a in only_telegram] == [telegram.id]
        assert only_telegram[0].language == "ar"
        assert only_telegram[0].last_seen_at == LATER


async def test_binding_to_an_unknown_case_is_refused(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    async with db.session() as s:
        async with s.begin():
            account = await AccountRepository(s).get_or_create("telegram", CHAT, NOW)
        with pytest.raises(IntegrityError):
            async with s.begin():
                await AccountRepository(s).bind(account, "f" * 32, LATER)


async def test_lock_returns_the_fresh_row_and_unknown_gives_none(db: Database) -> None:
    async with db.session() as s, s.begin():
        account = await AccountRepository(s).get_or_create("telegram", CHAT, NOW)
    async with db.session() as s, s.begin():
        locked = await AccountRepository(s).lock(account.id)
        assert locked is not None
        assert locked.external_id == CHAT
        assert await AccountRepository(s).lock(account.id + 1000) is None


async def test_lock_serialises_two_transactions_on_one_chat(db: Database) -> None:
    async with db.session() as s, s.begin():
        account = await AccountRepository(s).get_or_create("telegram", CHAT, NOW)
    order: list[str] = []

    async def second() -> None:
        async with db.session() as s, s.begin():
            await AccountRepository(s).lock(account.id)
            order.append("second locked")

    async with db.session() as s:
        async with s.begin():
            await AccountRepository(s).lock(account.id)
            task = asyncio.create_task(second())
            await asyncio.sleep(0.3)
            order.append("first commits")
        await task
    assert order == ["first commits", "second locked"]
