"""Run the Alembic migrations from code (``wegwijs db upgrade``, start-up, tests).

These functions are synchronous and run their own event loop: call them before the
application's loop starts, or from async code with ``await asyncio.to_thread(...)``.
They need no ``alembic.ini`` and work from any working directory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from storage.db import create_engine, normalize_url

__all__ = ["alembic_config", "current_revision", "downgrade", "head_revision", "upgrade"]

SCRIPT_LOCATION = "storage:migrations"

_T = TypeVar("_T")


def alembic_config(url: str | None = None, *, schema: str | None = None) -> Config:
    """An Alembic ``Config`` for Wegwijs' migrations, built without an ini file."""
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    cfg.set_main_option("path_separator", "os")
    if url is not None:
        # ConfigParser interpolates '%': a percent-encoded password must be escaped.
        cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    cfg.attributes["schema"] = schema
    return cfg


def upgrade(url: str, *, revision: str = "head", schema: str | None = None) -> None:
    """Bring the database at ``url`` up to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(url, schema=schema), revision)


def downgrade(url: str, *, revision: str, schema: str | None = None) -> None:
    """Take the database back to ``revision`` (``"base"``: drop every table)."""
    command.downgrade(alembic_config(url, schema=schema), revision)


def head_revision() -> str:
    """The newest revision in the migration scripts."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migration scripts found in storage/migrations/versions")
    return head


def current_revision(url: str, schema: str | None = None) -> str | None:
    """The revision the database is at, or None if it was never migrated."""

    def _read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async def _run() -> str | None:
        engine = create_engine(url, schema=schema, poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(_read)
        finally:
            await engine.dispose()

    return _run_sync(_run())


def _run_sync(coro: Coroutine[Any, Any, _T]) -> _T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    coro.close()
    raise RuntimeError(
        "storage.migrate was called inside a running event loop; "
        "use await asyncio.to_thread(...) instead."
    )
