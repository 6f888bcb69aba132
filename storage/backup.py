"""Backups of the whole database, and restoring one (`wegwijs db backup|restore`).

SQLite: the online backup API (`sqlite3.Connection.backup`), a consistent copy taken
while the bot and the worker go on writing (WAL readers never block the writer). A
restore writes the backup into the database through the same API, so the file keeps its
place, owner and mode.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` (the PostgreSQL client programs,
Debian's `postgresql-client`), which know every type, sequence and constraint; written
here only to call them, with the password given in the environment, never on a command
line another user could read in `ps`.

A backup holds everything: cases, answers (free text encrypted with WEGWIJS_SECRET_KEY
when set), appointments, reminders, dashboard users (password hashes), the audit log."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from storage.db import create_engine, normalize_url, sqlite_file

__all__ = ["BackupError", "RestoreRefused", "backup", "cases_in", "restore"]

CASE_TABLE = "wegwijs_case"


class BackupError(Exception):
    """A backup or a restore could not be made; the message says why and what to do."""


class RestoreRefused(BackupError):
    """The target database has cases: restoring would replace them."""

    def __init__(self, cases: int) -> None:
        super().__init__(
            f"the database has {cases} case(s): restoring would replace them "
            "(add --force if that is what you want)"
        )
        self.cases = cases


def backup(url: str, target: Path, *, schema: str | None = None) -> None:
    """Write a backup of the database at `url` to `target` (replaced if it exists)."""
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            raise BackupError(f"there is no database at {path}")
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        with _sqlite(path) as source, _sqlite(partial) as copy:
            source.backup(copy)
        partial.replace(target)
        return
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    if schema:
        command.append(f"--schema={schema}")
    _run_pg(url, [*command, f"--dbname={_database(url)}"])


def restore(url: str, source: Path, *, force: bool = False) -> None:
    """Replace the database at `url` with the backup `source`; refuses (RestoreRefused)
    while the database has cases, unless `force`."""
    if not source.is_file():
        raise BackupError(f"there is no backup file at {source}")
    found = cases_in(url)
    if found and not force:
        raise RestoreRefused(found)
    path = sqlite_file(url)
    if path is not None:
        with _sqlite(source) as backup_db:
            if not _is_wegwijs_sqlite(backup_db):
                raise BackupError(f"{source} is not a Wegwijs SQLite backup")
            path.parent.mkdir(parents=True, exist_ok=True)
            with _sqlite(path) as target:
                backup_db.backup(target)
        return
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    _run_pg(url, [*command, f"--dbname={_database(url)}", str(source)])


def cases_in(url: str) -> int:
    """How many cases the database at `url` holds (0 when it has no tables yet)."""
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            return 0
        with _sqlite(path) as connection:
            try:
                return int(connection.execute(f"SELECT count(*) FROM {CASE_TABLE}").fetchone()[0])
            except sqlite3.OperationalError:
                return 0

    async def count() -> int:
        engine = create_engine(url, poolclass=NullPool)
        try:
            async with engine.connect() as connection:
                found = await connection.scalar(text(f"SELECT to_regclass('{CASE_TABLE}')"))
                if found is None:
                    return 0
                return int(await connection.scalar(text(f"SELECT count(*) FROM {CASE_TABLE}")))
        finally:
            await engine.dispose()

    return asyncio.run(count())


@contextlib.contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, timeout=30)
    try:
        connection.execute("PRAGMA busy_timeout=30000")
        yield connection
    finally:
        connection.close()


def _is_wegwijs_sqlite(connection: sqlite3.Connection) -> bool:
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        return False
    return {"alembic_version", CASE_TABLE} <= tables


def _database(url: str) -> str:
    """The URL for libpq (no driver, no password: that goes in PGPASSWORD)."""
    parsed = make_url(normalize_url(url))
    return parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _env(url: str) -> dict[str, str]:
    password = make_url(normalize_url(url)).password
    return {**os.environ, **({"PGPASSWORD": str(password)} if password else {})}


def _run_pg(url: str, command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: it comes with PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client, the server's major version or newer)"
        )
    done = subprocess.run(command, env=_env(url), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        password = make_url(normalize_url(url)).password
        if password:
            reason = reason.replace(str(password), "***")
        raise BackupError(f"{command[0]} failed: {reason}")
    return done.stdout.strip()
