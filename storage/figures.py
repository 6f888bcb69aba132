"""Counts for the operations metrics (`bot.core.metrics`): read now and then by the
metrics listener, never on a person's path."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func
from sqlmodel import select

from storage.db import Session
from storage.models import Case, Reminder

__all__ = ["OPEN_CASE_STAGES", "open_cases_by_stage", "reminders_due"]

# Where an open case stands: invite not yet used, pre-intake under way, pre-intake sent.
OPEN_CASE_STAGES = ("invited", "in_progress", "submitted")


async def open_cases_by_stage(session: Session) -> dict[str, int]:
    """Open cases (practice cases of the web chat left out) by their stage."""
    stage = case(
        (Case.intake_submitted_at.is_not(None), "submitted"),  # type: ignore[union-attr]
        (Case.invite_used_at.is_not(None), "in_progress"),  # type: ignore[union-attr]
        else_="invited",
    )
    query = (
        select(stage, func.count())
        .where(Case.status == "open", Case.practice.is_(False))  # type: ignore[attr-defined]
        .group_by(stage)
    )
    counts = dict.fromkeys(OPEN_CASE_STAGES, 0)
    counts.update({name: count for name, count in (await session.exec(query)).all()})
    return counts


async def reminders_due(session: Session, now: datetime) -> int:
    query = select(func.count()).where(Reminder.status == "pending", Reminder.due_at <= now)
    return int((await session.exec(query)).one())
