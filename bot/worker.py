"""The reminder worker: sends invitations, notices and reminders when they are due,
exactly once, in the person's language, and survives restarts beside other workers.

A cycle claims due rows (``ReminderRepository.claim``: a lease, ``FOR UPDATE SKIP
LOCKED`` on PostgreSQL), commits, sends each through the channel, and marks each sent
as soon as it went out. A worker killed between a send and its mark leaves a lease that
runs out; another worker then sends that one message again — at most one duplicate per
claimed row of a killed worker, never a loss. Time comes from ``clock``: tests never
sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.appointments import calendar_file, context_of, facts_of, quiet_hours
from bot.core.clock import utcnow
from bot.core.metrics import reminder_done
from bot.municipality import Municipality
from flows import appointments as A
from flows.i18n import Rendered, Renderer
from flows.languages import DUTCH
from flows.screens.appointments import notice
from storage import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentRepository,
    Database,
    Recipient,
    Reminder,
    ReminderRepository,
    UpdateRepository,
)

log = logging.getLogger(__name__)

WITH_CALENDAR = ("invitation", "changed", "cancelled")
TIED_TO_TIME = ("invitation", "changed", "reminder")  # pointless once it has started
NO_CHAT_RETRY = timedelta(minutes=30)  # the person has not linked a chat yet
UPDATE_MEMORY = timedelta(days=2)  # Telegram stops redelivering long before this


class Sender(Protocol):
    """A channel that can deliver one rendered message to a chat; True when it went out."""

    async def deliver(self, chat_id: int, rendered: Rendered) -> bool: ...


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


Maintenance = Callable[[datetime], Awaitable[None]]


@dataclass
class ReminderWorker:
    db: Database
    renderer: Renderer
    municipality: Municipality
    sender: Sender | None
    channel: str = "telegram"
    name: str = field(default_factory=worker_name)
    clock: Callable[[], datetime] = utcnow
    lease: timedelta = timedelta(seconds=60)
    batch: int = 50
    max_attempts: int = 6
    maintenance: list[Maintenance] = field(default_factory=list)
    maintenance_every: timedelta = timedelta(hours=1)
    # Messages a second for all workers together (the channel's limit is per bot): a
    # budget shared through the database. None: only this process's outbox paces.
    rate: float | None = None
    _ctx: A.AppointmentContext = field(init=False)
    _quiet: A.QuietHours = field(init=False)
    _last_maintenance: datetime | None = field(default=None, init=False)
    _budget_wait: float | None = field(default=None, init=False)  # set when the budget ran dry

    def __post_init__(self) -> None:
        self._ctx = context_of(self.municipality)
        self._quiet = quiet_hours(self.municipality)
        self.maintenance.insert(0, self._prune_updates)

    # -- one cycle ------------------------------------------------------------------------

    async def run_once(self) -> int:
        """Claim and send what is due now; how many rows were handled."""
        now = self.clock()
        await self._maintain(now)
        if self.sender is None:
            return 0  # no channel: messages wait, nothing is lost
        self._budget_wait = None
        async with self.db.session() as session, session.begin():
            reminders = ReminderRepository(session)
            limit = self.batch
            if self.rate is not None:
                limit, wait = await reminders.spend(
                    self.channel, now, rate=self.rate, burst=max(1.0, self.rate), want=self.batch
                )
                if limit == 0:
                    self._budget_wait = wait
                    return 0
            claimed = await reminders.claim(self.name, now, lease=self.lease, limit=limit)
            if self.rate is not None:
                await reminders.refund(self.channel, limit - len(claimed))
        if not claimed:
            return 0
        async with self.db.session(readonly=True) as session:
            found = await AppointmentRepository(session).with_recipients(
                [r.appointment_id for r in claimed], self.channel
            )
        # One message in flight at a time: a worker killed mid-send then leaves at most
        # one message sent but not marked, so at most one duplicate. Throughput comes
        # from running several workers.
        held_until = now + self.lease
        for number, reminder in enumerate(claimed):
            if self.clock() > held_until - self.lease * 2 / 3:
                # Renew the lease on what is left before it can run out; rows another
                # worker took over meanwhile (we were slow) are no longer ours to send.
                held_until = self.clock() + self.lease
                async with self.db.session() as session, session.begin():
                    mine = await ReminderRepository(session).hold_many(
                        [r.id for r in claimed[number:] if r.id is not None], self.name, held_until
                    )
                if reminder.id not in mine:
                    continue
                claimed[number + 1 :] = [r for r in claimed[number + 1 :] if r.id in mine]
            try:
                await self.process(reminder, *found.get(reminder.appointment_id, (None, [])))
            except Exception as exc:  # one bad row must not stop the others
                log.error("reminder %s failed: %s", reminder.id, type(exc).__name__)
                await self._release(reminder, type(exc).__name__)
        return len(claimed)

    async def process(
        self, reminder: Reminder, appointment: Appointment | None, recipients: list[Recipient]
    ) -> None:
        """Send one claimed row (its appointment and chats were read with the batch; a
        change since then cancelled the row, and marking it then finds it not pending)."""
        assert reminder.id is not None
        now = self.clock()
        targets = [self._target(r) for r in recipients]
        if appointment is None or self._pointless(reminder, appointment, now):
            await self._finish(reminder, "cancelled")
            return
        if not targets:
            if reminder.purpose == "cancelled":
                await self._finish(reminder, "cancelled")  # nobody to tell
            else:
                await self._release(reminder, "NoChat", retry=NO_CHAT_RETRY, count=False)
            return
        facts = facts_of(appointment, now)
        group = recipients[0].target_group  # one case: one target group
        delivered = True
        for chat_id, lang, bilingual in targets:
            for rendered in self.render(
                reminder, appointment, facts, lang, bilingual, now, group=group
            ):
                assert self.sender is not None
                if not await self.sender.deliver(chat_id, rendered):
                    delivered = False
                    break
        if delivered:
            await self._finish(reminder, "sent")
        else:
            await self._release(reminder, "SendFailed")

    def render(
        self,
        reminder: Reminder,
        appointment: Appointment,
        facts: A.AppointmentFacts,
        lang: str,
        bilingual: bool,
        now: datetime,
        *,
        group: str | None = None,
    ) -> list[Rendered]:
        reply = notice(reminder.purpose, facts, self._ctx, now, group=group)
        messages = [self.renderer.reply(reply, lang, bilingual)]
        if reminder.purpose in WITH_CALENDAR:
            cancelled = reminder.purpose == "cancelled"
            messages.append(
                calendar_file(
                    self.renderer,
                    self._ctx,
                    appointment,
                    facts,
                    lang,
                    bilingual,
                    cancelled=cancelled,
                )
            )
        return messages

    @staticmethod
    def _pointless(reminder: Reminder, appointment: Appointment, now: datetime) -> bool:
        if reminder.purpose == "cancelled":
            return appointment.status != "cancelled"  # planned again since: not true
        return appointment.status not in ACTIVE_STATUSES or (
            reminder.purpose in TIED_TO_TIME and appointment.starts_at <= now
        )

    @staticmethod
    def _target(recipient: Recipient) -> tuple[int, str, bool]:
        """The chat, its language and whether it wants the Dutch underneath."""
        try:
            position = json.loads(recipient.conversation) if recipient.conversation else {}
        except ValueError:
            position = {}
        bilingual = position.get("bilingual", True) if isinstance(position, dict) else True
        return recipient.external_id, recipient.language or DUTCH, bool(bilingual)

    async def _finish(self, reminder: Reminder, status: str) -> None:
        assert reminder.id is not None
        async with self.db.session() as session, session.begin():
            mine = await ReminderRepository(session).finish(
                reminder.id, self.name, status, self.clock()
            )
        if not mine:
            log.warning("reminder %s was taken over before it was marked %s", reminder.id, status)
        else:
            reminder_done(status, reminder.due_at, self.clock())

    async def _release(
        self, reminder: Reminder, error: str, *, retry: timedelta | None = None, count: bool = True
    ) -> None:
        """Try again later, with backoff (1, 2, 4 … minutes, at most an hour), outside the
        quiet hours."""
        assert reminder.id is not None
        now = self.clock()
        wait = retry or min(timedelta(minutes=2**reminder.attempts), timedelta(hours=1))
        if count:  # a failed send; a person without a chat yet is no failure
            reminder_done("failed", reminder.due_at, now)
        retry_at = A.later_if_quiet(now + wait, self._quiet)
        async with self.db.session() as session, session.begin():
            await ReminderRepository(session).release(
                reminder.id,
                self.name,
                retry_at=retry_at,
                error=error,
                max_attempts=self.max_attempts,
                count_attempt=count,
            )

    # -- upkeep ---------------------------------------------------------------------------

    async def _maintain(self, now: datetime) -> None:
        last = self._last_maintenance
        if last is not None and now - last < self.maintenance_every:
            return
        self._last_maintenance = now
        for job in self.maintenance:
            try:
                await job(now)
            except Exception as exc:  # upkeep must never stop the sending
                log.error("maintenance failed: %s", type(exc).__name__)

    async def _prune_updates(self, now: datetime) -> None:
        async with self.db.session() as session, session.begin():
            await UpdateRepository(session).prune(now - UPDATE_MEMORY)

    # -- the loop -------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, idle: float = 1.0) -> None:
        """Work until `stop` is set; wait `idle` seconds when nothing was due."""
        if self.sender is None:
            log.warning("reminder worker: no channel to send on; messages wait until one runs")
        log.info("reminder worker %s started", self.name)
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception as exc:  # the database away for a moment: try again
                log.error("reminder worker cycle failed: %s", type(exc).__name__)
                handled = 0
            if handled == 0:
                # Out of budget: wait for the next token, not the whole idle time.
                pause = idle if self._budget_wait is None else min(idle, self._budget_wait)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), max(pause, 0.01))
