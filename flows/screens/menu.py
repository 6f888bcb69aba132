"""After the pre-intake: the menu (answers, who helps with what, language, help)."""

from __future__ import annotations

from flows import texts as T
from flows.callbacks import MenuChoice, MenuItem
from flows.commands import COMMANDS
from flows.replies import Button, Join, Msg
from flows.screens.journey import journey_button
from flows.screens.language import ask_language
from flows.screens.review import show_answers
from flows.screens.roles import roles_button
from flows.screens.turn import Turn
from flows.state import Stage


def show_done(turn: Turn) -> None:
    turn.pos.stage = Stage.DONE
    turn.reply(Msg.of(T.DONE_MENU), buttons=menu_buttons(turn, answers=True))


def menu_buttons(turn: Turn, *, answers: bool) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if answers:
        rows.append([Button(Msg.of(T.MENU_ANSWERS), MenuChoice(MenuItem.ANSWERS).pack())])
    if turn.context.topics:
        rows.append(roles_button())
    rows.append(journey_button())
    rows += [
        [Button(Msg.of(T.MENU_LANGUAGE), MenuChoice(MenuItem.LANGUAGE).pack())],
        [Button(Msg.of(T.MENU_HELP), MenuChoice(MenuItem.HELP).pack())],
    ]
    return rows


def on_menu(turn: Turn, press: MenuChoice) -> bool:
    if press.item == MenuItem.ANSWERS:
        show_answers(turn)
    elif press.item == MenuItem.LANGUAGE:
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
