"""Retention: closed cases older than the municipality file's period are erased by
`purge_expired`, with the time injected (no clock is read)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from bot.core.retention import months_before, purge_expired
from bot.municipality import Municipality, Privacy, load_municipality
from bot.settings import DEFAULT_MUNICIPALITY
from storage import (
    AccountRepository,
    AnswerRepository,
    AuditRepository,
    CaseRepository,
    ConversationRepository,
    Database,
)
from tests.clock import NOW
from tests.seed import add_appointment


def municipality(months: int) -> Municipality:
    base = load_municipality(DEFAULT_MUNICIPALITY)
    return base.model_copy(update={"privacy": Privacy(retention_months=months)})


async def make_case(db: Database, *, closed_at: datetime | None, chat: int) -> str:
    """A case with everything a person can leave: an account, a conversation, answers,
    an appointment with a pending reminder; closed at ``closed_at`` (None: open)."""
    created = datetime(2025, 1, 1, tzinfo=UTC)
    async with db.session() as s, s.begin():
        cases = CaseRepository(s)
        case = await cases.create(now=created, label="gezin Haddad")
        account = await AccountRepository(s).get_or_create("telegram", chat, created)
        await AccountRepository(s).bind(account, case.id, created)
        await ConversationRepository(s).save(account.id, {"stage": "done"}, created)
        await AnswerRepository(s).record(case.id, "goals.year", free_text="werk", at=created)
        await add_appointment(
            s,
            case.id,
            now=created,
            starts_in=timedelta(days=20),
            reminders_in=(timedelta(days=19),),
        )
        if closed_at is not None:
            await cases.close(case, closed_at)
        return case.id


async def case_ids(db: Database) -> set[str]:
    async with db.session() as s:
        return {case.id for case in await CaseRepository(s).list()}


def test_months_before_follows_the_calendar() -> None:
    end_of_march = datetime(2027, 3, 31, 10, 0, tzinfo=UTC)
    assert months_before(end_of_march, 1) == datetime(2027, 2, 28, 10, 0, tzinfo=UTC)
    assert months_before(datetime(2028, 5, 31, tzinfo=UTC), 3) == datetime(2028, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2027, 1, 15, tzinfo=UTC), 1) == datetime(2026, 12, 15, tzinfo=UTC)
    assert months_before(end_of_march, 120) == datetime(2017, 3, 31, 10, 0, tzinfo=UTC)


async def test_only_cases_closed_longer_than_the_period_are_erased(db: Database) -> None:
    twelve = municipality(12)
    cutoff = months_before(NOW, 12)
    old = await make_case(db, closed_at=cutoff - timedelta(seconds=1), chat=1)
    on_the_day = await make_case(db, closed_at=cutoff, chat=2)
    recent = await make_case(db, closed_at=NOW - timedelta(days=30), chat=3)
    still_open = await make_case(db, closed_at=None, chat=4)

    assert await purge_expired(db, twelve, NOW) == 1
    assert await case_ids(db) == {on_the_day, recent, still_open}
    assert old not in await case_ids(db)
    # A day later the one closed exactly on the cutoff has passed it too.
    assert await purge_expired(db, twelve, NOW + timedelta(days=1)) == 1
    assert await case_ids(db) == {recent, still_open}
    assert await purge_expired(db, twelve, NOW + timedelta(days=1)) == 0


async def test_a_shorter_period_in_the_municipality_file_erases_sooner(db: Database) -> None:
    closed = await make_case(db, closed_at=NOW - timedelta(days=100), chat=1)
    assert await purge_expired(db, municipality(12), NOW) == 0
    assert await purge_expired(db, municipality(3), NOW) == 1
    assert closed not in await case_ids(db)


async def test_a_purge_leaves_no_row_of_the_case_and_an_audit_entry_without_personal_data(
    db: Database,
) -> None:
    await make_case(db, closed_at=datetime(2025, 6, 1, tzinfo=UTC), chat=8_000_000_001)
    assert await purge_expired(db, municipality(12), NOW) == 1
    async with db.session() as s:
        conn = await s.connection()
        for table in SQLModel.metadata.sorted_tables:
            if table.name in ("audit_log", "processed_update", "dashboard_user"):
                continue
            count = (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            assert count == 0, table.name
        entries = await AuditRepository(s).list()
    assert [(e.actor, e.action, e.target, e.at) for e in entries] == [
        ("system", "case.erase", None, NOW)
    ]
    assert entries[0].detail is not None and entries[0].detail.startswith("retention: 1 case(s)")
    assert "Haddad" not in entries[0].detail and "werk" not in entries[0].detail


async def test_a_case_reopened_after_listing_is_kept(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listing and the erasure are separate transactions: the erasure checks again."""
    case_id = await make_case(db, closed_at=datetime(2025, 6, 1, tzinfo=UTC), chat=1)
    original = CaseRepository.closed_before

    async def listed_then_reopened(self: CaseRepository, cutoff: datetime) -> list[str]:
        found = await original(self, cutoff)
        async with db.session() as s, s.begin():
            case = await CaseRepository(s).get(case_id)
            assert case is not None
            case.status, case.closed_at = "open", None
            s.add(case)
        return found

    monkeypatch.setattr(CaseRepository, "closed_before", listed_then_reopened)
    assert await purge_expired(db, municipality(12), NOW) == 0
    assert await case_ids(db) == {case_id}
