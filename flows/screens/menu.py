"""After the pre-intake: the menu (answers, who helps with what, language, help)."""

from __future__ import annotations

from flows import journey
from flows import texts as T
from flows.callbacks import JourneyStep, MenuChoice, RolesAction
from flows.commands import COMMANDS
from flows.replies import Button, Join, Msg
from flows.screens.language import ask_language
from flows.screens.review import show_answers
from flows.screens.turn import Turn
from flows.state import Stage


def show_done(turn: Turn) -> None:
    turn.pos.stage = Stage.DONE
    turn.reply(Msg.of(T.DONE_MENU), buttons=menu_buttons(turn, answers=True))


def menu_buttons(turn: Turn, *, answers: bool) -> list[list[Button]]:
    rows = [[Button(Msg.of(T.MENU_ANSWERS), MenuChoice("answers").pack())]] if answers else []
    if turn.context.topics:
        rows.append([Button(Msg.of(T.MENU_ROLES), RolesAction("roles").pack())])
    rows.append([Button(Msg.of(journey.MENU_BUTTON), JourneyStep(journey.ALL).pack())])
    rows += [
        [Button(Msg.of(T.MENU_LANGUAGE), MenuChoice("language").pack())],
        [Button(Msg.of(T.MENU_HELP), MenuChoice("help").pack())],
    ]
    return rows


def on_menu(turn: Turn, press: MenuChoice) -> bool:
    if press.item == "answers":
        show_answers(turn)
    elif press.item == "language":
        ask_language(turn)
    else:
        show_help(turn)
    return True


def show_help(turn: Turn) -> None:
    """What the commands do; then the place the person was at."""
    lines = tuple(
        Msg.lit("/{command} – {description}", command=name, description=Msg.of(description))
        for name, description in COMMANDS
    )
    turn.reply(Msg.of(T.HELP), Msg.lit("{lines}", lines=Join(lines, "\n")))
    turn.present()
