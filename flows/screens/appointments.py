"""Appointments: `/appointments`, and the buttons of invitations and reminders. An answer
goes to the consulent (an effect); the reply says so and offers what is still open."""

from __future__ import annotations

from flows import appointments as A
from flows import roles
from flows import texts as T
from flows.callbacks import AppointmentAnswer, RolesAction
from flows.effects import AppointmentResponse
from flows.replies import Button, Msg
from flows.screens.turn import Turn


def show_appointments(turn: Turn) -> None:
    listed = sorted(turn.state.appointments.values(), key=lambda a: (a.starts_at, a.id))
    turn.flush()
    turn.replies.extend(A.overview(listed, turn.context.appointments))


def on_appointment(turn: Turn, press: AppointmentAnswer) -> None:
    """Works from anywhere and needs no intake consent: appointments are the
    municipality's own task."""
    facts = turn.state.appointments.get(press.appointment)
    if facts is None or not facts.active:
        turn.note(A.NO_LONGER)
        turn.present()
        return
    ctx = turn.context.appointments
    back = (Button(Msg.of(roles.BACK_TO_WHERE), RolesAction("back").pack()),)
    if press.action == "y":
        facts = _respond(turn, facts, response="coming")
        turn.reply(Msg.of(A.THANKS_COMING), buttons=_rows(facts, back))
    elif press.action == "n" and not press.reason:
        facts = _respond(turn, facts, response="cannot_come")
        turn.reply(Msg.of(A.WHY_NOT), buttons=[list(r) for r in A.reason_buttons(facts)])
    elif press.action == "n" and press.reason in A.REASON_CODES:
        facts = _respond(turn, facts, response="cannot_come", reason=press.reason)
        group = turn.state.case.target_group
        turn.reply(A.thanks_cannot(facts, ctx, group), buttons=_rows(facts, back))
    elif press.action == "i":
        facts = _respond(turn, facts, interpreter=True)
        turn.reply(Msg.of(A.THANKS_INTERPRETER), buttons=_rows(facts, back))
    elif press.action == "w":
        turn.reply(*A.route(facts), buttons=_rows(facts, back))
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
    return [list(row) for row in (*A.response_buttons(facts), *extra)]
