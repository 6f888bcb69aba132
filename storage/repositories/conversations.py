"""The opaque conversation state per account."""

from __future__ import annotations

import functools
import json
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import connection_of, dialect_name
from storage.models import Conversation


@functools.cache
def _save_conversation_statement(dialect: str) -> Any:
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_(Conversation.__table__)
    return stmt.on_conflict_do_update(
        index_elements=["account_id"],
        set_={"data": stmt.excluded.data, "updated_at": stmt.excluded.updated_at},
    )


class ConversationRepository:
    """The opaque conversation state per account, stored as JSON text."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self, account_id: int) -> dict[str, Any] | None:
        """The saved state, or None for an account that never had one."""
        result = await self.session.exec(
            select(Conversation.data).where(Conversation.account_id == account_id)
        )
        data = result.first()
        return None if data is None else json.loads(data)

    async def save(self, account_id: int, data: dict[str, Any], now: datetime) -> None:
        """Insert or replace the state in one statement (an upsert, so no read first)."""
        if not isinstance(data, dict):
            raise TypeError(f"conversation state must be a dict, got {type(data).__name__}")
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        connection = await connection_of(self.session)
        await connection.execute(
            _save_conversation_statement(dialect_name(self.session)),
            {"account_id": account_id, "data": payload, "updated_at": now},
        )
