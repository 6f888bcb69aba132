"""Faults outside the bot, made from outside, under a group of people answering, on both
frameworks: the database away (a SQLite file locked by another process for 20 s; a
PostgreSQL server stopped and started again), and the Bot API unreachable (connections
cut, or 502) from the moment a reply is in flight, for longer than the outbox's old
give-up time. Each time: everyone has their next question within 30 s of the recovery,
no answer lost or doubled, nobody restarted anything."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import shutil
import time
from pathlib import Path

import pytest

from bench.common import WEBHOOK_SECRET
from bench.databases import database, postgres_reachable, seed
from bench.people import user_chats
from bench.processes import cli, free_port, wait_polling, wait_port
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
            await group.recovered(back)
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
                await group.recovered(back)
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
            await group.recovered(back)
        finally:
            assert await bot.stop() == 0
        clean_log(bot)
    await group.check(url)
    # While it was away the bot knocked a few times a second at most, polling included.
    assert len(during) / (back - began - 5.0) <= 4.0


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_webhook_workers_killed_one_after_another_during_a_burst_lose_nothing(
    framework: str, tmp_path: Path
) -> None:
    """Three webhook workers on PostgreSQL; one is killed (SIGKILL) 2 s after the last
    one was back, and started again at once, as systemd would; Telegram posts what was
    not answered 200 again, to the next worker. A killed worker's update that was saved
    but not answered shows the current question again: a question may come twice, an
    answer never."""
    if not await postgres_reachable():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not reachable")
    people, rounds = 8, 5
    async with FakeBotApi() as api, database("postgresql", tmp_path, "kill") as url:
        ports = [free_port() for _ in range(3)]
        workers = [
            start_bot(api, framework, url, tmp_path, f"worker-{n}-0", port=port)
            for n, port in enumerate(ports)
        ]
        cli(workers[0].env, "db", "upgrade")
        await seed(url, people, people)
        targets = [f"http://127.0.0.1:{port}/telegram/webhook" for port in ports]
        api.deliver_to(targets, WEBHOOK_SECRET, redelivery=1.0)
        for worker in workers:
            await worker.start()
        for worker, port in zip(workers, ports, strict=True):
            await worker.ready(wait_port(port))
        group, killed = Group(api, user_chats(people)), []

        async def kill_one_every_few_seconds() -> None:
            for turn in itertools.count():
                await asyncio.sleep(2.0)
                n = turn % len(workers)
                victim = workers[n]
                assert victim.proc is not None
                victim.proc.kill()
                await victim.proc.wait()
                killed.append(victim)
                workers[n] = start_bot(
                    api, framework, url, tmp_path, f"worker-{n}-{turn + 1}", port=ports[n]
                )
                await workers[n].start()
                await workers[n].ready(wait_port(ports[n]))  # then the next one, a while later

        killer = asyncio.ensure_future(kill_one_every_few_seconds())
        try:
            for turn in itertools.count():  # the group answers until three kills are past
                if turn >= rounds and len(killed) >= 3:
                    break
                assert turn < 45, "the workers were not killed during the burst"
                group.all_say()
                await group.all_answered(timeout=RECOVERY)
                await asyncio.sleep(0.5)  # reading the next question
        finally:
            killer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await killer
            for worker, port in zip(workers, ports, strict=True):
                await worker.ready(wait_port(port))  # not stopped while starting
                assert await worker.stop() == 0
        for worker in [*workers, *killed]:
            clean_log(worker)
        await group.check(url, shown_again=True)
