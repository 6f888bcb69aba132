"""Migrations: upgrade to head, match the models, go down and up again."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from storage.db import Database
from storage.migrate import alembic_config, current_revision, downgrade, head_revision, upgrade
from storage.repositories import CaseRepository, PersonRequestRepository
from tests.clock import NOW
from tests.conftest import TestDatabase


async def test_fresh_database_is_at_head(database_url: TestDatabase) -> None:
    revision = await asyncio.to_thread(current_revision, database_url.url, database_url.schema)
    # The newest migration file is the head: a migration that forgets to name its
    # predecessor would make a second head, and this would fail.
    versions = Path(__file__).resolve().parents[2] / "storage" / "migrations" / "versions"
    newest = max(p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py"))
    assert revision == head_revision() == newest


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    """`head_revision` reads the scripts' revision lines so that checking a current
    database does not load Alembic; it must name the head Alembic would."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head_revision() == head


async def test_the_revision_read_from_the_table_is_alembics(database_url: TestDatabase) -> None:
    database = database_url.open()
    try:
        async with database.engine.connect() as conn:
            alembics = await conn.run_sync(
                lambda c: MigrationContext.configure(c).get_current_revision()
            )
    finally:
        await database.dispose()
    url, schema = database_url.url, database_url.schema
    assert await asyncio.to_thread(current_revision, url, schema) == alembics == head_revision()


async def test_migrated_schema_matches_the_models(db: Database) -> None:
    def diff(connection: Connection) -> list:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, SQLModel.metadata)

    async with db.engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


async def test_downgrade_to_base_and_upgrade_again(database_url: TestDatabase) -> None:
    url, schema = database_url.url, database_url.schema
    await asyncio.to_thread(downgrade, url, revision="base", schema=schema)
    assert await asyncio.to_thread(current_revision, url, schema) is None

    database = database_url.open()
    try:
        async with database.engine.connect() as conn:
            names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert names <= {"alembic_version"}
    finally:
        await database.dispose()

    await asyncio.to_thread(upgrade, url, schema=schema)
    assert await asyncio.to_thread(current_revision, url, schema) == head_revision()


async def test_upgrade_is_idempotent(database_url: TestDatabase) -> None:
    await asyncio.to_thread(upgrade, database_url.url, schema=database_url.schema)
    revision = await asyncio.to_thread(current_revision, database_url.url, database_url.schema)
    assert revision == head_revision()


def test_migrations_work_from_any_directory_without_alembic_ini(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    upgrade(url)
    assert current_revision(url) == head_revision()


async def test_calling_migrations_inside_the_event_loop_explains_to_thread(
    tmp_path: Path,
) -> None:
    with pytest.raises(RuntimeError, match="to_thread"):
        upgrade(f"sqlite:///{tmp_path / 'x.db'}")


async def test_person_requests_go_down_to_0001_and_up_again(database_url: TestDatabase) -> None:
    """Going down to 0001 drops what came later and keeps the 0001 tables and their rows."""
    now = NOW
    url, schema = database_url.url, database_url.schema

    async def tables() -> set[str]:
        database = database_url.open()
        try:
            async with database.engine.connect() as conn:
                return await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        finally:
            await database.dispose()

    assert await asyncio.to_thread(current_revision, url, schema) == head_revision()
    assert "person_request" in await tables()
    database = database_url.open()
    try:
        async with database.session() as s, s.begin():
            case = await CaseRepository(s).create(now=now)
            await PersonRequestRepository(s).create(case.id, "telegram", now=now)
    finally:
        await database.dispose()

    await asyncio.to_thread(downgrade, url, revision="0001", schema=schema)
    assert await asyncio.to_thread(current_revision, url, schema) == "0001"
    names = await tables()
    assert "person_request" not in names
    assert {"wegwijs_case", "channel_account", "conversation", "answer"} <= names

    await asyncio.to_thread(upgrade, url, schema=schema)
    assert await asyncio.to_thread(current_revision, url, schema) == head_revision()
    database = database_url.open()
    try:
        async with database.session() as s:
            assert await CaseRepository(s).get(case.id) is not None
            assert await PersonRequestRepository(s).open_all() == []
    finally:
        await database.dispose()


def test_every_table_is_defined_in_storage_models() -> None:
    """One place holds the schema: the module the migrations are written against."""
    import storage
    from storage import models

    defined = {
        name: getattr(storage, name).__module__
        for name in storage.__all__
        if hasattr(getattr(storage, name), "__table__")
    }
    assert set(defined.values()) == {"storage.models"}
    tables = {getattr(storage, name).__table__.name for name in defined}
    assert (
        tables
        == set(SQLModel.metadata.tables)
        == {getattr(models, name).__table__.name for name in models.__all__}
    )
