"""What a readiness probe asks of the database: that it answers, and at which schema
revision it is. One statement, on a connection of its own, with a short timeout, so a
load balancer asking every few seconds never waits on a busy pool for long."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storage.db import Database, StorageUnavailable, _describe
from storage.migrate import VERSION_TABLE

__all__ = ["schema_revision"]


async def schema_revision(db: Database, *, timeout: float = 2.0) -> str | None:
    """The revision the database is at (None: never migrated); raises
    `StorageUnavailable` when the database does not answer within `timeout`."""
    try:
        async with asyncio.timeout(timeout), db.engine.connect() as connection:
            try:
                rows = (
                    await connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
                ).all()
            except SQLAlchemyError as exc:
                if _missing_table(exc):
                    return None
                raise
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        raise StorageUnavailable(_describe(exc)) from None
    return rows[0][0] if len(rows) == 1 else None


def _missing_table(exc: SQLAlchemyError) -> bool:
    message = str(getattr(exc, "orig", exc)).lower()
    return "no such table" in message or "does not exist" in message
