"""`flows/screens/turn.py`: where the person should be. Resuming an interrupted
conversation (from test_navigation)."""

from __future__ import annotations

import pytest

from flows import texts as T
from flows.callbacks import MenuChoice
from flows.events import Event
from flows.state import Stage
from tests.flows.helpers import (
    AGAIN,
    AGREED,
    ALL_BRANCHES,
    FIRST_QUESTION,
    asked,
    codes,
    consented,
    msgids,
    new_state,
    payloads,
    steps,
    walk,
)


@pytest.fixture(scope="module")
def whole_walk(engine):
    """Every question asked once (all branches open), from consent to the review."""
    agreed = steps(engine, new_state(), AGREED)[-1]
    return [agreed, *walk(engine, agreed.state, ALL_BRANCHES)]


# -- resume -----------------------------------------------------------------------------------


def test_start_with_some_answers_welcomes_back_at_the_first_unanswered_question(drive):
    answers = {
        FIRST_QUESTION: codes("ar"),
        "language.interpreter": codes("yes"),
        "reading.own_language": codes("well"),
    }
    state = consented(answers, stage=Stage.QUESTION, question="reading.own_language")
    step = drive([Event.start()], state=state)
    assert msgids(step)[0] == T.WELCOME_BACK
    assert asked(step) == "language.interpreter_language"  # opened by "interpreter: yes"
    assert step.answers == () and step.effects == ()


def test_start_without_answers_does_not_say_welcome_back(drive):
    step = drive([Event.start()], state=consented())
    assert T.WELCOME_BACK not in msgids(step)
    assert asked(step) == FIRST_QUESTION


def test_start_after_submission_shows_the_done_menu(drive, whole_walk):
    state = whole_walk[-1].state.model_copy(
        update={"case": whole_walk[-1].state.case.model_copy(update={"submitted": True})}
    )
    step = drive([Event.start()], state=state)
    assert step.state.position.stage is Stage.DONE
    assert T.DONE_MENU in msgids(step)
    assert MenuChoice("answers") in payloads(step)
    assert asked(step) is None


def test_a_conversation_in_a_stage_that_was_never_shown_resumes(drive):
    step = drive([AGAIN], state=consented())
    assert asked(step) == FIRST_QUESTION
