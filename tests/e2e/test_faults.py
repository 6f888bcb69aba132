"""Faults outside the bot, made from outside, under a group of people answering, on both
frameworks: the database away (a SQLite file locked by another process for 20 s; a
PostgreSQL server stopped and started again), and the Bot API unreachable (connections
cut, or 502) from the moment a reply is in flight, for longer than the outbox's old
give-up time. Each time: everyone has their next question within 30 s of the recovery,
no answer lost or doubled, nobody restarted anything."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest

from bench.common import (
    WEBHOOK_SECRET,
    cli,
    free_port,
    seed,
    user_chats,
    wait_polling,
    wait_port,
)
from tests.e2e.fake_bot_api import Call, FakeBotApi
from tests.e2e.faults import RECOVERY, Group, clean_log, own_postgres, sqlite_locked, start_bot

PEOPLE = 5
FRAMEWORKS = ["aiogram", "ptb"]


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_sqlite_file_locked_for_20_seconds_leaves_nobody_without_an_answer(
    framework: str, tmp_path: Path, migrated_sqlite: Path
) -> None:
    path = tmp_path / "wegwijs.db"
    shutil.copyfile(migrated_sqlite, path)
    url = f"sqlite:///{path}"
    await seed(url, PEOPLE, PEOPLE)
    async with FakeBotApi() as api:
        bot = start_bot(api, framework, url, tmp_path, "bot")  # polling
        await bot.start()
        group = Group(api, user_chats(PEOPLE))
        try:
            await bot.ready(wait_polling(api))
            group.all_say()
            await group.all_answered(timeout=30)
            async with sqlite_locked(path, 20.0) as released:
                await asyncio.sleep(1.0)
                group.all_say()  # while the file is locked
                back = await released
            assert group.unanswered(), "the lock did not hold anyone up"
            last = await group.all_answered(timeout=RECOVERY + 5)
            assert last - back <= RECOVERY
            group.all_say()
            await group.all_answered(timeout=30)
        finally:
            assert await bot.stop() == 0
        log = clean_log(bot)
    assert "database is away" in log
    await group.check(url)
    for chat in group.chats:  # told at most once that their answer comes in a minute
        assert len([t for t in api.texts(chat) if "in a minute" in t]) <= 1


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_postgres_server_stopped_and_started_leaves_nobody_without_an_answer(
    framework: str, tmp_path: Path
) -> None:
    with own_postgres() as server:
        async with FakeBotApi() as api:
            port = free_port()
            bot = start_bot(api, framework, server.url, tmp_path, "bot", port=port)
            cli(bot.env, "db", "upgrade")
            await seed(server.url, PEOPLE, PEOPLE)
            api.deliver_to([f"http://127.0.0.1:{port}/telegram/webhook"], WEBHOOK_SECRET, 2.0)
            await bot.start()
            group = Group(api, user_chats(PEOPLE))
            try:
                await bot.ready(wait_port(port))
                group.all_say()
                await group.all_answered(timeout=30)
                await asyncio.to_thread(server.stop)
                group.all_say()  # while the server is down, longer than a webhook holds
                await asyncio.sleep(25.0)
                assert group.unanswered() == group.chats
                await asyncio.to_thread(server.start)
                back = time.monotonic()
                last = await group.all_answered(timeout=RECOVERY + 5)
                assert last - back <= RECOVERY
                group.all_say()
                await group.all_answered(timeout=30)
            finally:
                assert await bot.stop() == 0
            log = clean_log(bot)
            assert "database is away" in log
            assert any(status == 503 for _, _, status in api.deliveries)  # handed back, redelivered
            await group.check(server.url)


OUTAGES = [  # framework, how, seconds, at the defaults (else outage and backoff shortened)
    pytest.param("aiogram", "reset", 60.0, True, id="aiogram-reset-60s-defaults"),
    pytest.param("ptb", "reset", 20.0, False, id="ptb-reset-20s"),
    pytest.param("aiogram", "502", 20.0, False, id="aiogram-502-20s"),
    pytest.param("ptb", "502", 20.0, False, id="ptb-502-20s"),
]


@pytest.mark.parametrize(("framework", "how", "seconds", "defaults"), OUTAGES)
async def test_the_bot_api_away_from_a_reply_in_flight_leaves_nobody_without_an_answer(
    framework: str, how: str, seconds: float, defaults: bool, tmp_path: Path, migrated_sqlite: Path
) -> None:
    path = tmp_path / "wegwijs.db"
    shutil.copyfile(migrated_sqlite, path)
    url = f"sqlite:///{path}"
    await seed(url, PEOPLE, PEOPLE)
    shortened = {} if defaults else {"TELEGRAM_RETRY_CAP": "3"}
    async with FakeBotApi() as api:
        bot = start_bot(api, framework, url, tmp_path, "bot", defaults=defaults, env=shortened)
        await bot.start()
        group = Group(api, user_chats(PEOPLE))
        first, *others = group.chats
        try:
            await bot.ready(wait_polling(api))
            group.all_say()
            await group.all_answered(timeout=30)

            def in_flight(call: Call) -> bool:
                return call.method == "sendMessage" and api.chat_of(call) == first

            api.away_from(in_flight, how)
            group.say(first)
            await api.wait_for(lambda _calls: api.away is not None, timeout=30)
            began = time.monotonic()
            for chat in others:  # they write while it is away
                await asyncio.sleep(seconds / 8)
                group.say(chat)
            await asyncio.sleep(max(0.0, seconds - (time.monotonic() - began)))
            during = [c for c in api.calls if c.at >= began + 5.0]
            api.come_back()
            back = time.monotonic()
            last = await group.all_answered(timeout=RECOVERY + 5)
            assert last - back <= RECOVERY
            group.all_say()
            await group.all_answered(timeout=30)
        finally:
            assert await bot.stop() == 0
        clean_log(bot)
    await group.check(url)
    # While it was away the bot knocked a few times a second at most, polling included.
    assert len(during) / (back - began - 5.0) <= 4.0
