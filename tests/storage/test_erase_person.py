"""Erasing a person (``/delete``, the dashboard): afterwards no row of that person."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, or_, select
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database
from storage.models import Case, ChannelAccount
from storage.repositories import (
    AccountRepository,
    AnswerRepository,
    CaseRepository,
    ConversationRepository,
    EraseRepository,
    ErasureResult,
    PersonRequestRepository,
    UpdateRepository,
)
from tests.clock import NOW

LATER = NOW + timedelta(minutes=5)

# Tables with no link to a person. Every other table must be reachable by a case id
# or an account id, or the generic check below fails until this test is updated.
UNLINKED = {
    "processed_update",
    "audit_log",  # who did what when (ids and counts only): an erasure is recorded there
    "dashboard_user",  # the consulenten's own accounts, not the people they help
    "send_budget",  # the shared sending rate per channel: no link to anyone
    "login_throttle",  # wrong-login counters of dashboard names: a keyed hash, a count
    "text_correction",  # the municipality's corrections of the catalogs' texts
    "text_correction_event",  # their history
}


@dataclass(frozen=True)
class Person:
    case_id: str
    account_ids: list[int]
    update_ids: list[int]


async def _person(db: Database, external_base: int) -> Person:
    """A person with a case, two bound accounts, conversations, answers (one
    superseded), an open and a handled person request, and processed updates."""
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW, label="Familie", consulent="anna")
        accounts = AccountRepository(s)
        account_ids = []
        for offset, channel in enumerate(["telegram", "console"]):
            account = await accounts.get_or_create(channel, external_base + offset, NOW)
            await accounts.bind(account, case.id, NOW)
            await ConversationRepository(s).save(account.id, {"step": "goal"}, NOW)
            account_ids.append(account.id)
        answers = AnswerRepository(s)
        await answers.record(case.id, "goal", free_text="أريد أن أعمل", text_lang="ar", at=NOW)
        await answers.record(case.id, "goal", free_text="ክሰርሕ እደሊ", text_lang="ti", at=LATER)
        await answers.record(case.id, "school_years", number=9, at=NOW)
        requests = PersonRequestRepository(s)
        handled = await requests.create(case.id, "telegram", topic="general", now=NOW)
        await requests.mark_handled(handled.id, "anna", LATER)
        await requests.create(case.id, "telegram", topic="general", now=LATER)
        update_ids = [external_base, external_base + 1]
        for update_id in update_ids:
            await UpdateRepository(s).claim("telegram", update_id, NOW)
        return Person(case.id, account_ids, update_ids)


async def _unbound_account(db: Database, external_id: int) -> int:
    async with db.session() as s, s.begin():
        account = await AccountRepository(s).get_or_create("telegram", external_id, NOW)
        await ConversationRepository(s).save(account.id, {"step": "invite"}, NOW)
        return account.id


async def _rows_of(s: AsyncSession, case_ids: list[str], account_ids: list[int]) -> dict[str, int]:
    """Per table, how many rows belong to these cases or accounts.

    Generic over ``SQLModel.metadata``: every table with a ``case_id``,
    ``account_id`` or ``appointment_id`` column is counted, plus the case and account
    rows themselves.
    """
    conn = await s.connection()
    counts = {}
    for name, table in SQLModel.metadata.tables.items():
        conditions = []
        if "case_id" in table.c:
            conditions.append(table.c.case_id.in_(case_ids))
        if "account_id" in table.c:
            conditions.append(table.c.account_id.in_(account_ids))
        if "appointment_id" in table.c:  # reminders: through their appointment's case
            appointments = SQLModel.metadata.tables["appointment"]
            of_cases = select(appointments.c.id).where(appointments.c.case_id.in_(case_ids))
            conditions.append(table.c.appointment_id.in_(of_cases))
        if name == Case.__tablename__:
            conditions.append(table.c.id.in_(case_ids))
        if name == ChannelAccount.__tablename__:
            conditions.append(table.c.id.in_(account_ids))
        if not conditions:
            continue
        query = select(func.count()).select_from(table).where(or_(*conditions))
        counts[name] = (await conn.execute(query)).scalar_one()
    assert set(counts) | UNLINKED == set(SQLModel.metadata.tables), (
        "a table holds rows that cannot be traced to a case or an account"
    )
    return counts


async def _all_rows(s: AsyncSession) -> dict[str, int]:
    conn = await s.connection()
    return {
        name: (await conn.execute(select(func.count()).select_from(table))).scalar_one()
        for name, table in SQLModel.metadata.tables.items()
    }


async def test_erase_account_with_a_case_leaves_no_row_of_the_person_in_any_table(
    db: Database,
) -> None:
    person = await _person(db, 8_000_000_000)

    async with db.session() as s, s.begin():
        result = await EraseRepository(s).erase_account(person.account_ids[0])

    assert result == ErasureResult(cases=1, accounts=2, answers=3, requests=2)
    async with db.session() as s:
        rows = await _rows_of(s, [person.case_id], person.account_ids)
        assert rows == dict.fromkeys(rows, 0)
        assert await CaseRepository(s).get(person.case_id) is None
        for account_id in person.account_ids:
            assert await AccountRepository(s).get(account_id) is None


async def test_erasing_one_person_leaves_another_persons_rows_intact(db: Database) -> None:
    gone = await _person(db, 8_000_000_000)
    kept = await _person(db, 9_000_000_000)
    stranger = await _unbound_account(db, 7_000_000_000)
    async with db.session() as s:
        kept_before = await _rows_of(s, [kept.case_id], [*kept.account_ids, stranger])
        all_before = await _all_rows(s)

    async with db.session() as s, s.begin():
        await EraseRepository(s).erase_account(gone.account_ids[1])

    async with db.session() as s:
        assert await _rows_of(s, [kept.case_id], [*kept.account_ids, stranger]) == kept_before
        all_after = await _all_rows(s)
    # Only the erased person's rows went; processed updates all stay.
    assert all_after["processed_update"] == all_before["processed_update"]
    assert all_after == {
        **all_before,
        "wegwijs_case": all_before["wegwijs_case"] - 1,
        "channel_account": all_before["channel_account"] - 2,
        "conversation": all_before["conversation"] - 2,
        "answer": all_before["answer"] - 3,
        "person_request": all_before["person_request"] - 2,
    }


async def test_erase_account_without_a_case_removes_the_account_and_its_conversation(
    db: Database,
) -> None:
    account_id = await _unbound_account(db, 8_000_000_000)
    other = await _unbound_account(db, 8_000_000_001)

    async with db.session() as s, s.begin():
        result = await EraseRepository(s).erase_account(account_id)

    assert result == ErasureResult(accounts=1)
    async with db.session() as s:
        rows = await _rows_of(s, [], [account_id])
        assert rows == dict.fromkeys(rows, 0)
        assert await ConversationRepository(s).load(other) == {"step": "invite"}


async def test_erase_of_an_unknown_id_returns_zero_counts(db: Database) -> None:
    person = await _person(db, 8_000_000_000)
    async with db.session() as s:
        before = await _all_rows(s)
    async with db.session() as s, s.begin():
        erase = EraseRepository(s)
        assert await erase.erase_account(person.account_ids[-1] + 1000) == ErasureResult()
        assert await erase.erase_case("0" * 32) == ErasureResult()
    assert ErasureResult() == ErasureResult(cases=0, accounts=0, answers=0, requests=0)
    async with db.session() as s:
        assert await _all_rows(s) == before


async def test_erasing_twice_removes_nothing_the_second_time(db: Database) -> None:
    person = await _person(db, 8_000_000_000)
    async with db.session() as s, s.begin():
        assert (await EraseRepository(s).erase_account(person.account_ids[0])).cases == 1
    async with db.session() as s, s.begin():
        assert await EraseRepository(s).erase_account(person.account_ids[0]) == ErasureResult()


async def test_erase_case_removes_the_case_with_every_account_bound_to_it(db: Database) -> None:
    person = await _person(db, 8_000_000_000)
    async with db.session() as s, s.begin():
        result = await EraseRepository(s).erase_case(person.case_id)
    assert result == ErasureResult(cases=1, accounts=2, answers=3, requests=2)
    async with db.session() as s:
        rows = await _rows_of(s, [person.case_id], person.account_ids)
        assert rows == dict.fromkeys(rows, 0)


async def test_the_result_holds_counts_only(db: Database) -> None:
    person = await _person(db, 8_000_000_000)
    async with db.session() as s, s.begin():
        result = await EraseRepository(s).erase_account(person.account_ids[0])
    assert set(asdict(result)) == {"cases", "accounts", "answers", "requests"}
    assert all(type(value) is int for value in asdict(result).values())


async def test_erasure_is_part_of_the_callers_transaction(db: Database) -> None:
    person = await _person(db, 8_000_000_000)
    async with db.session() as s:
        before = await _all_rows(s)

    class Crash(Exception):
        pass

    with pytest.raises(Crash):
        async with db.session() as s, s.begin():
            await EraseRepository(s).erase_account(person.account_ids[0])
            raise Crash
    async with db.session() as s:
        assert await _all_rows(s) == before


async def test_erasure_after_loading_the_persons_rows_in_the_same_session(
    db: Database,
) -> None:
    """The bot loads (and touches) the account and case before it handles /delete."""
    person = await _person(db, 8_000_000_000)
    async with db.session() as s, s.begin():
        accounts = AccountRepository(s)
        account = await accounts.get_or_create("telegram", 8_000_000_000, LATER)  # dirty
        assert account.id == person.account_ids[0]
        await accounts.lock(account.id)
        case = await CaseRepository(s).get(person.case_id)
        assert case is not None
        await CaseRepository(s).set_language(case, "ar", LATER)  # dirty, flushed first
        await AnswerRepository(s).current(person.case_id)
        result = await EraseRepository(s).erase_account(account.id)
    assert result == ErasureResult(cases=1, accounts=2, answers=3, requests=2)
    async with db.session() as s:
        rows = await _rows_of(s, [person.case_id], person.account_ids)
        assert rows == dict.fromkeys(rows, 0)


async def test_a_redelivered_update_stays_processed_after_erasure(db: Database) -> None:
    """The /delete update itself is claimed in the erasing transaction; its
    redelivery must find it processed, not start a new conversation."""
    person = await _person(db, 8_000_000_000)
    async with db.session() as s, s.begin():
        assert await UpdateRepository(s).claim("telegram", 42, LATER) is True
        await EraseRepository(s).erase_account(person.account_ids[0])
    async with db.session() as s, s.begin():
        updates = UpdateRepository(s)
        assert await updates.claim("telegram", 42, LATER) is False
        for update_id in person.update_ids:
            assert await updates.claim("telegram", update_id, LATER) is False
