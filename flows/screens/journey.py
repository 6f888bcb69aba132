"""My inburgering, step by step (`/route` and the menu's button): information only, at
any moment, like "Who helps me with what?". No stage changes, so "Back to where I was"
shows the current question (or screen) again. The case's facts (`State.journey`) are
loaded by the service only for these updates."""

from __future__ import annotations

from datetime import date

from flows import journey as J
from flows import texts as T
from flows.callbacks import JourneyStep
from flows.i18n import LOCAL_TZ
from flows.screens.turn import Turn

__all__ = ["on_journey", "show_journey"]


def show_journey(turn: Turn) -> None:
    """The timeline, with "you are here" when the case is known."""
    turn.flush()
    ctx = turn.context
    turn.replies.append(J.overview(turn.state.journey, _today(turn), ctx.journey))


def on_journey(turn: Turn, press: JourneyStep) -> None:
    if press.step == J.ALL:
        show_journey(turn)
        return
    ctx = turn.context
    screen = J.step_screen(
        press.step, turn.state.journey, _today(turn), ctx.journey, ctx.roles, ctx.topics
    )
    if screen is None:
        turn.note(T.STALE_BUTTON)
        turn.present()
        return
    turn.flush()
    turn.replies.append(screen)


def _today(turn: Turn) -> date:
    """The day it is in the Netherlands: the case's dates are Dutch days."""
    return turn.now.astimezone(LOCAL_TZ).date()
