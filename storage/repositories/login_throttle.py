"""Login throttling across processes: a login attempt is counted *before* its password
is checked, per account and source and per unknown name, with a lock after too many
failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Table, delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import LoginThrottle

__all__ = ["LockPolicy", "LoginClaim", "LoginThrottle", "LoginThrottleRepository"]


@dataclass(frozen=True)
class LoginClaim:
    """The outcome of counting one login attempt."""

    granted: bool  # counted: the password may be checked now
    locked_until: datetime | None  # refused until then (granted False), or the new lock


LockPolicy = Callable[[int, datetime], "datetime | None"]

# Counters without an attempt for this long are removed.
_FORGET_AFTER = timedelta(days=1)


class LoginThrottleRepository:
    """Counts a login attempt *before* its password is checked, in one statement that
    also checks the lock: ``failures = failures + 1 … WHERE not locked RETURNING``.
    Attempts in flight at the same moment are therefore all counted, and those after
    the one that set the lock find it set (PostgreSQL re-checks the WHERE once the row
    lock is free; SQLite runs one write transaction at a time). A successful login
    resets its key's counter (``forget``)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim_name(self, key: str, now: datetime, policy: LockPolicy) -> LoginClaim:
        table = LoginThrottle.__table__  # type: ignore[attr-defined]
        connection = await self.session.connection()
        await connection.execute(delete(table).where(table.c.updated_at < now - _FORGET_AFTER))
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        await connection.execute(
            insert(table)
            .values(key=key, failures=0, updated_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        return await self._claim(table, table.c.key == key, "failures", now, policy, touch=True)

    async def forget(self, key: str) -> None:
        """The count of `key` starts again (a successful login)."""
        table = LoginThrottle.__table__  # type: ignore[attr-defined]
        connection = await self.session.connection()
        await connection.execute(delete(table).where(table.c.key == key))

    async def refund_name(self, key: str) -> None:
        """Take one counted attempt back (it turned out right): only wrong ones count."""
        table = LoginThrottle.__table__  # type: ignore[attr-defined]
        connection = await self.session.connection()
        await connection.execute(
            update(table)
            .where(table.c.key == key, table.c.failures > 0)
            .values(failures=table.c.failures - 1)
        )

    async def _claim(
        self,
        table: Table,
        which: ColumnElement[bool],
        counter: str,
        now: datetime,
        policy: LockPolicy,
        *,
        touch: bool = False,
    ) -> LoginClaim:
        connection = await self.session.connection()
        failures, locked = table.c[counter], table.c.locked_until
        values: dict[str, object] = {counter: failures + 1}
        if touch:
            values["updated_at"] = now
        counted = await connection.execute(
            update(table)
            .where(which, or_(locked.is_(None), locked <= now))
            .values(values)
            .returning(failures)
        )
        count = counted.scalar_one_or_none()
        if count is None:
            found = await connection.execute(select(locked).where(which))
            return LoginClaim(False, found.scalar_one_or_none())
        lock = policy(count, now)
        if lock is not None:
            await connection.execute(update(table).where(which).values(locked_until=lock))
        return LoginClaim(True, lock)
