"""`database_away`: a database that is away for now is told from a fault of the work
itself, so that the channels hold an update for the first and never loop on the second."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from storage import Database, database_away


async def _failure(database: Database, sql: str) -> BaseException:
    try:
        async with database.engine.connect() as connection:
            await connection.execute(text(sql))
    except Exception as exc:
        return exc
    raise AssertionError("the statement did not fail")


async def test_a_postgres_server_that_refuses_connections_is_away() -> None:
    database = Database("postgresql://wegwijs@127.0.0.1:1/wegwijs")
    try:
        assert database_away(await _failure(database, "select 1"))
    finally:
        await database.dispose()


async def test_a_sqlite_file_locked_past_the_busy_timeout_is_away(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("create table t (x)")
    holder.execute("begin exclusive")
    database = Database(f"sqlite:///{path}")
    try:
        with pytest.raises(OperationalError) as info:
            async with database.engine.connect() as connection:
                await connection.exec_driver_sql("PRAGMA busy_timeout=50")
                await connection.exec_driver_sql("insert into t values (1)")
        assert database_away(info.value)
    finally:
        holder.rollback()
        holder.close()
        await database.dispose()


async def test_a_wrong_query_or_a_broken_constraint_is_not_away(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path}/x.db")
    try:
        assert not database_away(await _failure(database, "select * from no_such_table"))
    finally:
        await database.dispose()
    assert not database_away(IntegrityError("insert", {}, sqlite3.IntegrityError("UNIQUE")))
    assert not database_away(ValueError("a bug"))


def test_a_refused_or_reset_connection_is_away_wherever_it_is_wrapped() -> None:
    wrapped = OperationalError("select 1", {}, ConnectionResetError("reset by peer"))
    assert database_away(wrapped)
    try:
        raise RuntimeError("while saving") from ConnectionRefusedError()
    except RuntimeError as exc:
        assert database_away(exc)
