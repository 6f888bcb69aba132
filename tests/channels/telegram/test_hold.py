"""While the database is away, an update is held and tried again, never dropped: a webhook
hands it back to Telegram after a while, polling keeps it and tells the person once; and
a person whose question the outbox had to give up gets it again. Against a real Service
(SQLite and PostgreSQL) whose database fails the way an unreachable one does."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import select

from bot.channels.telegram.core import HandBack, Hold, Send, TelegramCore
from flows import texts
from flows.events import EventKind
from storage import Answer, Database
from tests.channels.telegram.test_core import Updates, make_core, sends


class Away:
    """The service's database fails like a locked SQLite file for the first `times`
    units of work (or until `back()`), on a fake clock that moves only by the hold's
    waits."""

    def __init__(self, core: TelegramCore, times: int = 10_000) -> None:
        self.now, self.times = 0.0, times
        self.waits: list[float] = []
        self.tries: list[int] = []
        real = core.service.handle

        async def handle(inbound: Any) -> Any:
            self.tries.append(inbound.update_id)
            if self.times > 0:
                self.times -= 1
                raise OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
            return await real(inbound)

        core.service.handle = handle  # type: ignore[method-assign]
        core.hold = Hold(sleep=self.sleep, clock=lambda: self.now, jitter=lambda: 1.0)

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    def back(self) -> None:
        self.times = 0


def told(captured: list[Send]) -> list[str]:
    return [send.text for send in captured]


async def test_a_held_update_is_tried_again_until_the_database_is_back(db: Database) -> None:
    core = make_core(db)
    away, captured = Away(core, times=6), []

    async def tell(send: Send) -> None:
        captured.append(send)

    actions = await core.handle(Updates().text("/start"), tell=tell)
    assert sends(actions), "answered once the database was back"
    assert away.waits == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]  # doubling, capped
    assert told(captured) == [texts.DATABASE_AWAY]  # once, after `notice_after`


async def test_the_waits_have_jitter(db: Database) -> None:
    core = make_core(db)
    away = Away(core, times=3)
    draws = iter([0.0, 1.0, 0.5])
    core.hold.jitter = lambda: next(draws)
    await core.handle(Updates().text("/start"))
    assert away.waits == [0.25, 1.0, 1.5]  # half to all of 0.5, 1, 2


async def test_a_webhook_update_is_handed_back_and_the_person_not_told(db: Database) -> None:
    core = make_core(db)
    away, captured = Away(core), []

    async def tell(send: Send) -> None:
        captured.append(send)

    with pytest.raises(HandBack):
        await core.handle(Updates().text("/start"), give_back_after=20.0)
    assert 20.0 <= away.now <= 25.0 and captured == []
    async with db.session() as session:  # nothing of it was kept: Telegram sends it again
        assert (await session.exec(select(Answer))).all() == []


async def test_a_fault_of_the_work_itself_is_not_held(db: Database) -> None:
    core = make_core(db)
    away = Away(core, times=0)

    async def broken(_inbound: Any) -> Any:
        raise IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))

    core.service.handle = broken  # type: ignore[method-assign]
    with pytest.raises(IntegrityError):
        await core.handle(Updates().text("/start"))
    assert away.waits == []


async def test_one_chats_held_updates_are_processed_in_the_order_they_came(
    db: Database,
) -> None:
    core = make_core(db)
    away = Away(core, times=4)
    chat = Updates()
    first, second = chat.text("/start"), chat.text("/help")
    await asyncio.gather(core.handle(first), core.handle(second))
    assert away.tries == [first.update_id] * 5 + [second.update_id]


async def test_stopping_ends_the_hold(db: Database) -> None:
    core = make_core(db)
    Away(core)
    core.hold.sleep = lambda _s: asyncio.Event().wait()  # a wait that never ends by itself
    held = asyncio.ensure_future(core.handle(Updates().text("/start")))
    for _ in range(10):
        await asyncio.sleep(0)
    core.stop()
    with pytest.raises(HandBack):
        await held


async def test_after_a_given_up_question_the_next_message_brings_it_back(db: Database) -> None:
    core = make_core(db)
    chat = Updates()
    shown = sends(await core.handle(chat.text("/start")))
    kinds: list[EventKind] = []
    real = core.service.handle

    async def handle(inbound: Any) -> Any:
        kinds.append(inbound.event.kind)
        return await real(inbound)

    core.service.handle = handle  # type: ignore[method-assign]
    core.missed(chat.chat)  # the outbox gave up on the next question
    again = sends(await core.handle(chat.text("what now?")))
    assert kinds == [EventKind.START]  # not taken as an answer to a question not seen
    assert again[-1].buttons == shown[-1].buttons  # the question again
    await core.handle(chat.text("English"))
    assert kinds[-1] is EventKind.TEXT  # then as usual


async def test_a_webhook_update_delivered_again_brings_the_current_question(
    db: Database,
) -> None:
    core, chat = make_core(db), Updates()
    update = chat.text("/start")
    shown = sends(await core.handle(update))
    # The worker that had it was killed before its replies went: Telegram sends it again.
    again = sends(await core.handle(update, redelivered_shows_question=True))
    assert again and again[-1].buttons == shown[-1].buttons
    assert await core.handle(update) == []  # polling: a repeat stays silent, as before
