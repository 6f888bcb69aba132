"""Reminders: 10,000 due reminders sent by three `wegwijs worker` processes on one
PostgreSQL through the fake Bot API; one worker is killed (SIGKILL) a third of the way.

Figures: the achieved rate against the configured one (each worker's TELEGRAM_RATE, so
the configured total is three times it), reminders lost and sent twice. The rate is
measured from the first to the last send, over the seconds the workers were sending; the
killed worker's lease (WEGWIJS_WORKER_LEASE) is a pause in which its claimed rows wait,
and it is part of that time.
"""

from __future__ import annotations

import asyncio
import time

from bench.common import Bench, database
from bench.report import Figure
from storage import Database, upgrade
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.reminder_load import (
    now_utc,
    reminder_counts,
    seed_due_reminders,
    sends_per_appointment,
    start_workers,
    stop_workers,
    worker_env,
)

NAME = "reminders"
WORKERS = 3
RATE_PER_WORKER = 50.0  # messages a second; Telegram's own limit is about 30 per bot
LEASE = 3.0


async def run(bench: Bench) -> list[Figure]:
    if not bench.postgres:
        return [Figure(NAME, "reminder workers on PostgreSQL", "skipped: no PostgreSQL")]
    count = 1_000 if bench.quick else 10_000
    chats = count // 4
    async with database("postgresql", bench.workdir, "reminders") as url:
        await asyncio.to_thread(upgrade, url)
        db = Database(url)
        try:
            await seed_due_reminders(db, count, chats, now_utc())
            async with FakeBotApi() as api:
                env = worker_env(
                    api,
                    url,
                    TELEGRAM_RATE=str(RATE_PER_WORKER),
                    TELEGRAM_CHAT_RATE="30",
                    WEGWIJS_WORKER_LEASE=str(LEASE),
                )
                workers = await start_workers(WORKERS, env, bench.workdir)
                killed_at: float | None = None
                deadline = time.monotonic() + 600
                try:
                    while (await reminder_counts(db))["sent"] < count:
                        if time.monotonic() > deadline:
                            break
                        sent = sum(sends_per_appointment(api).values())
                        if killed_at is None and sent >= count // 3:
                            workers[0].kill()
                            await workers[0].wait()
                            killed_at = time.monotonic()
                            bench.log("  killed one worker")
                        await asyncio.sleep(0.5)
                finally:
                    await stop_workers(workers)
                sends = [c.at for c in api.calls if c.method == "sendMessage" and c.status == 200]
                counts = sends_per_appointment(api)
            final = await reminder_counts(db)
        finally:
            await db.dispose()
    configured = WORKERS * RATE_PER_WORKER
    three = _rate([t for t in sends if killed_at is None or t < killed_at])
    two = _rate([t for t in sends if killed_at is not None and t > killed_at + LEASE])
    lost = count - len(counts)
    doubled = sum(n - 1 for n in counts.values())
    note = (
        f"{count} reminders to {chats} chats, {WORKERS} workers on PostgreSQL at "
        f"{RATE_PER_WORKER:.0f}/s each, one killed a third of the way; "
        f"{final['sent']} marked sent"
    )
    after = (WORKERS - 1) * RATE_PER_WORKER
    return [
        Figure(NAME, "reminders/s, 3 workers", round(three, 1), "/s", note=note),
        Figure(
            NAME,
            f"achieved / configured ({configured:.0f}/s)",
            round(three / configured, 3),
            "",
            "≥ 0.95",
            three / configured >= 0.95,
        ),
        Figure(
            NAME,
            f"achieved / configured after the kill ({after:.0f}/s)",
            round(two / after, 3),
            "",
            "≥ 0.95",
            two / after >= 0.95,
        ),
        Figure(NAME, "reminders lost", lost, "", "0", lost == 0),
        Figure(NAME, "reminders sent twice", doubled, "", "≤ 1 (one killed worker)", doubled <= 1),
    ]


def _rate(moments: list[float]) -> float:
    """Messages a second between the first and the last of `moments`."""
    if len(moments) < 2 or moments[-1] == moments[0]:
        return 0.0
    return (len(moments) - 1) / (moments[-1] - moments[0])
