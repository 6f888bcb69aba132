"""What one update costs the database, counted statement by statement (not timed): the
hot path of the bot stays a few statements whatever the caseload (issue #12)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bot.core.service import Service
from flows.events import Event
from storage import Database
from tests.core.test_service import consented, make_service, send

BUTTON_ANSWER_MAX = 4  # claim the update, load the turn, insert the answer, save the position


def most(db: Database) -> int:
    """PostgreSQL locks the chat's account in a statement of its own (see
    SnapshotRepository.load): one more there."""
    return BUTTON_ANSWER_MAX + (db.dialect == "postgresql")


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """Every SQL statement sent to the database meanwhile, but the transaction's BEGIN
    (transaction control, which PostgreSQL's driver does not even send as a statement)."""
    statements: list[str] = []

    def before(_conn, _cursor, statement: str, *_args: object) -> None:
        if statement.strip().upper() not in ("BEGIN", "BEGIN IMMEDIATE"):
            statements.append(" ".join(statement.split()))

    engines = {db.engine.sync_engine, db._read_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", before)


def listing(statements: list[str]) -> str:
    return "\n".join(s[:120] for s in statements)


async def on_the_interpreter_question(service: Service) -> None:
    """Agreed, and past the first question: the buttons yes / no are on screen."""
    await consented(service)
    await send(service, Event.say("1"), update_id=1)  # Arabic, on the multiple choice
    await send(service, Event.press("d:language.spoken"), update_id=2)


async def test_a_button_answer_costs_at_most_four_statements_on_sqlite(db: Database) -> None:
    service = make_service(db)
    await on_the_interpreter_question(service)
    with counting(db) as statements:
        replies = await send(service, Event.press("a:language.interpreter:no"), update_id=3)
    assert replies  # the next question came
    assert any(s.startswith("INSERT INTO answer") for s in statements), listing(statements)
    assert len(statements) <= most(db), listing(statements)


async def test_a_changed_answer_costs_one_more_statement_to_supersede_the_old(
    db: Database,
) -> None:
    service = make_service(db)
    await on_the_interpreter_question(service)
    await send(service, Event.press("b:language.interpreter"), update_id=3)  # back
    with counting(db) as statements:  # Tigrinya as well: the answer changes
        await send(service, Event.say("2"), update_id=4)
    assert sum(s.startswith("UPDATE answer") for s in statements) == 1, listing(statements)
    assert len(statements) <= most(db) + 1, listing(statements)


async def test_the_cost_does_not_grow_with_the_answers_given(db: Database) -> None:
    """Answers are read with the rest of the turn: one SELECT, however many there are."""
    service = make_service(db)
    await on_the_interpreter_question(service)
    costs, answered = [], 0
    for update_id in range(3, 15):  # twelve turns further into the intake
        with counting(db) as statements:
            await send(service, Event.say("1"), update_id=update_id)
        costs.append(len(statements))
        answered += any(s.startswith("INSERT INTO answer") for s in statements)
        reads = sum(s.startswith("SELECT") and "FOR UPDATE" not in s for s in statements)
        assert reads == 1, listing(statements)
    assert answered >= 6
    assert max(costs) <= most(db), costs


async def test_a_redelivered_update_costs_one_statement(db: Database) -> None:
    service = make_service(db)
    await consented(service)
    await send(service, Event.say("1"), update_id=1)
    with counting(db) as statements:
        assert await send(service, Event.say("1"), update_id=1) == []
    assert len(statements) == 1, listing(statements)
