"""A group after an information meeting: twenty people scan the invite QR code and
answer at the same moment, at Telegram's real limits (one message a second per chat, the
municipality file's 25 a second overall). Nobody waits on another: every answer comes
within a few seconds. A correctness bound, not a benchmark (bench/ measures)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import CaseRepository, Database
from tests.e2e.fake_bot_api import Call, FakeBotApi
from tests.e2e.harness import Harness

PEOPLE = 20
FIRST_CHAT = 8_000_100_000
BOUND = 5.0  # seconds: any answer later than this is a failure
STOP_BOUND = 10.0  # seconds from SIGTERM to exit
AGREED = "select count(*) from wegwijs_case where consent_version is not null"
CHATS = [FIRST_CHAT + n for n in range(PEOPLE)]


@pytest.fixture(params=["aiogram", "ptb"])
async def group(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path
) -> AsyncIterator[Harness]:
    """The bot at the default limits (TELEGRAM_CHAT_RATE=1, 25 a second overall)."""
    async with FakeBotApi() as api:
        harness = Harness(api, request.param, tmp_path, chat_rate=1.0)
        harness.migrate(migrated_sqlite)
        yield harness
        if harness.proc is not None and harness.proc.returncode is None:
            await harness.stop()


async def invite_codes(bot: Harness, count: int) -> list[str]:
    """Cases made in one go through the repositories (the CLI would take a second each)."""
    db = Database(f"sqlite:///{bot.db_path}")
    try:
        async with db.session() as session, session.begin():
            cases = CaseRepository(session)
            made = [await cases.create(now=datetime.now(UTC)) for _ in range(count)]
            return [case.invite_code for case in made]
    finally:
        await db.dispose()


def keyboard_replies(api: FakeBotApi, chat: int, since: float) -> list[Call]:
    return [c for c in api.sent(chat) if c.at >= since and "reply_markup" in c.params]


def callback_answers(api: FakeBotApi, chat: int, since: float) -> list[Call]:
    return [
        c
        for c in api.calls
        if c.method == "answerCallbackQuery" and c.at >= since and api.chat_of(c) == chat
    ]


async def all_at_once(
    bot: Harness, push: Callable[[int], object], pressed: bool = False
) -> tuple[dict[int, float], dict[int, float]]:
    """Push one update for every person at the same moment; wait until each has the next
    question (a message with buttons) and, for a button press (`pressed`), the answer to
    the press, which may come after the question: the two go out side by side. Returns
    each person's waiting time in seconds for both (`inf`: not within the bound)."""
    started = time.monotonic()
    for chat in CHATS:
        push(chat)

    def everyone_answered(_calls: list[Call]) -> bool:
        return all(
            keyboard_replies(bot.api, chat, started)
            and (not pressed or callback_answers(bot.api, chat, started))
            for chat in CHATS
        )

    with contextlib.suppress(TimeoutError):  # reported by the caller, per person
        await bot.api.wait_for(everyone_answered, timeout=BOUND + 5)
    waits, spinners = {}, {}
    for chat in CHATS:
        replies = keyboard_replies(bot.api, chat, started)
        waits[chat] = replies[0].at - started if replies else float("inf")
        if pressed:
            answers = callback_answers(bot.api, chat, started)
            spinners[chat] = answers[0].at - started if answers else float("inf")
    return waits, spinners


async def test_twenty_people_starting_and_answering_at_once_all_get_answers_quickly(
    group: Harness,
) -> None:
    bot = group
    codes = await invite_codes(bot, PEOPLE)
    await bot.start()
    by_chat = dict(zip(CHATS, codes, strict=True))
    rounds = {  # name: (push, a button press)
        "/start CODE": (
            lambda chat: bot.api.push_command(chat, f"/start {by_chat[chat].replace('-', '')}"),
            False,
        ),
        "a language": (lambda chat: bot.api.push_callback(chat, "lang:en"), True),
        "consent": (lambda chat: bot.api.push_callback(chat, "c:yes"), True),
        "a typed answer": (lambda chat: bot.api.push_text(chat, "1"), False),
        "the next button": (
            lambda chat: bot.api.push_callback(chat, bot.api.last_keyboard(chat)[0][0][1] or ""),
            True,
        ),
    }
    slow: dict[str, dict[int, float]] = {}
    for name, (push, pressed) in rounds.items():
        waits, spinners = await all_at_once(bot, push, pressed)
        late = {chat: round(wait, 2) for chat, wait in waits.items() if wait > BOUND}
        if late:
            slow[name] = late
        # Every press is answered (the spinner stops), each within the bound too.
        late = {chat: round(wait, 2) for chat, wait in spinners.items() if wait > BOUND}
        if late:
            slow[f"{name}: answerCallbackQuery"] = late
    assert slow == {}, (
        f"answers later than {BOUND} s (inf: none): {slow}\n{bot.api.describe(40)}\n"
        f"{bot.log.read_text()[-3000:]}"
    )
    code = await bot.stop()
    log = bot.log.read_text()
    assert "Traceback" not in log, log
    assert code == 0, log
    assert bot.rows(AGREED) == [(PEOPLE,)]


async def test_sigterm_during_a_burst_stops_within_ten_seconds_and_keeps_what_was_confirmed(
    group: Harness,
) -> None:
    bot = group
    codes = await invite_codes(bot, PEOPLE)
    await bot.start()
    by_chat = dict(zip(CHATS, codes, strict=True))
    await all_at_once(
        bot, lambda chat: bot.api.push_command(chat, f"/start {by_chat[chat].replace('-', '')}")
    )
    await all_at_once(bot, lambda chat: bot.api.push_callback(chat, "lang:en"))
    # Everyone agrees at once, and /mydata besides (four messages each: a queue of
    # about a hundred sends at one a second per chat), then SIGTERM.
    for chat in CHATS:
        bot.api.push_callback(chat, "c:yes")
        bot.api.push_command(chat, "/mydata")
    await bot.api.wait_for(
        lambda calls: any(c.method == "sendDocument" for c in calls), timeout=BOUND
    )
    assert bot.proc is not None
    stopping = time.monotonic()
    bot.proc.terminate()
    try:
        code = await asyncio.wait_for(bot.proc.wait(), STOP_BOUND)
    except TimeoutError:
        bot.proc.kill()
        await bot.proc.wait()
        pytest.fail(f"still running {STOP_BOUND} s after SIGTERM:\n{bot.log.read_text()[-3000:]}")
    took = time.monotonic() - stopping
    log = bot.log.read_text()
    assert code == 0, log
    assert "Traceback" not in log, log
    assert took < STOP_BOUND
    # Whoever was shown the first question had their consent stored; the next start
    # answers what was left.
    confirmed = {
        chat
        for chat in CHATS
        if any(
            "reply_markup" in c.params and "Which languages" in str(c.params.get("text"))
            for c in bot.api.sent(chat)
        )
    }
    agreed = bot.rows(
        "select a.external_id from channel_account a join wegwijs_case c on c.id = a.case_id"
        " where c.consent_version is not null"
    )
    assert confirmed <= {row[0] for row in agreed}
    await bot.restart()
    await bot.api.wait_for(
        lambda _c: (
            len(bot.rows("select 1 from wegwijs_case where consent_version is not null")) == PEOPLE
        ),
        timeout=30,
    )
    assert await bot.stop() == 0
