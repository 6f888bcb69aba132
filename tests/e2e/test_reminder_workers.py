"""Three `wegwijs worker` processes on one PostgreSQL send 2,000 due reminders through the
fake Bot API; one is killed (SIGKILL) midway. Every reminder arrives, and the only
duplicates are the at most one message the killed worker had sent but not yet marked."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from storage import Database
from tests.conftest import postgres_url
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.reminder_load import (
    create_database,
    drop_database,
    now_utc,
    reminder_counts,
    seed_due_reminders,
    sends_per_appointment,
    start_workers,
    stop_workers,
    worker_env,
)

REMINDERS = 2000
CHATS = 500


@pytest.fixture
async def load_database(database_url) -> str:
    """A database of its own (the workers are separate processes, so a schema per test
    cannot be handed to them); only on PostgreSQL, where several workers make sense."""
    if database_url.dialect != "postgresql":
        pytest.skip("several workers need PostgreSQL (SQLite runs one worker)")
    url = await create_database(postgres_url())
    try:
        yield url
    finally:
        await drop_database(postgres_url(), url)


async def wait_until(predicate, timeout: float, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(every)


async def test_three_workers_one_killed_send_every_reminder_once(
    load_database: str, tmp_path: Path
) -> None:
    db = Database(load_database)
    try:
        await seed_due_reminders(db, REMINDERS, CHATS, now_utc())
        async with FakeBotApi() as api:
            env = worker_env(
                api,
                load_database,
                TELEGRAM_RATE="1000",
                TELEGRAM_CHAT_RATE="30",
                WEGWIJS_WORKER_LEASE="3",
            )
            workers = await start_workers(3, env, tmp_path)
            try:

                async def a_third_sent() -> bool:
                    return sum(sends_per_appointment(api).values()) >= REMINDERS // 3

                await wait_until(a_third_sent, timeout=120)
                workers[0].kill()
                await workers[0].wait()

                async def all_sent() -> bool:
                    return (await reminder_counts(db))["sent"] == REMINDERS

                await wait_until(all_sent, timeout=120, every=0.5)
            finally:
                codes = await stop_workers(workers)
            counts = sends_per_appointment(api)
    finally:
        await db.dispose()
    duplicates = sum(n - 1 for n in counts.values())
    print(
        f"\n{REMINDERS} reminders, 3 workers, 1 killed: {len(counts)} delivered, "
        f"{duplicates} duplicate(s)"
    )
    assert set(counts) == set(range(1, REMINDERS + 1)), "every reminder arrived"
    assert max(counts.values()) <= 2
    assert duplicates <= 1, "at most one duplicate for the one killed worker"
    assert codes[0] != 0 and codes[1:] == [0, 0]  # the killed one, and two clean stops
    logs = "".join(p.read_text() for p in tmp_path.glob("worker-*.log"))
    assert "Traceback" not in logs
