"""URLs: the sync spellings people write are accepted; nothing leaks a password."""

from __future__ import annotations

import asyncio

import pytest

from storage.db import Database, StorageUnavailable, dialect_name, normalize_url, safe_url
from tests.conftest import TestDatabase


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///./wegwijs.db", "sqlite+aiosqlite:///./wegwijs.db"),
        ("sqlite:////var/lib/wegwijs.db", "sqlite+aiosqlite:////var/lib/wegwijs.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u:p@db:5432/w", "postgresql+asyncpg://u:p@db:5432/w"),
        ("postgres://u:p@db/w", "postgresql+asyncpg://u:p@db/w"),
        ("postgresql+asyncpg://u@db/w", "postgresql+asyncpg://u@db/w"),
    ],
)
def test_sync_spellings_become_async_drivers(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "mysql://root:hunter2@db/w",
        "postgresql+psycopg2://u:hunter2@db/w",
        "sqlite+pysqlite:///x.db",
        "wegwijs.db",
    ],
)
def test_unsupported_url_is_refused_with_the_accepted_forms(bad: str) -> None:
    with pytest.raises(ValueError) as info:
        normalize_url(bad)
    message = str(info.value)
    assert "sqlite:///" in message
    assert "postgresql://" in message
    assert "postgresql+asyncpg://" in message
    assert "hunter2" not in message


def test_safe_url_masks_the_password() -> None:
    shown = safe_url("postgresql+asyncpg://wegwijs:s3cr%40t@db.example:5432/w")
    assert "s3cr" not in shown
    assert "wegwijs" in shown
    assert "db.example" in shown


async def test_ping_succeeds_on_a_reachable_database(db: Database) -> None:
    await db.ping()


async def test_dialect_is_reported(db: Database, database_url: TestDatabase) -> None:
    assert db.dialect == database_url.dialect
    async with db.session() as session:
        assert dialect_name(session) == database_url.dialect


async def test_unreachable_postgres_raises_storage_unavailable_without_password() -> None:
    database = Database("postgresql://wegwijs:Geheim-Wachtwoord-42@127.0.0.1:1/wegwijs")
    try:
        with pytest.raises(StorageUnavailable) as info:
            await database.ping(timeout=5)
    finally:
        await database.dispose()
    message = str(info.value)
    assert "Geheim-Wachtwoord-42" not in message
    assert "127.0.0.1:1" in message
    assert "Geheim-Wachtwoord-42" not in repr(info.value)


async def test_unreachable_sqlite_raises_storage_unavailable(tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path}/no/such/dir/wegwijs.db")
    try:
        with pytest.raises(StorageUnavailable, match="Cannot reach the database"):
            await database.ping()
    finally:
        await database.dispose()
    # aiosqlite stops the worker thread of a failed connect without awaiting it;
    # let it finish while this test's event loop is still open.
    await asyncio.sleep(0.1)
