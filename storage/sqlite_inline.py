"""SQLite for asyncio without a thread hop per call: an aiosqlite look-alike that runs each
sqlite3 call at once, on the event loop's thread.

Why: aiosqlite runs every call (cursor, execute, fetch, close, commit…) on a thread of its
own and hands the result back through the event loop. Profiling `wegwijs run` under 200
chats showed about 57 such round trips per update, each a thread wake-up and a GIL
hand-over: most of the time of an update on SQLite went there, not into SQLite. A local
SQLite call on a WAL database takes microseconds, so running it inline is cheaper than
handing it to a thread.

The one call that can take long is waiting for another writer's lock (SQLite's busy
timeout would block the event loop). So SQLite's own busy timeout is set to 0, and a
statement refused with "database is locked" is retried here after an `asyncio.sleep`,
until the busy timeout the connection asked for has passed: other tasks run meanwhile.
A statement SQLite refused as busy did not run, so running it again is safe.

Used through `create_async_engine(..., async_creator=...)` with SQLAlchemy's aiosqlite
dialect (see storage.db); only the parts of aiosqlite's interface that dialect uses.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import Any

_BUSY_PRAGMA = re.compile(r"\s*PRAGMA\s+busy_timeout\s*=\s*(\d+)\s*$", re.IGNORECASE)


class _Now:
    """Stands in for aiosqlite's queue to its thread: runs the call at once."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except Exception as exc:
            if future is not None:
                future.set_exception(exc)
            return
        if future is not None:
            future.set_result(result)


class Cursor:
    def __init__(self, connection: Connection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        found = _BUSY_PRAGMA.match(sql)
        if found:  # the wait is ours (see the module docstring); SQLite's is none
            self._connection.busy_timeout = int(found.group(1)) / 1000
            sql = "PRAGMA busy_timeout=0"
        await self._connection.retry(
            lambda: self._cursor.execute(sql) if parameters is None
            else self._cursor.execute(sql, parameters)
        )  # fmt: skip
        return self

    async def executemany(self, sql: str, parameters: Any) -> Cursor:
        await self._connection.retry(lambda: self._cursor.executemany(sql, parameters))
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany() if size is None else self._cursor.fetchmany(size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _CursorContext:
    """`connection.cursor()`: awaitable, or an async context manager, as in aiosqlite."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._cursor: Cursor | None = None

    def _make(self) -> Cursor:
        return Cursor(self._connection, self._connection._conn.cursor())

    def __await__(self) -> Any:
        async def make() -> Cursor:
            return self._make()

        return make().__await__()

    async def __aenter__(self) -> Cursor:
        self._cursor = self._make()
        return self._cursor

    async def __aexit__(self, *exc: object) -> None:
        if self._cursor is not None:
            await self._cursor.close()


class Connection:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._tx = _Now()
        self.busy_timeout = 5.0

    @property
    def _connection(self) -> sqlite3.Connection | None:
        return self._conn

    @property
    def isolation_level(self) -> str | None:
        assert self._conn is not None
        return self._conn.isolation_level

    async def retry(self, call: Callable[[], Any]) -> Any:
        """Run `call`; while SQLite says another connection holds the lock, wait
        cooperatively and try again, up to the busy timeout."""
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.0005
        while True:
            try:
                return call()
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.02)

    def cursor(self) -> _CursorContext:
        return _CursorContext(self)

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        return await (await self.cursor()).execute(sql, parameters)

    async def commit(self) -> None:
        assert self._conn is not None
        await self.retry(self._conn.commit)

    async def rollback(self) -> None:
        assert self._conn is not None
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        assert self._conn is not None
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def connector(database: str) -> Callable[[], Any]:
    """The `async_creator` for a SQLite file."""

    async def connect() -> Connection:
        return Connection(sqlite3.connect(database, timeout=0, check_same_thread=False))

    return connect
