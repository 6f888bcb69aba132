"""One unit of work is one transaction: all of it is saved, or none of it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.exc import DBAPIError

from storage.db import Database, connection_of
from storage.repositories import (
    AccountRepository,
    AnswerRepository,
    CaseRepository,
    ConversationRepository,
    UpdateRepository,
)
from tests.clock import NOW


class Crash(Exception):
    pass


async def test_a_failed_unit_of_work_saves_nothing_not_even_savepoint_work(
    db: Database,
) -> None:
    """Savepoints (used by create and get_or_create) must sit inside the outer
    transaction: on SQLite the driver's own BEGIN handling would commit them."""
    with pytest.raises(Crash):
        async with db.session() as s, s.begin():
            case = await CaseRepository(s).create(now=NOW)  # savepoint
            account = await AccountRepository(s).get_or_create("telegram", 5, NOW)  # savepoint
            await AccountRepository(s).bind(account, case.id, NOW)
            await ConversationRepository(s).save(account.id, {"step": 1}, NOW)
            await AnswerRepository(s).record(case.id, "q", codes=["a"], at=NOW)
            await UpdateRepository(s).claim("telegram", 1, NOW)
            await s.flush()
            raise Crash
    async with db.session() as s:
        assert await CaseRepository(s).list() == []
        assert await AccountRepository(s).get(account.id) is None
        assert await UpdateRepository(s).claim("telegram", 1, NOW) is True


async def test_committed_unit_of_work_is_visible_to_a_new_session(db: Database) -> None:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW)
        account = await AccountRepository(s).get_or_create("telegram", 5, NOW)
        await AccountRepository(s).bind(account, case.id, NOW)
    async with db.session() as s:
        assert [a.id for a in await AccountRepository(s).for_case(case.id)] == [account.id]


async def test_readonly_session_reads_committed_data(db: Database) -> None:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW)
    async with db.session(readonly=True) as s:
        assert [c.id for c in await CaseRepository(s).list()] == [case.id]


async def test_readonly_session_does_not_hold_up_a_writer(db: Database) -> None:
    async with db.session(readonly=True) as reader, reader.begin():
        assert await CaseRepository(reader).list() == []
        # The reader's transaction is still open; a writer must not wait for it.
        async with db.session() as writer, writer.begin():
            await asyncio.wait_for(CaseRepository(writer).create(now=NOW), timeout=2)
    async with db.session() as s:
        assert len(await CaseRepository(s).list()) == 1


async def test_plain_sessions_after_readonly_ones_can_write(db: Database) -> None:
    """The read-only flag belongs to the session, not to a pooled connection."""
    for _ in range(3):
        async with db.session(readonly=True) as s:
            await CaseRepository(s).list()
    async with db.session() as s, s.begin():
        await CaseRepository(s).create(now=NOW)


async def test_readonly_session_refuses_writes_on_postgresql(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("SQLite has no read-only transactions; readonly only avoids the lock")
    with pytest.raises(DBAPIError, match="read-only"):
        async with db.session(readonly=True) as s, s.begin():
            await CaseRepository(s).create(now=NOW)


async def test_the_hot_path_connection_is_the_transactions_own(db: Database) -> None:
    """`connection_of` asks SQLAlchemy once per transaction, and never hands a later
    transaction of the same session the connection of an earlier one."""
    async with db.session() as s:
        async with s.begin():
            first = await connection_of(s)
            assert await connection_of(s) is first
            assert first.sync_connection is (await s.connection()).sync_connection
            await UpdateRepository(s).claim("telegram", 1, NOW)
        async with s.begin():
            second = await connection_of(s)
            assert second.sync_connection is (await s.connection()).sync_connection
            assert await UpdateRepository(s).claim("telegram", 2, NOW)
            assert not await UpdateRepository(s).claim("telegram", 1, NOW)
