"""Planning appointments: the API the CLI and the dashboard use.

Every plan, change or cancellation is saved together with the messages it causes (an
invitation, a change or cancellation notice, the reminders) in one transaction: the
worker sends them later, so a crash between planning and sending loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from bot.core.cases import find_case
from bot.core.clock import utcnow
from bot.core.text import NAME_MAX, NOTES_MAX, PLACE_MAX, TextTooLong, clean_field
from bot.municipality import Municipality
from flows import appointments as A
from flows.calendar import appointment_ics
from flows.i18n import Document, Rendered, Renderer
from flows.languages import DUTCH
from flows.replies import Msg
from flows.screens.appointments import details
from storage import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentRepository,
    AuditRepository,
    Database,
    ReminderRepository,
    Session,
)

DEFAULT_DURATION = timedelta(minutes=60)
MAX_AHEAD = timedelta(days=2 * 365)
CLOSED_STATUSES = ("cancelled", "done", "missed")


async def _audit(
    session: Session, by: str | None, action: str, appointment: Appointment, at: datetime
) -> None:
    """Every change is audited here, in its own transaction, whoever makes it (the
    dashboard or the CLI): one home, so the two cannot drift."""
    await AuditRepository(session).record(
        actor=by or "system",
        action=action,
        target=appointment.case_id,
        at=at,
        detail=f"appointment {appointment.id}",
    )


class AppointmentError(Exception):
    """A plan that cannot be made; `code` for the dashboard, the message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class AppointmentPlan:
    kind: str
    starts_at: datetime
    ends_at: datetime | None = None  # None: the kind's duration from the municipality file
    mode: str = "in_person"
    place: str | None = None
    with_role: str = "consulent"
    with_name: str | None = None
    interpreter_lang: str | None = None
    notes: str | None = None


def context_of(municipality: Municipality) -> A.AppointmentContext:
    """The municipality's appointment kinds and roles, as the flows see them."""
    kinds = {
        kind: A.KindInfo(
            obligatory=municipality.appointment(kind).obligatory,
            bring=tuple(municipality.appointment(kind).bring),
        )
        for kind in A.KIND_CODES
    }
    return A.AppointmentContext(kinds=kinds, roles=municipality.role_cards())


def quiet_hours(municipality: Municipality) -> A.QuietHours:
    return municipality.reminders.quiet_hours


def facts_of(appointment: Appointment, now: datetime) -> A.AppointmentFacts:
    assert appointment.id is not None
    return A.AppointmentFacts(
        id=appointment.id,
        kind=appointment.kind,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        mode=appointment.mode,
        place=appointment.place,
        with_role=appointment.with_role,
        with_name=appointment.with_name,
        interpreter_lang=appointment.interpreter_lang,
        active=appointment.status in ACTIVE_STATUSES and appointment.ends_at > now,
        response=appointment.response,
        interpreter_requested=appointment.interpreter_requested,
    )


def calendar_sequence(appointment: Appointment) -> int:
    """The calendar's SEQUENCE: rises with every change of the appointment."""
    return max(0, int((appointment.updated_at - appointment.created_at).total_seconds()))


def calendar_file(
    renderer: Renderer,
    ctx: A.AppointmentContext,
    appointment: Appointment,
    facts: A.AppointmentFacts,
    lang: str,
    bilingual: bool,
    *,
    cancelled: bool = False,
) -> Rendered:
    """The .ics of an appointment, to add it to the phone's calendar (which then
    reminds the person), with its caption: sent with an invitation, and offered by the
    web chat beside "my appointments"."""
    kind = Msg.of(A.KIND_LABELS.get(facts.kind, A.KIND_LABELS["other"]))
    summary = renderer.text(kind, lang)
    if bilingual and lang != DUTCH:
        summary = f"{summary} / {renderer.text(kind, DUTCH)}"
    lines = [renderer.text(m, lang) for m in details(facts, ctx)[2:]]
    content = appointment_ics(
        facts,
        summary=summary,
        description="\n".join(lines),
        sequence=calendar_sequence(appointment),
        stamp=appointment.updated_at,
        cancelled=cancelled,
    )
    caption = renderer.text(Msg.of(A.CALENDAR_FILE), lang)
    return Rendered(caption, document=Document(f"afspraak-{facts.id}.ics", content))


@dataclass
class AppointmentService:
    db: Database
    municipality: Municipality
    clock: Callable[[], datetime] = utcnow
    quiet: A.QuietHours = field(init=False)

    def __post_init__(self) -> None:
        self.quiet = quiet_hours(self.municipality)

    # -- checks -------------------------------------------------------------------------

    def _checked(self, plan: AppointmentPlan, now: datetime) -> tuple[datetime, datetime]:
        if plan.kind not in A.KIND_CODES:
            raise AppointmentError(
                "unknown_kind",
                f"unknown kind {plan.kind!r}: choose one of {', '.join(A.KIND_CODES)}",
            )
        if plan.mode not in A.MODES:
            raise AppointmentError(
                "bad_mode", f"unknown mode {plan.mode!r}: choose one of {', '.join(A.MODES)}"
            )
        if plan.with_role not in self.municipality.roles:
            raise AppointmentError(
                "unknown_role",
                f"unknown role {plan.with_role!r}: the municipality file has "
                f"{', '.join(self.municipality.roles)}",
            )
        start = plan.starts_at
        if start.tzinfo is None or start.utcoffset() is None:
            raise AppointmentError("bad_time", "the start time needs a time zone")
        if start <= now:
            raise AppointmentError("in_past", "the start time is in the past")
        if start > now + MAX_AHEAD:
            raise AppointmentError("too_far", "the start time is more than two years ahead")
        duration = self.municipality.appointment(plan.kind).duration_minutes
        end = plan.ends_at or start + (
            timedelta(minutes=duration) if duration else DEFAULT_DURATION
        )
        if end.tzinfo is None or end.utcoffset() is None:
            raise AppointmentError("bad_time", "the end time needs a time zone")
        if end <= start:
            raise AppointmentError("end_before_start", "the end is not after the start")
        if plan.mode == "in_person" and plan.place is not None and not plan.place.strip():
            raise AppointmentError("bad_place", "the place is empty")
        return start.astimezone(UTC), end.astimezone(UTC)

    @staticmethod
    def _cleaned(plan: AppointmentPlan) -> AppointmentPlan:
        """Place, name and notes through the one text cleaner (no control or bidi
        characters), within their limits."""
        try:
            return replace(
                plan,
                place=clean_field(plan.place, field="place", limit=PLACE_MAX),
                with_name=clean_field(plan.with_name, field="name", limit=NAME_MAX),
                notes=clean_field(plan.notes, field="notes", limit=NOTES_MAX, multiline=True),
            )
        except TextTooLong as exc:
            raise AppointmentError(
                f"too_long_{exc.field}",
                f"the {exc.field} is longer than {exc.limit} characters",
            ) from None

    # -- the schedule ---------------------------------------------------------------------

    async def _schedule(
        self, reminders: ReminderRepository, appointment: Appointment, purpose: str, now: datetime
    ) -> None:
        """The notice (`purpose`) now or after the quiet hours, then the reminders."""
        assert appointment.id is not None
        start = appointment.starts_at
        await reminders.schedule(
            appointment.id, purpose, A.notice_time(now, start, self.quiet), now=now
        )
        offsets = self.municipality.reminder_offsets
        for item in A.reminder_times(start, offsets, self.quiet, now):
            await reminders.schedule(
                appointment.id,
                "reminder",
                item.due_at,
                now=now,
                offset_minutes=int(item.offset.total_seconds() // 60),
            )

    # -- the API --------------------------------------------------------------------------

    async def plan(
        self, case_ref: str, plan: AppointmentPlan, *, by: str | None = None
    ) -> Appointment:
        """Plan an appointment for a case (its id or invite code) and schedule the
        invitation and reminders."""
        now = self.clock()
        start, end = self._checked(plan, now)
        plan = self._cleaned(plan)
        async with self.db.session() as session, session.begin():
            case = await find_case(session, case_ref)
            if case is None:
                raise AppointmentError("unknown_case", f"no case with code or id {case_ref!r}")
            appointment = await AppointmentRepository(session).add(
                Appointment(
                    case_id=case.id,
                    kind=plan.kind,
                    starts_at=start,
                    ends_at=end,
                    mode=plan.mode,
                    place=(plan.place or "").strip() or None,
                    with_role=plan.with_role,
                    with_name=plan.with_name,
                    interpreter_lang=plan.interpreter_lang,
                    notes=plan.notes,
                    created_by=by,
                    created_at=now,
                    updated_at=now,
                )
            )
            await self._schedule(ReminderRepository(session), appointment, "invitation", now)
            await _audit(session, by, "appointment.plan", appointment, now)
            return appointment

    async def _open(self, session: Session, appointment_id: int) -> Appointment:
        found = await AppointmentRepository(session).get(appointment_id, lock=True)
        if found is None:
            raise AppointmentError(
                "unknown_appointment", f"no appointment with number {appointment_id}"
            )
        if found.status in CLOSED_STATUSES:
            raise AppointmentError(
                "closed", f"appointment {appointment_id} is {found.status} and cannot change"
            )
        return found

    async def change(
        self, appointment_id: int, plan: AppointmentPlan, *, by: str | None = None
    ) -> Appointment:
        """A new plan: pending messages are cancelled and new ones scheduled. The person's
        earlier answer no longer holds for a new time, so it is cleared."""
        now = self.clock()
        start, end = self._checked(plan, now)
        plan = self._cleaned(plan)
        async with self.db.session() as session, session.begin():
            appointment = await self._open(session, appointment_id)
            reminders = ReminderRepository(session)
            await reminders.cancel_pending(appointment_id)
            told = await reminders.was_sent(appointment_id, ("invitation", "changed"))
            moved = (start, end) != (appointment.starts_at, appointment.ends_at)
            appointment.kind = plan.kind
            appointment.starts_at, appointment.ends_at = start, end
            appointment.mode = plan.mode
            appointment.place = (plan.place or "").strip() or None
            appointment.with_role, appointment.with_name = plan.with_role, plan.with_name
            appointment.interpreter_lang = plan.interpreter_lang
            appointment.notes = plan.notes
            appointment.status = "changed" if told else "planned"
            if moved:
                appointment.response = appointment.response_reason = None
                appointment.responded_at = None
            appointment.updated_at = now
            session.add(appointment)
            await session.flush()
            await self._schedule(reminders, appointment, "changed" if told else "invitation", now)
            await _audit(session, by, "appointment.change", appointment, now)
            return appointment

    async def cancel(self, appointment_id: int, *, by: str | None = None) -> Appointment:
        """Cancel: no more reminders; a person who was told gets a cancellation notice."""
        now = self.clock()
        async with self.db.session() as session, session.begin():
            appointment = await self._open(session, appointment_id)
            reminders = ReminderRepository(session)
            await reminders.cancel_pending(appointment_id)
            appointment.status = "cancelled"
            appointment.updated_at = now
            session.add(appointment)
            if await reminders.was_sent(appointment_id, ("invitation", "changed")):
                assert appointment.id is not None
                await reminders.schedule(
                    appointment.id, "cancelled", A.notice_time(now, now, self.quiet), now=now
                )
            await _audit(session, by, "appointment.cancel", appointment, now)
            return appointment

    async def mark(
        self, appointment_id: int, outcome: str, *, by: str | None = None
    ) -> Appointment:
        """After the appointment: the person came (done) or did not (missed)."""
        if outcome not in ("done", "missed"):
            raise AppointmentError(
                "bad_outcome", f"outcome must be done or missed, not {outcome!r}"
            )
        now = self.clock()
        async with self.db.session() as session, session.begin():
            appointment = await self._open(session, appointment_id)
            if appointment.starts_at > now:
                raise AppointmentError(
                    "not_yet", f"appointment {appointment_id} has not started yet"
                )
            await ReminderRepository(session).cancel_pending(appointment_id)
            appointment.status = outcome
            appointment.updated_at = now
            session.add(appointment)
            await _audit(session, by, f"appointment.{outcome}", appointment, now)
            return appointment

    async def for_case(self, case_id: str) -> list[Appointment]:
        async with self.db.session(readonly=True) as session:
            return await AppointmentRepository(session).for_case(case_id)

    async def calendar_files(
        self, renderer: Renderer, case_id: str, lang: str, bilingual: bool
    ) -> list[Rendered]:
        """A calendar file for each of the case's appointments still to come."""
        now = self.clock()
        ctx = context_of(self.municipality)
        files = []
        for appointment in await self.for_case(case_id):
            facts = facts_of(appointment, now)
            if facts.active:
                files.append(calendar_file(renderer, ctx, appointment, facts, lang, bilingual))
        return files

    async def of_case(self, case_ref: str) -> list[Appointment]:
        """A case's appointments, the case given by its invite code or id."""
        async with self.db.session(readonly=True) as session:
            case = await find_case(session, case_ref)
            if case is None:
                raise AppointmentError("unknown_case", f"no case with code or id {case_ref!r}")
            return await AppointmentRepository(session).for_case(case.id)

    async def next_for_cases(self, case_ids: Sequence[str]) -> dict[str, Appointment]:
        async with self.db.session(readonly=True) as session:
            return await AppointmentRepository(session).next_for_cases(case_ids, self.clock())
