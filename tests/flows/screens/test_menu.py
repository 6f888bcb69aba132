"""`flows/screens/menu.py`: the menu after the pre-intake and /help (from test_robustness,
test_journey, test_roles)."""

from __future__ import annotations

import pytest

from flows import journey as J
from flows import texts as T
from flows.callbacks import (
    JourneyStep,
    MenuChoice,
    PickOption,
)
from flows.commands import COMMANDS
from flows.engine import Engine, Step
from flows.events import Event
from flows.i18n import Renderer
from flows.state import Stage
from tests.flows.helpers import (
    AGAIN,
    NOW,
    all_msgids,
    asked,
    at_question,
    codes,
    consented,
    msgids,
    payloads,
    press,
)

AT_DUTCH = {"language.spoken": codes("ar"), "language.interpreter": codes("no")}


def text(step: Step, lang: str = "en", renderer: Renderer | None = None) -> str:
    renderer = renderer or Renderer({})
    return "\n".join(renderer.reply(r, lang, False).text for r in step.replies)


# -- commands ---------------------------------------------------------------------------------


def test_help_lists_the_commands_and_shows_the_question_again(drive):
    step = drive([Event.cmd("help")], state=at_question("reading.dutch", AT_DUTCH))
    assert msgids(step)[0] == T.HELP
    lines = step.replies[0].parts[1].params["lines"].items
    assert [line.params["command"] for line in lines] == [name for name, _ in COMMANDS]
    assert [name for name, _ in COMMANDS] == [
        "start",
        "answers",
        "language",
        "mydata",
        "delete",
        "person",
        "roles",
        "appointments",
        "route",
        "help",
    ]
    assert asked(step) == "reading.dutch"
    assert PickOption("reading.dutch", "none") in payloads(step)


@pytest.mark.parametrize("command", ["foo", "stop", "", "HELPME"])
def test_an_unknown_command_gets_a_note_help_and_the_question(drive, command):
    step = drive([Event.cmd(command)], state=at_question("reading.dutch", AT_DUTCH))
    ids = msgids(step)
    assert ids[:2] == [T.UNKNOWN_COMMAND, T.HELP]
    assert asked(step) == "reading.dutch"
    assert step.replies[-1].buttons  # the question, with its buttons
    assert step.answers == () and step.effects == ()


def test_typing_after_sending_shows_the_menu(drive):
    state = consented(stage=Stage.DONE, submitted=True)
    step = drive([Event.say("hello")], state=state)
    assert step.state.position.stage is Stage.DONE
    assert T.DONE_MENU in msgids(step)


def test_menu_help_shows_help_and_the_place_again(drive):
    state = consented(stage=Stage.DONE, submitted=True)
    step = drive([press(MenuChoice("help"))], state=state)
    assert msgids(step)[0] == T.HELP
    assert T.DONE_MENU in msgids(step)


def test_the_menu_after_the_intake_has_a_button_for_the_journey(engine: Engine) -> None:
    step = engine.step(consented(stage=Stage.DONE, submitted=True), AGAIN, NOW)
    assert JourneyStep("all") in payloads(step)
    assert J.MENU_BUTTON in all_msgids(step)


def test_the_command_is_listed_in_help(engine: Engine) -> None:
    step = engine.step(consented(stage=Stage.DONE, submitted=True), Event.cmd("help"), NOW)
    assert "/route" in text(step)
