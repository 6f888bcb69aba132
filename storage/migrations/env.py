"""Alembic environment for Wegwijs (asyncio engines: aiosqlite, asyncpg).

The URL comes from ``sqlalchemy.url`` in the Alembic config (set by
``storage.migrate``) or else from the ``DATABASE_URL`` environment variable, and is
normalised like the application's own. ``config.attributes["schema"]`` puts a
PostgreSQL connection's ``search_path`` on that schema (used by the tests), and
``config.attributes["connection"]`` may hand in an open sync ``Connection``
(e.g. from ``AsyncConnection.run_sync``) to migrate on it.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import pool
from sqlalchemy.engine import Connection, make_url
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

# The one module that defines the tables, so SQLModel.metadata holds them all.
import storage.models  # noqa: F401
from storage.crypto import EncryptedString, EncryptedText
from storage.db import create_engine, normalize_url
from storage.types import UTCDateTime

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata

# Held for the migration's transaction: workers that start together on one
# PostgreSQL migrate one after the other instead of racing.
_PG_MIGRATION_LOCK = 0x5765_6777_696A  # "Wegwij"


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    if not url:
        raise RuntimeError(
            "No database URL for migrations: set DATABASE_URL "
            "(e.g. sqlite:///./wegwijs.db) or use storage.migrate.upgrade(url)."
        )
    return normalize_url(url)


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Write our column types as plain SQLAlchemy types, so migrations need neither
    ``storage`` nor ``sqlmodel`` to import and stay valid if those change."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    if type_ == "type" and isinstance(obj, EncryptedString):
        return "sa.String()"  # ciphertext is text; encrypting is the application's job
    if type_ == "type" and isinstance(obj, EncryptedText):
        return "sa.Text()"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_item=render_item,
        compare_type=True,
        compare_server_default=True,
        **kwargs,
    )


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    url = _url()
    _configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=make_url(url).get_backend_name() == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection, own_engine: bool = False) -> None:
    sqlite = connection.dialect.name == "sqlite"
    options: dict[str, Any] = {"render_as_batch": sqlite}
    if sqlite and own_engine:
        # Our engine (storage.db) makes SQLAlchemy emit BEGIN itself, which makes
        # SQLite's DDL transactional: the whole upgrade commits or nothing does.
        options["transactional_ddl"] = True
    _configure(connection=connection, **options)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        context.run_migrations()


async def run_async_migrations() -> None:
    # foreign_keys=False on SQLite: batch mode rebuilds tables by copy-and-drop,
    # which must not fire ON DELETE CASCADE.
    engine = create_engine(
        _url(),
        schema=config.attributes.get("schema"),
        poolclass=pool.NullPool,
        foreign_keys=False,
    )
    try:
        async with engine.connect() as connection:
            await connection.run_sync(do_run_migrations, True)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        do_run_migrations(connection)
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(run_async_migrations())
        return
    raise RuntimeError(
        "Migrations were started inside a running event loop. Run them before the "
        "loop starts, or in a thread: await asyncio.to_thread(storage.migrate.upgrade, url)."
    )


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
