"""`wegwijs db backup` while the bot answers, `wegwijs db restore` into a new database,
and `wegwijs export` gives the same for every case: on SQLite (the online backup API)
and on PostgreSQL (pg_dump / pg_restore)."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from storage import create_engine
from tests.conftest import _postgres_unavailable, postgres_url
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.harness import SECRET_KEY, WEGWIJS, Harness

PEOPLE = 2
CHAT = 8_300_000_000


async def _admin(sql: str) -> None:
    base = postgres_url().rsplit("/", 1)[0] + "/postgres"
    engine = create_engine(base, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.fixture
async def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[list[str]]:
    """Makes new, empty databases of the test's dialect: call `make(name)`; dropped after."""
    made: list[str] = []
    yield made
    for name in made:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def empty_database(dialect: str, tmp_path: Path, made: list[str], name: str) -> str:
    if dialect == "sqlite":
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    database = f"{name}_{secrets.token_hex(4)}"
    try:
        await _admin(f'CREATE DATABASE "{database}"')
    except Exception as exc:
        _postgres_unavailable(f"{type(exc).__name__}")
    made.append(database)
    return postgres_url().rsplit("/", 1)[0] + f"/{database}"


def wegwijs(url: str, *args: str, key: str | None = SECRET_KEY) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("WEGWIJS_SECRET_KEY", None)
    if key:
        env["WEGWIJS_SECRET_KEY"] = key
    return subprocess.run([WEGWIJS, *args], env=env, capture_output=True, text=True, timeout=120)


async def each(call, items):  # type: ignore[no-untyped-def]
    """`call(item)` for every item, side by side (each is a CLI process)."""
    return await asyncio.gather(*(asyncio.to_thread(call, item) for item in items))


async def answer_some(bot: Harness, chat: int, code: str) -> None:
    await bot.command(chat, f"/start {code.replace('-', '')}")
    await bot.press(chat, "lang:en")
    await bot.press(chat, "c:yes")
    for line in ("1, 9, 12", "Aramees", "2", "1"):
        await bot.say(chat, line)


async def chatter(bot: Harness, stop: asyncio.Event) -> int:
    """People without a case asking for help, over and over: the bot writes (processed
    updates, conversations) all through the backup; no case's export changes."""
    answered = 0
    while not stop.is_set():
        await asyncio.gather(*(bot.command(CHAT + 100 + i, "/help") for i in range(3)))
        answered += 3
    return answered


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
async def test_a_backup_taken_while_the_bot_answers_restores_to_the_same_exports(
    dialect: str, tmp_path: Path, migrated_sqlite: Path, new_database: list[str]
) -> None:
    source = await empty_database(dialect, tmp_path, new_database, "source")
    target = await empty_database(dialect, tmp_path, new_database, "restored")
    backup_file = tmp_path / "wegwijs.backup"
    async with FakeBotApi() as api:
        bot = Harness(api, "aiogram", tmp_path)
        if dialect == "sqlite":
            bot.migrate(migrated_sqlite)
        else:
            bot.extra_env["DATABASE_URL"] = source
            assert bot.cli("db", "upgrade").returncode == 0
        await bot.start()
        try:
            codes = await asyncio.gather(*(asyncio.to_thread(bot.new_case) for _ in range(PEOPLE)))
            await asyncio.gather(*(answer_some(bot, CHAT + i, c) for i, c in enumerate(codes)))
            day = (date.today() + timedelta(days=60)).isoformat()
            for code in codes:
                planned = bot.cli(
                    "appointment", "add", code, "--kind", "pip", "--start", f"{day} 10:00"
                )
                assert planned.returncode == 0, planned.stderr
            stop = asyncio.Event()
            traffic = asyncio.create_task(chatter(bot, stop))
            await asyncio.sleep(0.5)
            made = await asyncio.to_thread(bot.cli, "db", "backup", str(backup_file))
            stop.set()
            assert await traffic > 0
            assert made.returncode == 0, made.stderr
        finally:
            await bot.stop()
        exports = [r.stdout for r in await each(lambda c: bot.cli("export", c), codes)]

    assert wegwijs(target, "db", "restore", str(backup_file)).returncode == 0
    restored = await each(lambda c: wegwijs(target, "export", c), codes)
    for code, export, again in zip(codes, exports, restored, strict=True):
        assert again.returncode == 0, again.stderr
        assert again.stdout == export, code
        assert '"kind": "pip"' in again.stdout
    if dialect == "postgresql":
        return  # the refusals below are the same code on both
    # The free text in it is encrypted: without the key, a clear refusal.
    keyless = wegwijs(target, "export", codes[0], key=None)
    assert keyless.returncode == 2 and "WEGWIJS_SECRET_KEY is not set" in keyless.stderr
    # Over a database that has cases: refused, unless --force.
    refused = wegwijs(target, "db", "restore", str(backup_file))
    assert refused.returncode != 0
    assert f"has {PEOPLE} case(s)" in refused.stderr and "--force" in refused.stderr
    assert wegwijs(target, "db", "restore", str(backup_file), "--force").returncode == 0


def test_a_missing_backup_file_and_a_missing_pg_dump_are_clear_messages(tmp_path: Path) -> None:
    missing = wegwijs(f"sqlite:///{tmp_path / 'x.db'}", "db", "restore", str(tmp_path / "no"))
    assert missing.returncode == 2 and "there is no backup file" in missing.stderr
    env = {**os.environ, "DATABASE_URL": postgres_url(), "PATH": str(tmp_path)}
    no_tool = subprocess.run(
        [WEGWIJS, "db", "backup", str(tmp_path / "b")], env=env, capture_output=True, text=True
    )
    assert no_tool.returncode == 2
    assert "pg_dump is not installed" in no_tool.stderr and "Traceback" not in no_tool.stderr


def test_a_file_that_is_no_backup_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_text("not a database")
    refused = wegwijs(f"sqlite:///{tmp_path / 'new.db'}", "db", "restore", str(junk))
    assert refused.returncode == 2 and "not a Wegwijs SQLite backup" in refused.stderr
