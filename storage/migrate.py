"""Run the Alembic migrations from code (``wegwijs db upgrade``, start-up, tests).

These functions are synchronous and run their own event loop: call them before the
application's loop starts, or from async code with ``await asyncio.to_thread(...)``.
They need no ``alembic.ini`` and work from any working directory.

Alembic itself (with Mako and Pygments, some 12 MB resident) is imported only to
migrate: checking that a database is current reads the version table and the
revision lines of the scripts directly, so a long-running process whose database is
already current never loads it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from storage.db import create_engine, normalize_url

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["alembic_config", "current_revision", "downgrade", "head_revision", "upgrade"]

SCRIPT_LOCATION = "storage:migrations"
VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
# `revision: str = "0007"` and `down_revision: … = "0006"` (or None) in each script.
_REVISION_LINE = re.compile(
    r"^(down_revision|revision)\b[^=\n]*=\s*(?:None|[\"']([^\"']+)[\"'])\s*$", re.MULTILINE
)

_T = TypeVar("_T")


def alembic_config(url: str | None = None, *, schema: str | None = None) -> Config:
    """An Alembic ``Config`` for Wegwijs' migrations, built without an ini file."""
    from alembic.config import Config

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
    from alembic import command

    command.upgrade(alembic_config(url, schema=schema), revision)


def downgrade(url: str, *, revision: str, schema: str | None = None) -> None:
    """Take the database back to ``revision`` (``"base"``: drop every table)."""
    from alembic import command

    command.downgrade(alembic_config(url, schema=schema), revision)


def head_revision() -> str:
    """The newest revision in the migration scripts: the one no other script follows.

    Read from the scripts' `revision` / `down_revision` lines rather than through
    Alembic's ScriptDirectory, which would load Alembic (tests/storage/test_migrations.py
    checks that both agree). Scripts whose lines do not read this simply (a merge of
    two heads) are left to Alembic."""
    revisions: dict[str, str | None] = {}
    for script in sorted(VERSIONS.glob("*.py")):
        found = dict(
            (name, value or None)
            for name, value in _REVISION_LINE.findall(script.read_text(encoding="utf-8"))
        )
        if set(found) != {"revision", "down_revision"} or found["revision"] is None:
            return _alembic_head()
        revisions[found["revision"]] = found["down_revision"]
    heads = set(revisions) - {down for down in revisions.values() if down is not None}
    if len(heads) != 1:
        return _alembic_head()
    return heads.pop()


def _alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migration scripts found in storage/migrations/versions")
    return head


def current_revision(url: str, schema: str | None = None) -> str | None:
    """The revision the database is at, or None if it was never migrated (what
    Alembic's MigrationContext reads, without loading Alembic)."""

    def _read(connection: Connection) -> str | None:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
        if len(rows) > 1:
            raise RuntimeError(f"the database is at several revisions: {sorted(rows)}")
        return rows[0][0] if rows else None

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
