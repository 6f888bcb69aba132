"""Processed channel updates: a redelivered update is handled once."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import connection_of, dialect_name
from storage.models import ProcessedUpdate


@functools.cache
def _claim_statement(dialect: str) -> Any:
    """Built once per dialect, so each update only binds its values (no compiling)."""
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert_(ProcessedUpdate.__table__).on_conflict_do_nothing(
        index_elements=["channel", "update_id"]
    )


class UpdateRepository:
    """Which channel updates were processed: a redelivered update is handled once."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, channel: str, update_id: int, now: datetime) -> bool:
        """Record the update as processed; False if it already was.

        ``INSERT ... ON CONFLICT DO NOTHING`` lets the database decide: of two
        concurrent claims, one inserts and the other waits for it and inserts nothing.
        Claim inside the transaction that saves the update's effects, so a rollback
        un-claims it.
        """
        connection = await connection_of(self.session)
        result = await connection.execute(
            _claim_statement(dialect_name(self.session)),
            {"channel": channel, "update_id": update_id, "processed_at": now},
        )
        return result.rowcount == 1

    async def prune(self, before: datetime) -> int:
        """Forget updates processed before ``before`` (channels stop redelivering after
        a day or so); returns how many rows went. Keeps the table small."""
        result = await self.session.exec(
            delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before)
        )
        return result.rowcount
