"""Erasure: deleting a case leaves no row of it in any table."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlmodel import SQLModel

from storage.db import Database
from storage.repositories import (
    AccountRepository,
    AnswerRepository,
    CaseRepository,
    ConversationRepository,
    NewLine,
    PersonRequestRepository,
    UpdateRepository,
    WebChatRepository,
)
from tests.clock import NOW
from tests.seed import add_appointment

# Tables that hold no personal data of a case. A new table must be added either
# here (with a reason) or to the checks below: this test then fails until it is.
UNRELATED = {
    "processed_update": "channel + update id only, no link to a person",
    "audit_log": "who did what when, ids and counts only",
    "dashboard_user": "the consulenten's own accounts, not the people they help",
    "send_budget": "the channel's shared send rate: tokens and a time per channel",
    "login_throttle": "wrong-login counters of dashboard names: a keyed hash and a count",
    "text_correction": "the municipality's corrections of the catalogs' texts",
    "text_correction_event": "their history: texts and translators' names",
}


async def _populate(db: Database, external_base: int) -> tuple[str, list[int], list[int]]:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW, label="Familie", consulent="anna")
        accounts = AccountRepository(s)
        account_ids = []
        for offset, channel in enumerate(["telegram", "console", "web"]):
            account = await accounts.get_or_create(channel, external_base + offset, NOW)
            await accounts.bind(account, case.id, NOW)
            await ConversationRepository(s).save(account.id, {"step": "goal"}, NOW)
            account_ids.append(account.id)
        lines = [NewLine("person", "ik wil werken"), NewLine("wegwijs", "Dank je")]
        await WebChatRepository(s).append(account.id, lines, NOW)
        answers = AnswerRepository(s)
        await answers.record(case.id, "goal", free_text="أريد أن أعمل", text_lang="ar", at=NOW)
        await answers.record(case.id, "goal", free_text="ክሰርሕ እደሊ", text_lang="ti", at=NOW)
        await answers.record(case.id, "school_years", number=9, at=NOW)
        await PersonRequestRepository(s).create(case.id, "telegram", topic="general", now=NOW)
        await UpdateRepository(s).claim("telegram", external_base, NOW)
        appointment = await add_appointment(
            s, case.id, now=NOW, starts_in=timedelta(days=9), reminders_in=(timedelta(days=8),)
        )
        assert appointment.id is not None
        return case.id, account_ids, [appointment.id]


async def test_deleting_a_case_leaves_no_row_of_it_in_any_table(db: Database) -> None:
    gone, gone_accounts, gone_appointments = await _populate(db, 8_000_000_000)
    kept, kept_accounts, kept_appointments = await _populate(db, 9_000_000_000)

    async with db.session() as s, s.begin():
        assert await CaseRepository(s).delete(gone) is True

    tables = SQLModel.metadata.tables
    async with db.session() as s:
        conn = await s.connection()

        async def rows(table: str, column: str, values: list) -> int:
            t = tables[table]
            query = select(func.count()).select_from(t).where(t.c[column].in_(values))
            return (await conn.execute(query)).scalar_one()

        checks = {
            "wegwijs_case": ("id", [gone], [kept], 1),
            "channel_account": ("case_id", [gone], [kept], 3),
            "conversation": ("account_id", gone_accounts, kept_accounts, 3),
            "web_message": ("account_id", gone_accounts, kept_accounts, 2),
            "answer": ("case_id", [gone], [kept], 3),
            "person_request": ("case_id", [gone], [kept], 1),
            "appointment": ("case_id", [gone], [kept], 1),
            "reminder": ("appointment_id", gone_appointments, kept_appointments, 1),
        }
        assert set(checks) | set(UNRELATED) == set(tables), "a table is not covered by this test"
        for table, (column, gone_values, kept_values, expected) in checks.items():
            assert await rows(table, column, gone_values) == 0, table
            assert await rows(table, column, kept_values) == expected, table
        # Accounts are gone by id too, not just unbound.
        assert await rows("channel_account", "id", gone_accounts) == 0

    async with db.session() as s, s.begin():
        assert await CaseRepository(s).delete(gone) is False
