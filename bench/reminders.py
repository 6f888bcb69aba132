"""Reminders: 10,000 due reminders sent by three `wegwijs worker` processes on one
PostgreSQL through the fake Bot API; one worker is killed (SIGKILL) a third of the way.

Figures: the achieved rate against the configured one, reminders lost and sent twice.
The configured rate (TELEGRAM_RATE) is for all workers together: they share one send
budget in the database, as Telegram's limit is per bot. It is raised above Telegram's 30
a second here so the run is short; what is measured is whether the workers keep to it and
fill it. The rate counts from the first to the last send, the kill included.
"""

from __future__ import annotations

import asyncio
import time

from bench.common import Bench
from bench.databases import database
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
RATE = 100.0  # messages a second, all workers together (what this 2-core machine can serve)
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
                    TELEGRAM_RATE=str(RATE),
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
    achieved = _rate(sends)
    three = _rate([t for t in sends if killed_at is None or t < killed_at])
    lost = count - len(counts)
    doubled = sum(n - 1 for n in counts.values())
    note = (
        f"{count} reminders to {chats} chats, {WORKERS} workers on PostgreSQL sharing "
        f"{RATE:.0f}/s, one killed a third of the way; {final['sent']} marked sent"
    )
    return [
        Figure(NAME, "reminders sent per second", round(achieved, 1), "/s", note=note),
        Figure(NAME, "before the kill, per second", round(three, 1), "/s"),
        Figure(
            NAME,
            f"achieved / configured ({RATE:.0f}/s)",
            round(achieved / RATE, 3),
            "",
            "≥ 0.95, ≤ 1.05",
            0.95 <= achieved / RATE <= 1.05,
        ),
        Figure(NAME, "reminders lost", lost, "", "0", lost == 0),
        Figure(NAME, "reminders sent twice", doubled, "", "≤ 1 (one killed worker)", doubled <= 1),
    ]


def _rate(moments: list[float]) -> float:
    """Messages a second between the first and the last of `moments`."""
    if len(moments) < 2 or moments[-1] == moments[0]:
        return 0.0
    return (len(moments) - 1) / (moments[-1] - moments[0])
