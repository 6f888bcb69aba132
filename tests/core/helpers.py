"""What the use-case tests on cases and users share: their moment, fast password hashing,
and the audit log as (actor, action, target, detail)."""

from __future__ import annotations

from datetime import UTC, datetime

from argon2 import PasswordHasher
from sqlmodel import select

from bot.core.passwords import Passwords
from storage import AuditEntry, Database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PASSWORDS = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


async def audit(db: Database) -> list[tuple[str, str, str | None, str | None]]:
    async with db.session() as session:
        entries = (await session.exec(select(AuditEntry))).all()
    return [(e.actor, e.action, e.target, e.detail) for e in entries]
