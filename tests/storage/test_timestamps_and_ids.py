"""Values survive the round trip on both databases: big ids, aware UTC datetimes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from storage.db import Database
from storage.models import Case
from storage.repositories import AccountRepository, CaseRepository
from tests.clock import NOW

# Microseconds too: they must survive the round trip on both databases.
PRECISE = NOW.replace(second=15, microsecond=123456)
TELEGRAM_SIZED_ID = 8_000_000_000  # > 2**31: overflows a PostgreSQL INTEGER


async def test_telegram_sized_external_id_round_trips(db: Database) -> None:
    async with db.session() as s, s.begin():
        account = await AccountRepository(s).get_or_create("telegram", TELEGRAM_SIZED_ID, PRECISE)
        account_id = account.id
    async with db.session() as s:
        loaded = await AccountRepository(s).get(account_id)
        assert loaded is not None
        assert loaded.external_id == TELEGRAM_SIZED_ID


async def test_datetimes_come_back_aware_utc(db: Database) -> None:
    amsterdam_summer = timezone(timedelta(hours=2))
    consent = datetime(2026, 7, 1, 14, 0, tzinfo=amsterdam_summer)
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=PRECISE)
        await CaseRepository(s).set_consent(case, "v1", consent, PRECISE)
        case_id = case.id
    async with db.session() as s:
        loaded = await CaseRepository(s).get(case_id)
        assert loaded is not None
        for value in (loaded.created_at, loaded.updated_at, loaded.consent_at):
            assert value is not None
            assert value.utcoffset() == timedelta(0)
        assert loaded.created_at == PRECISE
        assert loaded.consent_at == consent  # same instant
        assert loaded.consent_at.hour == 12  # expressed in UTC
        assert loaded.invite_expires_at == PRECISE + timedelta(days=30)


async def test_naive_datetime_is_refused(db: Database) -> None:
    naive = datetime(2026, 11, 22, 9, 30)
    async with db.session() as s:
        s.add(Case(invite_code="AAAA-AAAA", created_at=naive, updated_at=naive))
        with pytest.raises(StatementError, match="naive datetime"):
            await s.flush()
        await s.rollback()


async def test_comparisons_in_queries_use_utc(db: Database) -> None:
    """A bound parameter in another zone compares by instant, not by wall clock."""
    from sqlmodel import select

    async with db.session() as s, s.begin():
        await CaseRepository(s).create(now=PRECISE)
    plus_five = timezone(timedelta(hours=5))
    just_after = (PRECISE + timedelta(minutes=1)).astimezone(plus_five)
    just_before = (PRECISE - timedelta(minutes=1)).astimezone(plus_five)
    async with db.session() as s:
        assert len((await s.exec(select(Case).where(Case.created_at < just_after))).all()) == 1
        assert len((await s.exec(select(Case).where(Case.created_at < just_before))).all()) == 0
