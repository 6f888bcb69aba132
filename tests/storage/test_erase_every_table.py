"""After erasing a person, every table is empty: checked over
``SQLModel.metadata.sorted_tables``, so a table added later is covered by itself.

A new table fails ``test_the_person_fills_every_table`` until ``_person`` below puts a
row in it (then its erasure is tested), or it is added to ``KEPT`` with the reason it
holds no personal data.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

import storage  # noqa: F401  (registers every table on SQLModel.metadata)
from storage.db import Database
from storage.repositories import (
    AccountRepository,
    AnswerRepository,
    CaseRepository,
    ConversationRepository,
    EraseRepository,
    NewLine,
    PersonRequestRepository,
    UpdateRepository,
    WebChatRepository,
)
from tests.clock import NOW
from tests.seed import add_appointment

# Tables that hold no personal data by design, and so outlive an erasure.
KEPT = {
    # (channel, update id, time): no link to a person; keeps a redelivered /delete from
    # being processed again and starting a new conversation.
    "processed_update": "update ids only",
    # Who did what when; an erasure is recorded as having happened (counts only).
    "audit_log": "records that an erasure happened, nothing of the person",
    # The consulenten's own dashboard accounts, not the people they help.
    "dashboard_user": "consulenten, not inburgeraars",
    # One token bucket per channel (the shared sending rate): no link to anyone.
    "send_budget": "a channel name, a number and a time",
    # Wrong-login counters of names that are no dashboard user: a keyed hash and a number.
    "login_throttle": "a keyed hash of a typed name, a count and times",
    "text_correction": "the municipality's corrections of the catalogs' texts",
    "text_correction_event": "their history: texts and translators' names",
}


async def _person(db: Database) -> tuple[str, int]:
    """One person with a row in every table that can hold something of them."""
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW, label="gezin Haddad", consulent="anna")
        accounts = AccountRepository(s)
        telegram = await accounts.get_or_create("telegram", 8_000_000_001, NOW)
        console = await accounts.get_or_create("console", 42, NOW)
        web = await accounts.get_or_create("web", 7, NOW)
        for account in (telegram, console, web):
            await accounts.bind(account, case.id, NOW)
            await ConversationRepository(s).save(account.id, {"stage": "question"}, NOW)
        lines = [NewLine("person", "ik wil werken"), NewLine("wegwijs", "Dank je")]
        await WebChatRepository(s).append(web.id, lines, NOW)
        answers = AnswerRepository(s)
        await answers.record(case.id, "goals.year", free_text="أريد أن أعمل", at=NOW)
        await answers.record(case.id, "goals.year", free_text="werk", at=NOW + timedelta(minutes=1))
        await answers.record(case.id, "health.difficulty", codes=["yes"], at=NOW)
        await PersonRequestRepository(s).create(case.id, "telegram", topic="debts", now=NOW)
        await add_appointment(
            s,
            case.id,
            now=NOW,
            starts_in=timedelta(days=7),
            reminders_in=(timedelta(days=1), timedelta(days=6)),
            kind="brede_intake",
            notes="tolk Arabisch",
            response="cannot_come",
            response_reason="childcare",
        )
        await UpdateRepository(s).claim("telegram", 1001, NOW)
        return case.id, telegram.id


async def _counts(db: Database) -> dict[str, int]:
    async with db.session() as s:
        conn = await s.connection()
        return {
            table.name: (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


async def test_the_person_fills_every_table(db: Database) -> None:
    """Guards the test below: it only proves something for tables that had rows."""
    await _person(db)
    empty = {name for name, count in (await _counts(db)).items() if not count}
    assert empty <= set(KEPT), f"no rows made in {sorted(empty - set(KEPT))}: extend _person"


@pytest.mark.parametrize("how", ["delete by the person", "erase case on the dashboard"])
async def test_after_erasure_every_table_is_empty(db: Database, how: str) -> None:
    case_id, account_id = await _person(db)
    async with db.session() as s, s.begin():
        erase = EraseRepository(s)
        if how == "delete by the person":
            await erase.erase_account(account_id)
        else:
            await erase.erase_case(case_id)
    left = {name: n for name, n in (await _counts(db)).items() if n and name not in KEPT}
    assert left == {}, f"rows left after erasure: {left}"
