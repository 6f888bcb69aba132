"""Engines and sessions for SQLite (the default) and PostgreSQL.

Wegwijs always talks to its database through asyncio drivers: aiosqlite for SQLite,
asyncpg for PostgreSQL. URLs in the sync spelling (``sqlite:///…``,
``postgresql://…``) are accepted and translated, so ``DATABASE_URL`` can be written
the way people usually write it.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import sqlite_inline
from storage.crypto import KeyRing, attach_key_ring

__all__ = [
    "Database",
    "StorageUnavailable",
    "create_engine",
    "database_away",
    "dialect_name",
    "normalize_url",
    "safe_url",
]

_ACCEPTED = (
    "sqlite:///path/to/file.db, sqlite+aiosqlite:///path/to/file.db, "
    "postgresql://user@host/db, postgres://user@host/db or "
    "postgresql+asyncpg://user@host/db"
)

# Execution option marking a read-only unit of work (see Database.session).
_READ_ONLY = "wegwijs_read_only"

_SCHEME_MAP = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}

# The unit of work's type, so that callers name it without importing SQLAlchemy.
Session = AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """``"sqlite"`` or ``"postgresql"``: what a session is bound to, for the few
    statements (upserts, row locks) that are written per dialect."""
    return session.get_bind().dialect.name


_CONNECTION = "wegwijs_connection"


async def connection_of(session: AsyncSession) -> AsyncConnection:
    """The session's connection for its current transaction, asked of SQLAlchemy once
    per transaction: each `session.connection()` is a greenlet round trip through the
    ORM's transaction bookkeeping (some 20 µs), and one update asks four or five times."""
    cached = session.info.get(_CONNECTION)
    if cached is not None and cached[0] is session.sync_session.get_transaction():
        return cached[1]  # type: ignore[no-any-return]
    connection = await session.connection()
    session.info[_CONNECTION] = (session.sync_session.get_transaction(), connection)
    return connection


class StorageUnavailable(Exception):
    """The database cannot be reached (down, wrong address, refused credentials)."""


# SQLSTATE classes of a server that is away rather than of a wrong query: 08 connection
# exception, 57P01-03 shut down / starting up, 53300 too many connections.
_AWAY_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
_SQLITE_AWAY = ("database is locked", "database is busy", "unable to open", "disk i/o error")


def database_away(exc: BaseException) -> bool:
    """True when `exc` says the database is unreachable for now (a server stopped or
    restarting, a refused connection, SQLite locked past its busy timeout), so that the
    same work can succeed later; False for a fault of the work itself (a wrong query, a
    constraint), which retrying would only repeat."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _away(current):
            return True
        current = getattr(current, "orig", None) or current.__cause__
    return False


def _away(exc: BaseException) -> bool:
    if isinstance(exc, (OSError, TimeoutError, SATimeoutError)):
        return True  # refused, reset, unreachable; a pool that stayed empty
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith(_AWAY_SQLSTATES)
    if type(exc).__module__.startswith("asyncpg") and "Connection" in type(exc).__name__:
        return True  # asyncpg's ConnectionDoesNotExistError and the like: no SQLSTATE
    if isinstance(exc, InterfaceError) and "closed" in str(exc).lower():
        return True
    message = str(exc).lower()
    return type(exc).__name__ == "OperationalError" and any(m in message for m in _SQLITE_AWAY)


def normalize_url(url: str) -> str:
    """Return ``url`` with the asyncio driver Wegwijs uses for its database.

    ``sqlite:///x`` becomes ``sqlite+aiosqlite:///x``; ``postgresql://`` and
    ``postgres://`` become ``postgresql+asyncpg://``; URLs that already name these
    drivers are returned unchanged. Anything else raises ``ValueError``.
    """
    scheme, sep, rest = url.strip().partition("://")
    if not sep:
        raise ValueError(f"Not a database URL (no '://'). Use one of: {_ACCEPTED}.")
    target = _SCHEME_MAP.get(scheme.lower())
    if target is None:
        # Only the scheme is echoed: the rest of the URL may hold a password.
        raise ValueError(f"Unsupported database URL scheme {scheme!r}. Use one of: {_ACCEPTED}.")
    return f"{target}://{rest}"


def safe_url(url: str) -> str:
    """Render ``url`` for logs and error messages, with any password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        # Not parseable by SQLAlchemy: mask whatever sits between 'user:' and '@'.
        return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL (absolute), or None for another database or
    an in-memory one: for what is kept next to the database (the dashboard's key)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser().resolve()


def _install_sqlite_pragmas(engine: AsyncEngine, *, foreign_keys: bool) -> None:
    """Set per-connection pragmas and let SQLAlchemy own BEGIN on SQLite.

    The sqlite3 driver in "legacy transaction control" emits no BEGIN before a
    SELECT or a SAVEPOINT, so a SAVEPOINT would silently commit on its own and a
    read-then-write transaction would not be isolated. We switch the driver's own
    BEGIN off and emit ``BEGIN IMMEDIATE`` ourselves: a transaction takes SQLite's
    single write lock when it starts, so two concurrent transactions queue on
    ``busy_timeout`` instead of one failing with "database is locked" when it tries
    to upgrade a stale read snapshot to a write.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(_READ_ONLY):
            conn.exec_driver_sql("BEGIN")  # WAL readers never block the writer
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(
    url: str,
    *,
    schema: str | None = None,
    echo: bool = False,
    foreign_keys: bool = True,
    **kwargs: Any,
) -> AsyncEngine:
    """Create an ``AsyncEngine`` configured the way Wegwijs needs it.

    ``schema`` (PostgreSQL only) becomes the connection's ``search_path``, so tests
    and tenants can live side by side in one database. ``foreign_keys=False`` is for
    migrations on SQLite, where batch table rebuilds must not trigger cascades.
    Extra keyword arguments go to ``create_async_engine`` (e.g. ``poolclass``).
    """
    url = normalize_url(url)
    backend = make_url(url).get_backend_name()
    if backend == "postgresql":
        if schema is not None:
            connect_args = dict(kwargs.pop("connect_args", {}))
            settings = dict(connect_args.get("server_settings", {}))
            settings["search_path"] = schema
            connect_args["server_settings"] = settings
            kwargs["connect_args"] = connect_args
        kwargs.setdefault("pool_pre_ping", True)
    elif schema is not None:
        raise ValueError("a schema can only be given for PostgreSQL")
    engine = create_async_engine(url, echo=echo, **kwargs)
    if backend == "sqlite":
        _install_sqlite_pragmas(engine, foreign_keys=foreign_keys)
    return engine


def _single_writer(url: str) -> dict[str, Any]:
    """Pool settings for the engine that writes: one connection on a SQLite file.

    SQLite has one writer at a time. With a pool of several connections, each waiting
    for the lock in SQLite's busy handler (which sleeps and polls), the lock sat idle
    between transactions and, with 200 chats at once, a waiter could starve past
    busy_timeout ("database is locked": the update failed). One connection, handed on
    in arrival order by the pool's asyncio queue, keeps the lock busy and the wait fair;
    it costs no concurrency SQLite had. (A write transaction opened inside another
    already failed with the lock; readers use their own pool.)
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return {}
    return {"pool_size": 1, "max_overflow": 0, "pool_timeout": 60}


def _inline(url: str) -> dict[str, Any]:
    """On a SQLite file, sqlite3 calls run on the event loop's thread, not on aiosqlite's
    (see storage.sqlite_inline: the thread hops were most of an update's time)."""
    if not _single_writer(url):
        return {}
    return {"async_creator": sqlite_inline.connector(str(make_url(url).database))}


class Database:
    """One database: an engine plus a factory for sessions.

    Use ``async with db.session() as s: async with s.begin(): ...`` — one transaction
    per unit of work; repositories never commit.
    """

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        echo: bool = False,
        key_ring: KeyRing | None = None,
    ) -> None:
        """``key_ring`` encrypts the free-text columns (see ``storage.crypto``); without
        one they are stored as they are."""
        self._url = normalize_url(url)
        self._schema = schema
        self._engine = create_engine(
            self._url, schema=schema, echo=echo, **_single_writer(self._url), **_inline(self._url)
        )
        # On a SQLite file, readers have a pool of their own (see _single_writer).
        self._read_engine = (
            create_engine(self._url, echo=echo, **_inline(self._url))
            if _single_writer(self._url)
            else self._engine
        )
        self._key_ring = key_ring
        attach_key_ring(self._engine, key_ring)
        attach_key_ring(self._read_engine, key_ring)
        self._sessions = async_sessionmaker(
            self._engine, class_=AsyncSession, expire_on_commit=False
        )
        read_only_options: dict[str, Any] = {_READ_ONLY: True}
        if self.dialect == "postgresql":
            read_only_options["postgresql_readonly"] = True
        self._read_sessions = async_sessionmaker(
            self._read_engine.execution_options(**read_only_options),
            class_=AsyncSession,
            expire_on_commit=False,
        )

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @property
    def url(self) -> str:
        """The normalised URL (may contain a password: use ``safe_url`` to show it)."""
        return self._url

    @property
    def schema(self) -> str | None:
        return self._schema

    @property
    def key_ring(self) -> KeyRing | None:
        """The keys of the encrypted columns, or None when free text is stored plain."""
        return self._key_ring

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine.dialect.name

    def session(self, *, readonly: bool = False) -> AsyncSession:
        """A new session; use it as ``async with db.session() as s``.

        On SQLite a transaction takes the write lock when it begins (see
        ``_install_sqlite_pragmas``), so keep units of work short and never hold one
        open across network I/O. ``readonly=True`` (dashboards, exports) reads from
        a snapshot without taking that lock; PostgreSQL then refuses writes.
        """
        return self._read_sessions() if readonly else self._sessions()

    async def dispose(self) -> None:
        """Close all pooled connections."""
        await self._engine.dispose()
        if self._read_engine is not self._engine:
            await self._read_engine.dispose()

    async def ping(self, *, timeout: float = 10.0) -> None:
        """Run ``SELECT 1``; raise ``StorageUnavailable`` if the database is unreachable."""
        try:
            async with asyncio.timeout(timeout), self._engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            reason = _describe(exc)
            password = make_url(self._url).password
            if password:
                reason = reason.replace(str(password), "***")
            raise StorageUnavailable(
                f"Cannot reach the database at {safe_url(self._url)}: {reason}"
            ) from None

    def __repr__(self) -> str:
        return f"Database({safe_url(self._url)!r}, schema={self._schema!r})"


def _describe(exc: BaseException) -> str:
    """A one-line reason for a connection failure, without SQL or parameters."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    name = type(orig).__name__
    return f"{name}: {message}" if message else name
