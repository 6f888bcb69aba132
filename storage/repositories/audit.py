"""The audit log: who did what, when — never what was answered.

Rows have no foreign key to the case: the entry that records an erasure outlives
the case it names (by its opaque id only). ``detail`` holds codes and counts
(an export format, the number of rows erased), never answer contents or names.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEntry

__all__ = ["AuditEntry", "AuditRepository"]


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        *,
        actor: str,
        action: str,
        target: str | None,
        at: datetime,
        detail: str | None = None,
    ) -> AuditEntry:
        entry = AuditEntry(at=at, actor=actor, action=action, target=target, detail=detail)
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def list(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        target: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEntry]:
        """Newest first, optionally filtered (an ``action`` ending in ``.`` matches a prefix)."""
        stmt = select(AuditEntry)
        if actor is not None:
            stmt = stmt.where(AuditEntry.actor == actor)
        if action is not None:
            if action.endswith("."):
                stmt = stmt.where(col(AuditEntry.action).startswith(action, autoescape=True))
            else:
                stmt = stmt.where(AuditEntry.action == action)
        if target is not None:
            stmt = stmt.where(AuditEntry.target == target)
        stmt = stmt.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        result = await self.session.exec(stmt.offset(offset).limit(limit))
        return list(result.all())

    async def count(self) -> int:
        result = await self.session.exec(select(func.count()).select_from(AuditEntry))
        return int(result.one())
