"""Due reminders in bulk, and `wegwijs worker` processes to send them: shared by the
multi-worker test (tests/e2e/test_reminder_workers.py) and the reminder benchmark.

Rows are written with plain bulk INSERTs (not through the planning service), so 10,000
due reminders take a second, not minutes. Each appointment gets exactly one due
reminder, and its buttons carry the appointment id (``p:<id>:y``): counting the
sendMessage calls per id at the fake Bot API counts the sends per reminder.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.pool import NullPool

from storage import Appointment, Case, ChannelAccount, Database, Reminder, create_engine, upgrade
from tests.e2e.fake_bot_api import DEFAULT_TOKEN, FakeBotApi

WEGWIJS = str(Path(sys.executable).with_name("wegwijs"))
FIRST_CHAT = 9_100_000_000


async def create_database(admin_url: str) -> str:
    """A fresh PostgreSQL database next to ``admin_url``'s, migrated; returns its URL."""
    name = f"wegwijs_load_{secrets.token_hex(4)}"
    engine = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    await asyncio.to_thread(upgrade, url)
    return url


async def drop_database(admin_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await engine.dispose()


async def seed_due_reminders(db: Database, count: int, chats: int, now: datetime) -> None:
    """``count`` appointments tomorrow over ``chats`` people, each with one reminder due
    now."""
    start = now + timedelta(days=1)
    cases = [
        {
            "id": f"load{n:08d}",
            "invite_code": f"LD{n:06d}",
            "language": "en",
            "status": "open",
            "created_at": now,
            "updated_at": now,
        }
        for n in range(chats)
    ]
    accounts = [
        {
            "channel": "telegram",
            "external_id": FIRST_CHAT + n,
            "case_id": f"load{n:08d}",
            "language": "en",
            "created_at": now,
            "last_seen_at": now,
        }
        for n in range(chats)
    ]
    appointments = [
        {
            "id": n + 1,
            "case_id": f"load{n % chats:08d}",
            "kind": "voortgangsgesprek",
            "starts_at": start + timedelta(minutes=n),
            "ends_at": start + timedelta(minutes=n + 45),
            "mode": "in_person",
            "place": "Stadhuisplein 1",
            "with_role": "consulent",
            "status": "planned",
            "interpreter_requested": False,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
    ]
    reminders = [
        {
            "appointment_id": n + 1,
            "purpose": "reminder",
            "offset_minutes": 24 * 60,
            "due_at": now - timedelta(seconds=1),
            "available_at": now - timedelta(seconds=1),
            "status": "pending",
            "attempts": 0,
            "created_at": now,
        }
        for n in range(count)
    ]
    async with db.session() as session, session.begin():
        for table, rows in (
            (Case, cases),
            (ChannelAccount, accounts),
            (Appointment, appointments),
            (Reminder, reminders),
        ):
            for chunk in range(0, len(rows), 2000):
                await session.exec(insert(table.__table__), params=rows[chunk : chunk + 2000])
        if db.dialect == "postgresql":
            await session.exec(
                text("SELECT setval(pg_get_serial_sequence('appointment', 'id'), :n)"),
                params={"n": count},
            )


async def reminder_counts(db: Database) -> Counter[str]:
    async with db.session() as session:
        rows = await session.exec(text("SELECT status, count(*) FROM reminder GROUP BY status"))
        return Counter({status: n for status, n in rows.all()})


def sends_per_appointment(api: FakeBotApi) -> Counter[int]:
    """How often each appointment's reminder reached the fake Bot API."""
    counts: Counter[int] = Counter()
    for call in api.calls:
        if call.method != "sendMessage" or call.status != 200:
            continue
        markup = call.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            data = row[0].get("callback_data", "")
            if data.startswith("p:") and data.endswith(":y"):
                counts[int(data.split(":")[1])] += 1
                break
    return counts


def worker_env(api: FakeBotApi, url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_URL": url,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


async def start_workers(
    n: int, env: dict[str, str], logs: Path
) -> list[asyncio.subprocess.Process]:
    processes = []
    for i in range(n):
        with (logs / f"worker-{i}.log").open("a") as log:
            processes.append(
                await asyncio.create_subprocess_exec(
                    WEGWIJS, "worker", env=env, stdout=log, stderr=subprocess.STDOUT
                )
            )
    return processes


async def stop_workers(processes: list[asyncio.subprocess.Process]) -> list[int]:
    codes = []
    for process in processes:
        if process.returncode is None:
            process.terminate()
        try:
            codes.append(await asyncio.wait_for(process.wait(), 20))
        except TimeoutError:
            process.kill()
            codes.append(await process.wait())
    return codes


def now_utc() -> datetime:
    return datetime.now(UTC)
