"""Appointments: `/appointments`, the invitations and reminders the worker sends (`notice`),
and the presses of their buttons. An answer goes to the consulent (an effect); the reply
says so and offers what is still open. When to remind and the texts are
`flows.appointments`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flows import appointments as A
from flows import texts as T
from flows.callbacks import AppointmentAnswer
from flows.callbacks import AppointmentVerb as Verb
from flows.effects import AppointmentResponse
from flows.replies import Button, Join, Moment, Msg, Reply
from flows.screens.roles import back_row
from flows.screens.turn import Turn

__all__ = ["details", "notice", "on_appointment", "overview", "show_appointments"]


def show_appointments(turn: Turn) -> None:
    listed = sorted(turn.state.appointments.values(), key=lambda a: (a.starts_at, a.id))
    turn.flush()
    turn.replies.extend(overview(listed, turn.context.appointments))


def on_appointment(turn: Turn, press: AppointmentAnswer) -> None:
    """Works from anywhere and needs no intake consent: appointments are the
    municipality's own task."""
    facts = turn.state.appointments.get(press.appointment)
    if facts is None or not facts.active:
        turn.note(A.NO_LONGER)
        turn.present()
        return
    ctx = turn.context.appointments
    back = back_row()
    if press.action == Verb.COMING:
        facts = _respond(turn, facts, response="coming")
        turn.reply(Msg.of(A.THANKS_COMING), buttons=_rows(facts, back))
    elif press.action == Verb.CANNOT and not press.reason:
        facts = _respond(turn, facts, response="cannot_come")
        turn.reply(Msg.of(A.WHY_NOT), buttons=[list(r) for r in reason_buttons(facts)])
    elif press.action == Verb.CANNOT and press.reason in A.REASON_CODES:
        facts = _respond(turn, facts, response="cannot_come", reason=press.reason)
        turn.reply(thanks_cannot(facts, ctx), buttons=_rows(facts, back))
    elif press.action == Verb.INTERPRETER:
        facts = _respond(turn, facts, interpreter=True)
        turn.reply(Msg.of(A.THANKS_INTERPRETER), buttons=_rows(facts, back))
    elif press.action == Verb.WAY:
        turn.reply(*route(facts), buttons=_rows(facts, back))
    else:
        turn.note(T.STALE_BUTTON)
        turn.present()


def _respond(
    turn: Turn,
    facts: A.AppointmentFacts,
    *,
    response: str | None = None,
    reason: str | None = None,
    interpreter: bool = False,
) -> A.AppointmentFacts:
    turn.effects.append(AppointmentResponse(facts.id, turn.now, response, reason, interpreter))
    changes: dict[str, object] = {}
    if response is not None:
        changes["response"] = response
    if interpreter:
        changes["interpreter_requested"] = True
    updated = facts.model_copy(update=changes)
    turn.state.appointments[facts.id] = updated
    return updated


def _rows(facts: A.AppointmentFacts, *extra: tuple[Button, ...]) -> list[list[Button]]:
    return [list(row) for row in (*response_buttons(facts), *extra)]


def details(facts: A.AppointmentFacts, ctx: A.AppointmentContext) -> list[Msg]:
    """The appointment in a few short lines: what, when, where, with whom, what to bring."""
    lines = [
        Msg.of(A.KIND_LABELS.get(facts.kind, A.KIND_LABELS["other"])),
        Msg.of(
            A.WHEN,
            date=Moment(facts.starts_at, "date"),
            start=Moment(facts.starts_at, "time"),
            end=Moment(facts.ends_at, "time"),
        ),
    ]
    if facts.mode == "phone":
        lines.append(
            Msg.of(A.BY_PHONE_AT, place=facts.place) if facts.place else Msg.of(A.BY_PHONE)
        )
    elif facts.mode == "video":
        lines.append(
            Msg.of(A.BY_VIDEO, place=facts.place) if facts.place else Msg.of(A.BY_VIDEO_LATER)
        )
    elif facts.place:
        lines.append(Msg.of(A.WHERE, place=facts.place))
    lines.append(Msg.of(A.WITH, who=A.who(facts, ctx.roles)))
    if facts.interpreter_lang:
        lines.append(Msg.of(A.INTERPRETER, language=facts.interpreter_lang))
    kind = ctx.kinds.get(facts.kind, A.KindInfo())
    if kind.bring:
        lines.append(Msg.of(A.BRING, items=Join(tuple(kind.bring))))
    return lines


def _block(lines: list[Msg]) -> Msg:
    return Msg.lit("{lines}", lines=Join(tuple(lines), "\n"))


def response_buttons(facts: A.AppointmentFacts) -> tuple[tuple[Button, ...], ...]:
    def data(action: Verb) -> str:
        return AppointmentAnswer(facts.id, action).pack()

    rows: list[tuple[Button, ...]] = []
    if facts.response != "coming":
        rows.append((Button(Msg.of(A.COMING), data(Verb.COMING)),))
    if facts.response != "cannot_come":
        rows.append((Button(Msg.of(A.CANNOT), data(Verb.CANNOT)),))
    if not facts.interpreter_requested and not facts.interpreter_lang:
        rows.append((Button(Msg.of(A.NEED_INTERPRETER), data(Verb.INTERPRETER)),))
    rows.append((Button(Msg.of(A.HOW_TO_GET_THERE), data(Verb.WAY)),))
    return tuple(rows)


def _reminder_head(facts: A.AppointmentFacts, sent_at: datetime) -> Msg:
    days = A.days_until(facts, sent_at)
    if days <= 0:
        return Msg.of(A.REMINDER_TODAY)
    if days == 1:
        return Msg.of(A.REMINDER_TOMORROW)
    return Msg.count(A.REMINDER_IN_DAYS, days)


def notice(
    purpose: str, facts: A.AppointmentFacts, ctx: A.AppointmentContext, sent_at: datetime
) -> Reply:
    """The message the worker sends: an invitation, a change, a cancellation or a
    reminder (`sent_at` decides "tomorrow" or "in 7 days")."""
    if purpose == "cancelled":
        return Reply((Msg.of(A.CANCELLED), _block(details(facts, ctx)[:2])))
    head = {
        "invitation": Msg.of(A.INVITATION),
        "changed": Msg.of(A.CHANGED),
    }.get(purpose) or _reminder_head(facts, sent_at)
    parts = [head, _block(details(facts, ctx))]
    if A.is_obligatory(facts, ctx):
        parts.append(Msg.of(A.OBLIGATORY))
        if purpose in ("invitation", "changed"):
            parts.append(Msg.of(A.CONSEQUENCE))
    parts.append(Msg.of(A.CAN_YOU_COME) if facts.response is None else _said(facts))
    return Reply(tuple(parts), response_buttons(facts))


def _said(facts: A.AppointmentFacts) -> Msg:
    return Msg.of(A.YOU_SAID_COMING if facts.response == "coming" else A.YOU_SAID_CANNOT)


def overview(appointments: Sequence[A.AppointmentFacts], ctx: A.AppointmentContext) -> list[Reply]:
    """`/appointments`: each upcoming appointment with its buttons."""
    upcoming = [a for a in appointments if a.active]
    if not upcoming:
        return [Reply((Msg.of(A.NONE_PLANNED),), (back_row(),))]
    replies = [Reply((Msg.of(A.YOUR_APPOINTMENTS),))]
    for number, facts in enumerate(upcoming, 1):
        parts = [_block(details(facts, ctx))]
        if facts.response is not None:
            parts.append(_said(facts))
        rows = response_buttons(facts)
        if number == len(upcoming):  # a message needs text: the way back goes on the last
            rows += (back_row(),)
        replies.append(Reply(tuple(parts), rows))
    return replies


def route(facts: A.AppointmentFacts) -> list[Msg]:
    if facts.mode == "phone":
        return [Msg.of(A.ROUTE_PHONE)]
    if facts.mode == "video":
        lines = [Msg.of(A.ROUTE_VIDEO)]
        if facts.place:
            lines.append(Msg.of(A.BY_VIDEO, place=facts.place))
        return lines
    if not facts.place:
        return [Msg.of(A.ROUTE_UNKNOWN)]
    return [
        Msg.of(A.ROUTE, place=facts.place),
        Msg.of(A.MAP_LINK, link=A.map_link(facts.place)),
        Msg.of(A.ASK_HELP_ROUTE),
    ]


def reason_buttons(facts: A.AppointmentFacts) -> tuple[tuple[Button, ...], ...]:
    rows = [
        (Button(Msg.of(label), AppointmentAnswer(facts.id, Verb.CANNOT, code).pack()),)
        for code, label in A.REASONS
    ]
    after_all = AppointmentAnswer(facts.id, Verb.COMING).pack()
    rows.append((Button(Msg.of(A.CAN_COME_AFTER_ALL), after_all),))
    return tuple(rows)


def thanks_cannot(facts: A.AppointmentFacts, ctx: A.AppointmentContext) -> Msg:
    return Msg.of(A.THANKS_CANNOT_OBLIGATORY if A.is_obligatory(facts, ctx) else A.THANKS_CANNOT)
