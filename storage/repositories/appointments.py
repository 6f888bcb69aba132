"""Appointments: planned, moved, cancelled, and who to tell about each (the reminder
outbox that tells them: ``reminders``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import (
    Appointment,
    Case,
    ChannelAccount,
    Conversation,
)

__all__ = [
    "ACTIVE_STATUSES",
    "AppointmentRepository",
    "Recipient",
]

# An appointment that still takes place (it may have been moved).
ACTIVE_STATUSES = ("planned", "changed")


@dataclass(frozen=True)
class Recipient:
    """One chat to tell about an appointment, with what it needs for the language."""

    external_id: int
    language: str | None  # the chat's, else the case's
    conversation: str | None  # the conversation state as stored (opaque JSON text)


class AppointmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, appointment: Appointment) -> Appointment:
        self.session.add(appointment)
        await self.session.flush()
        return appointment

    async def get(self, appointment_id: int, *, lock: bool = False) -> Appointment | None:
        """The appointment; ``lock`` holds its row (PostgreSQL) until the transaction
        ends, so a response and a change of plan do not overwrite each other."""
        stmt = select(Appointment).where(Appointment.id == appointment_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        result = await self.session.exec(stmt)
        return result.first()

    async def for_case(self, case_id: str) -> list[Appointment]:
        """Every appointment of a case, soonest first."""
        result = await self.session.exec(
            select(Appointment)
            .where(Appointment.case_id == case_id)
            .order_by(col(Appointment.starts_at), col(Appointment.id))
        )
        return list(result.all())

    async def upcoming(self, case_id: str, after: datetime) -> list[Appointment]:
        """The case's appointments that still take place and have not ended."""
        result = await self.session.exec(
            select(Appointment)
            .where(
                Appointment.case_id == case_id,
                col(Appointment.status).in_(ACTIVE_STATUSES),
                col(Appointment.ends_at) > after,
            )
            .order_by(col(Appointment.starts_at), col(Appointment.id))
        )
        return list(result.all())

    async def with_recipients(
        self, appointment_ids: Sequence[int], channel: str
    ) -> dict[int, tuple[Appointment, list[Recipient]]]:
        """Appointments with every chat of their case on ``channel``: what a worker needs
        to send a batch, in three queries whatever the batch size."""
        if not appointment_ids:
            return {}
        found = await self.session.exec(
            select(Appointment).where(col(Appointment.id).in_(list(appointment_ids)))
        )
        appointments = list(found.all())
        case_ids = list({a.case_id for a in appointments})
        rows = await self.session.exec(
            select(ChannelAccount, Case.language, Conversation.data)
            .join(Case, col(Case.id) == col(ChannelAccount.case_id))
            .outerjoin(Conversation, col(Conversation.account_id) == col(ChannelAccount.id))
            .where(col(ChannelAccount.case_id).in_(case_ids), ChannelAccount.channel == channel)
            .order_by(col(ChannelAccount.id))
        )
        recipients: dict[str, list[Recipient]] = {}
        for account, case_language, data in rows.all():
            assert account.case_id is not None
            recipients.setdefault(account.case_id, []).append(
                Recipient(account.external_id, account.language or case_language, data)
            )
        return {a.id: (a, recipients.get(a.case_id, [])) for a in appointments if a.id is not None}

    async def next_for_cases(
        self, case_ids: Sequence[str], after: datetime
    ) -> dict[str, Appointment]:
        """The next appointment that still takes place, per case (one query)."""
        if not case_ids:
            return {}
        result = await self.session.exec(
            select(Appointment)
            .where(
                col(Appointment.case_id).in_(list(case_ids)),
                col(Appointment.status).in_(ACTIVE_STATUSES),
                col(Appointment.ends_at) > after,
            )
            .order_by(col(Appointment.starts_at), col(Appointment.id))
        )
        found: dict[str, Appointment] = {}
        for appointment in result.all():
            found.setdefault(appointment.case_id, appointment)
        return found
