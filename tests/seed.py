"""Rows the erasure and retention tests need a person to have: an appointment with its
pending reminders, written through the repositories the application uses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import Appointment, AppointmentRepository, ReminderRepository


async def add_appointment(
    session: AsyncSession,
    case_id: str,
    *,
    now: datetime,
    starts_in: timedelta,
    reminders_in: Iterable[timedelta],
    kind: str = "pip",
    **fields: object,
) -> Appointment:
    """An hour-long appointment `starts_in` from `now`, with a pending reminder at each of
    `reminders_in` from `now`."""
    start = now + starts_in
    appointment = await AppointmentRepository(session).add(
        Appointment(
            case_id=case_id,
            kind=kind,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            created_at=now,
            updated_at=now,
            **fields,
        )
    )
    assert appointment.id is not None
    reminders = ReminderRepository(session)
    for offset in reminders_in:
        await reminders.schedule(appointment.id, "reminder", now + offset, now=now)
    return appointment
