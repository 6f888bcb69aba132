"""Shared fixtures: a fresh, migrated database per test, on SQLite and on PostgreSQL;
the test's clock (``tests.clock``).

``database_url`` is parametrised over both dialects, so every test that uses it (or
``db``) runs twice. PostgreSQL comes from ``WEGWIJS_TEST_POSTGRES_URL`` (default
``postgresql+asyncpg://postgres@127.0.0.1:5432/test``); each test gets its own schema
``t_<hex>``, dropped afterwards. Without a reachable PostgreSQL those tests are
skipped — except under CI (``CI=true``), where they fail so the gap is not hidden.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from storage.db import Database, create_engine, safe_url
from storage.migrate import upgrade
from tests.clock import Clock

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"

# Why PostgreSQL could not be reached, once per run, so later tests skip at once.
_postgres_down: str | None = None


@dataclass(frozen=True)
class TestDatabase:
    """Where a test's database lives: ``Database(url, schema=schema)`` opens it."""

    __test__ = False  # not a test class, despite the name

    url: str
    schema: str | None = None
    dialect: str = "sqlite"

    def open(self) -> Database:
        return Database(self.url, schema=self.schema)


def postgres_url() -> str:
    return os.environ.get("WEGWIJS_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _postgres_unavailable(reason: str) -> None:
    message = f"PostgreSQL at {safe_url(postgres_url())} is not reachable: {reason}"
    if _in_ci():
        pytest.fail(f"{message} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(message)


async def _admin(*statements: str) -> None:
    engine = create_engine(postgres_url(), poolclass=NullPool, connect_args={"timeout": 5})
    try:
        async with engine.begin() as conn:
            for sql in statements:
                await conn.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database migrated to head through ``storage.migrate.upgrade``, once per
    test process: each test's database is a copy (a migration costs 0.1-0.3 s, and there
    are hundreds of such tests; ``tests/storage/test_migrations.py`` runs them itself)."""
    template = tmp_path_factory.mktemp("migrated") / "wegwijs.db"
    upgrade(f"sqlite+aiosqlite:///{template}")
    return template


def fresh_sqlite(template: Path, folder: Path) -> TestDatabase:
    """A test's own SQLite database, at head: a copy of ``migrated_sqlite``."""
    path = folder / "wegwijs.db"
    shutil.copyfile(template, path)
    return TestDatabase(url=f"sqlite+aiosqlite:///{path}")


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path
) -> AsyncIterator[TestDatabase]:
    """A fresh database at the newest schema (``storage.migrate.upgrade``)."""
    global _postgres_down
    if request.param == "sqlite":
        yield fresh_sqlite(migrated_sqlite, tmp_path)
        return

    if _postgres_down is not None:
        _postgres_unavailable(_postgres_down)
    schema = f"t_{secrets.token_hex(6)}"
    try:
        await _admin(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:  # any failure to reach it: refused, auth, missing database
        _postgres_down = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        _postgres_unavailable(_postgres_down)
    target = TestDatabase(url=postgres_url(), schema=schema, dialect="postgresql")
    try:
        await asyncio.to_thread(upgrade, target.url, schema=schema)
        yield target
    finally:
        await _admin("SET lock_timeout = '10s'", f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
async def db(database_url: TestDatabase) -> AsyncIterator[Database]:
    """A ``Database`` on the fresh migrated database; disposed after the test."""
    database = database_url.open()
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def clock() -> Clock:
    """The test's clock, standing at ``tests.clock.NOW`` until the test moves it."""
    return Clock()
