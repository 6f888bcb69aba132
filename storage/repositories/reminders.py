"""The reminder outbox: invitations and reminders to send, claimed by workers.

The claim is what makes several workers safe together: a worker takes due rows in a
short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers never wait
for or take the same row; SQLite has one writer at a time anyway) and stamps them with
a lease. A worker that dies mid-send leaves a lease that runs out; another worker then
takes the row over. Marking a row sent checks the lease holder, so a worker whose
lease was taken over cannot mark (or retry) what is no longer its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, or_, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_name
from storage.models import (
    Appointment,
    Reminder,
    SendBudget,
)

__all__ = ["ReminderRepository"]


class ReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def schedule(
        self,
        appointment_id: int,
        purpose: str,
        due_at: datetime,
        *,
        now: datetime,
        offset_minutes: int | None = None,
    ) -> Reminder:
        reminder = Reminder(
            appointment_id=appointment_id,
            purpose=purpose,
            offset_minutes=offset_minutes,
            due_at=due_at,
            available_at=due_at,
            created_at=now,
        )
        self.session.add(reminder)
        await self.session.flush()
        return reminder

    async def wake_for_case(self, case_id: str, now: datetime) -> int:
        """Make the case's overdue messages that wait for a later try (no chat was linked
        yet, or a send failed) available now; how many."""
        result = await self.session.exec(
            update(Reminder)
            .where(
                Reminder.status == "pending",
                col(Reminder.due_at) <= now,
                col(Reminder.available_at) > now,
                col(Reminder.appointment_id).in_(
                    select(Appointment.id).where(Appointment.case_id == case_id)
                ),
            )
            .values(available_at=now)
        )
        return result.rowcount

    async def for_appointment(self, appointment_id: int) -> list[Reminder]:
        result = await self.session.exec(
            select(Reminder)
            .where(Reminder.appointment_id == appointment_id)
            .order_by(col(Reminder.due_at), col(Reminder.id))
        )
        return list(result.all())

    async def cancel_pending(self, appointment_id: int) -> list[str]:
        """Cancel every message about the appointment not yet sent; returns their
        purposes (so a change knows whether the invitation ever went out)."""
        result = await self.session.exec(
            update(Reminder)
            .where(col(Reminder.appointment_id) == appointment_id, Reminder.status == "pending")
            .values(status="cancelled", claimed_by=None, claim_expires_at=None)
            .returning(col(Reminder.purpose))
        )
        return [row[0] for row in result.all()]

    async def was_sent(self, appointment_id: int, purposes: Iterable[str]) -> bool:
        result = await self.session.exec(
            select(func.count())
            .select_from(Reminder)
            .where(
                Reminder.appointment_id == appointment_id,
                Reminder.status == "sent",
                col(Reminder.purpose).in_(list(purposes)),
            )
        )
        return (result.one() or 0) > 0

    async def claim(
        self, worker: str, now: datetime, *, lease: timedelta, limit: int
    ) -> list[Reminder]:
        """Take up to ``limit`` due rows for ``worker`` until ``now + lease``.

        Due: pending, available, and not held by a live lease (a dead worker's lease
        has run out). Run it in its own short transaction and commit before sending.
        """
        due = (
            select(Reminder.id)
            .where(
                Reminder.status == "pending",
                col(Reminder.available_at) <= now,
                or_(
                    col(Reminder.claim_expires_at).is_(None),
                    col(Reminder.claim_expires_at) <= now,
                ),
            )
            .order_by(col(Reminder.available_at), col(Reminder.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list((await self.session.exec(due)).all())
        if not ids:
            return []
        await self.session.exec(
            update(Reminder)
            .where(col(Reminder.id).in_(ids))
            .values(claimed_by=worker, claim_expires_at=now + lease)
        )
        result = await self.session.exec(
            select(Reminder)
            .where(col(Reminder.id).in_(ids))
            .order_by(col(Reminder.available_at), col(Reminder.id))
            .execution_options(populate_existing=True)
        )
        return list(result.all())

    async def spend(
        self, channel: str, now: datetime, *, rate: float, burst: float, want: int
    ) -> tuple[int, float]:
        """Take up to ``want`` sends from the channel's shared budget (refilled at
        ``rate`` a second, holding at most ``burst``); returns how many were granted and
        the seconds until the next one. The row is locked until the transaction ends, so
        workers take from it one after the other."""
        insert = postgresql.insert if dialect_name(self.session) == "postgresql" else sqlite.insert
        await self.session.exec(
            insert(SendBudget.__table__)
            .values(channel=channel, tokens=burst, updated_at=now)
            .on_conflict_do_nothing(index_elements=["channel"])
        )
        row = (
            await self.session.exec(
                select(SendBudget)
                .where(SendBudget.channel == channel)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).one()
        elapsed = max(0.0, (now - row.updated_at).total_seconds())
        tokens = min(burst, row.tokens + elapsed * rate)
        granted = max(0, min(want, int(tokens + 1e-9)))
        row.tokens, row.updated_at = tokens - granted, max(now, row.updated_at)
        self.session.add(row)
        await self.session.flush()
        wait = 0.0 if row.tokens >= 1 else (1 - row.tokens) / rate
        return granted, wait

    async def refund(self, channel: str, count: int) -> None:
        """Give back what was granted but not used (fewer rows were due)."""
        if count > 0:
            await self.session.exec(
                update(SendBudget)
                .where(col(SendBudget.channel) == channel)
                .values(tokens=SendBudget.tokens + count)
            )

    async def hold_many(
        self, reminder_ids: Sequence[int], worker: str, until: datetime
    ) -> set[int]:
        """Renew ``worker``'s lease on its claimed rows; returns those still its own
        (the others must not be sent: another worker has them, or they were cancelled)."""
        if not reminder_ids:
            return set()
        result = await self.session.exec(
            update(Reminder)
            .where(
                col(Reminder.id).in_(list(reminder_ids)),
                Reminder.status == "pending",
                Reminder.claimed_by == worker,
            )
            .values(claim_expires_at=until)
            .returning(col(Reminder.id))
        )
        return {row[0] for row in result.all()}

    async def finish(self, reminder_id: int, worker: str, status: str, now: datetime) -> bool:
        """Close a claimed row as ``sent`` or ``cancelled``; False if ``worker`` no
        longer holds it (its lease ran out and another worker took it)."""
        if dialect_name(self.session) == "postgresql":
            # Not waiting for the disk flush: if the database itself crashes right after,
            # this mark may be lost, and the message goes once more — a duplicate, never
            # a loss, the trade the worker already makes. It turns each mark from an
            # fsync (~20 ms here) into a millisecond, so one worker can keep up.
            await self.session.exec(text("SET LOCAL synchronous_commit TO OFF"))
        result = await self.session.exec(
            update(Reminder)
            .where(
                col(Reminder.id) == reminder_id,
                Reminder.status == "pending",
                Reminder.claimed_by == worker,
            )
            .values(
                status=status,
                sent_at=now if status == "sent" else None,
                claimed_by=None,
                claim_expires_at=None,
            )
        )
        return result.rowcount > 0

    async def release(
        self,
        reminder_id: int,
        worker: str,
        *,
        retry_at: datetime,
        error: str | None,
        max_attempts: int,
        count_attempt: bool = True,
    ) -> bool:
        """Give a claimed row back to be tried again at ``retry_at``; after
        ``max_attempts`` failed sends it is marked ``failed``."""
        row = await self.session.get(Reminder, reminder_id, populate_existing=True)
        if row is None or row.status != "pending" or row.claimed_by != worker:
            return False
        attempts = row.attempts + (1 if count_attempt else 0)
        result = await self.session.exec(
            update(Reminder)
            .where(col(Reminder.id) == reminder_id, Reminder.claimed_by == worker)
            .values(
                attempts=attempts,
                last_error=error,
                available_at=retry_at,
                status="failed" if attempts >= max_attempts else "pending",
                claimed_by=None,
                claim_expires_at=None,
            )
        )
        return result.rowcount > 0

    async def counts(self) -> dict[str, int]:
        """How many rows per status (for the worker's log and the benchmark)."""
        result = await self.session.exec(
            select(Reminder.status, func.count()).group_by(col(Reminder.status))
        )
        return {status: count for status, count in result.all()}
