"""The audit log: who did what, when — never what was answered.

Rows have no foreign key to the case: the entry that records an erasure outlives
the case it names (by its opaque id only). ``detail`` holds codes and counts
(an export format, the number of rows erased), never answer contents or names.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, func
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

import storage.models  # noqa: F401  (its naming convention applies to these tables too)
from storage.types import UTCDateTime

__all__ = ["AuditEntry", "AuditRepository"]


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_target", "target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    actor: str  # a username, "cli", "system"
    action: str  # a stable code: "login", "case.view", "case.export", ...
    target: str | None = None  # a case id, a username, an appointment id
    detail: str | None = Field(default=None, sa_type=Text)


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
