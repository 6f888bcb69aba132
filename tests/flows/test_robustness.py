"""Stale and forged buttons, media, commands, and the engine's purity."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows import texts as T
from flows.callbacks import (
    ConsentChoice,
    DoneChoosing,
    MenuChoice,
    PickOption,
    ReviewAction,
    ToggleOption,
)
from flows.commands import COMMANDS
from flows.effects import Consent, Erase, Submitted
from flows.events import Event
from flows.state import Overlay, Stage
from tests.flows.helpers import (
    AGREED,
    FIRST_QUESTION,
    NOW,
    TO_CONSENT,
    all_msgids,
    asked,
    at_question,
    button_data,
    codes,
    consented,
    find,
    msgids,
    new_state,
    payloads,
    press,
    steps,
    walk,
)

AT_DUTCH = {"language.spoken": codes("ar"), "language.interpreter": codes("no")}


def unchanged(step, before, stage):
    assert T.STALE_BUTTON in msgids(step)
    assert step.answers == () and step.effects == ()
    assert step.state.position.stage is stage
    assert step.state.answers == before.answers
    assert step.state.case == before.case


@pytest.mark.parametrize(
    "data",
    [
        "a:language.spoken:ar",  # a button of an earlier question
        "a:reading.latin:yes",  # a button of a later question
        "a:reading.dutch:fluent",  # a made-up option code
        "a:reading.dutch:",
        "a:reading.dutch",
        "t:reading.dutch:none",  # a toggle on a single choice
        "d:reading.dutch",
        "n:reading.dutch:1",
        "s:language.spoken",  # skip of another question
        "x:reading.dutch:none",  # an unknown prefix
        "",
        ":",
        "reading.dutch",
        "r:send",  # review buttons outside the review
        "r:change",
        "r:q:reading.dutch",
        "c:yes",  # consent after consent
        "c:no",
        "c:again",
        "m:nope",
        "a:reading.dutch:none:extra",
    ],
)
def test_a_stale_or_forged_button_is_answered_with_a_note_and_changes_nothing(drive, data):
    before = at_question("reading.dutch", AT_DUTCH)
    step = drive([Event.press(data)], state=before)
    unchanged(step, before, Stage.QUESTION)
    assert asked(step) == "reading.dutch"
    assert "a:reading.dutch:none" in button_data(step)  # the question again


@pytest.mark.parametrize(
    "data",
    [
        "a:language.spoken:ar",
        "t:language.spoken:zz",
        "t:language.spoken",
        "d:nope",
        "n:language.spoken:1",
    ],
)
def test_a_forged_button_on_a_multiple_choice_is_stale(drive, data):
    before = at_question(FIRST_QUESTION)
    step = drive([Event.press(data)], state=before)
    unchanged(step, before, Stage.QUESTION)
    assert step.state.position.selection == []


@pytest.mark.parametrize("data", ["a:language.spoken:ar", "r:send", "s:language.spoken", "zz"])
def test_a_forged_button_at_consent_keeps_consent(drive, data):
    before = drive(TO_CONSENT).state
    step = drive([Event.press(data)], state=before)
    unchanged(step, before, Stage.CONSENT)
    assert payloads(step)[-3:] == [ConsentChoice(a) for a in ("yes", "no", "more")]


# Buttons stay in a chat for months: the data they carry must keep its meaning. These
# presses are written out as the wire format, not built (the builders could drift).
LEGACY_PRESSES = [
    (at_question("reading.dutch", AT_DUTCH), "a:reading.dutch:good", "reading.dutch"),
    (at_question(FIRST_QUESTION, selection=["ar"]), "d:language.spoken", FIRST_QUESTION),
    (at_question("reading.dutch", AT_DUTCH), "s:reading.dutch", "reading.dutch"),
    (at_question("education.years"), "n:education.years:12", "education.years"),
]


@pytest.mark.parametrize(("state", "data", "question"), LEGACY_PRESSES)
def test_an_old_answer_button_still_answers(drive, state, data, question):
    step = drive([Event.press(data)], state=state)
    assert [record.question_id for record in step.answers] == [question]
    assert T.STALE_BUTTON not in msgids(step)


def test_old_consent_review_and_erase_buttons_still_work(engine, drive):
    consent = drive([*TO_CONSENT, Event.press("c:yes")])
    assert [type(e) for e in consent.effects] == [Consent]
    review = walk(engine, consent.state)[-1].state
    sent = drive([Event.press("r:send")], state=review)
    assert [type(e) for e in sent.effects] == [Submitted]
    erased = drive([Event.cmd("delete"), Event.press("x:yes")], state=consented())
    assert [type(e) for e in erased.effects] == [Erase]


def test_the_stale_note_comes_before_the_question_in_one_message(drive):
    step = drive([Event.press("zz")], state=at_question("reading.dutch", AT_DUTCH))
    assert len(step.replies) == 1
    assert msgids(step)[0] == T.STALE_BUTTON


# -- media ------------------------------------------------------------------------------------


@pytest.mark.parametrize("media", ["sticker", "photo", "document", "video", ""])
def test_unsupported_media_gets_a_kind_note_and_the_question_again(drive, media):
    before = at_question("reading.dutch", AT_DUTCH)
    step = drive([Event.media_(media)], state=before)
    assert msgids(step)[0] == T.MEDIA_UNSUPPORTED
    assert asked(step) == "reading.dutch"
    assert PickOption("reading.dutch", "none") in payloads(step)
    assert step.answers == () and step.effects == ()


def test_a_voice_message_gets_its_own_note(drive):
    step = drive([Event.media_("voice")], state=at_question("reading.dutch", AT_DUTCH))
    assert msgids(step)[0] == T.VOICE_UNSUPPORTED
    assert T.MEDIA_UNSUPPORTED not in msgids(step)
    assert asked(step) == "reading.dutch"


def test_media_at_consent_shows_consent_again(drive):
    step = drive([*TO_CONSENT, Event.media_("sticker")])
    assert msgids(step)[0] == T.MEDIA_UNSUPPORTED
    assert step.state.position.stage is Stage.CONSENT


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


def test_commands_are_case_insensitive(drive):
    step = drive([Event.cmd("HELP")], state=at_question("reading.dutch", AT_DUTCH))
    assert T.UNKNOWN_COMMAND not in msgids(step)
    assert T.HELP in msgids(step)


def test_answers_before_consent_says_no_answers_are_stored(drive):
    step = drive([*TO_CONSENT, Event.cmd("answers")])
    assert msgids(step)[0] == T.NO_ANSWERS_STORED
    assert step.state.position.stage is Stage.CONSENT
    assert T.CONSENT_QUESTION in msgids(step)


def test_answers_after_declining_says_no_answers_are_stored(drive):
    step = drive([*TO_CONSENT, press(ConsentChoice("no")), Event.cmd("answers")])
    assert T.NO_ANSWERS_STORED in msgids(step)
    assert step.state.position.stage is Stage.DECLINED


def test_answers_command_shows_the_review_mid_way(drive):
    step = drive([Event.cmd("answers")], state=at_question("reading.dutch", AT_DUTCH))
    assert step.state.position.stage is Stage.REVIEW
    assert T.REVIEW_OPEN in msgids(step)


def test_a_command_closes_the_language_menu(drive):
    state = at_question("reading.dutch", AT_DUTCH)
    step = drive([Event.cmd("language"), Event.cmd("help")], state=state)
    assert step.state.position.overlay is None
    assert asked(step) == "reading.dutch"


@pytest.mark.parametrize(
    "event",
    [Event.say("hello"), Event.say(""), Event.say("\x00")],
    ids=["words", "empty", "control"],
)
def test_typing_at_consent_points_to_the_buttons(drive, event):
    step = drive([*TO_CONSENT, event])
    assert msgids(step)[0] in (T.USE_BUTTONS, T.NO_TEXT)
    assert step.state.position.stage is Stage.CONSENT
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


def test_every_reply_is_translatable_text(drive):
    """Nothing but msgids and literal insertions reaches the person (no raw strings)."""
    step = drive([*AGREED, Event.cmd("help")])
    assert all(isinstance(m, str) and m for m in all_msgids(step))


# -- purity -----------------------------------------------------------------------------------


PURITY_CASES = [
    (new_state(), Event.start(lang_hint="ar")),
    (at_question("reading.dutch", AT_DUTCH), press(PickOption("reading.dutch", "good"))),
    (at_question(FIRST_QUESTION, selection=["ar"]), press(DoneChoosing(FIRST_QUESTION))),
    (
        at_question(
            "family.household",
            {"family.household": codes("children"), "family.children_ages": codes("under_4")},
            history=["language.spoken"],
        ),
        Event.say("1"),
    ),
    (consented(stage=Stage.REVIEW), press(ReviewAction("send"))),
    (consented(stage=Stage.CONSENT, consent_version=None), press(ConsentChoice("yes"))),
    (at_question("reading.dutch", AT_DUTCH, overlay=Overlay.LANGUAGE), Event.say("x")),
]


@pytest.mark.parametrize(("state", "event"), PURITY_CASES)
def test_the_same_state_event_and_time_give_equal_steps(engine, state, event):
    first = engine.step(state, event, NOW)
    second = engine.step(state, event, NOW)
    assert first == second


@pytest.mark.parametrize(("state", "event"), PURITY_CASES)
def test_step_does_not_change_the_state_it_is_given(engine, state, event):
    snapshot = state.model_copy(deep=True)
    step = engine.step(state, event, NOW)
    assert state == snapshot
    assert step.state is not state
    assert step.state.position is not state.position
    assert step.state.answers is not state.answers


def test_time_only_comes_from_the_argument(engine):
    later = NOW + timedelta(days=3)
    step = engine.step(at_question("reading.dutch", AT_DUTCH), Event.say("2"), later)
    assert {record.at for record in step.answers} == {later}
    consent = steps(engine, new_state(), [*TO_CONSENT, press(ConsentChoice("yes"))], now=later)[-1]
    assert consent.effects[0].at == later


def test_a_state_round_trips_through_json(engine):
    """The service stores the position as JSON: a step's state must survive that."""
    step = steps(engine, new_state(), [*AGREED, press(ToggleOption(FIRST_QUESTION, "ar"))])[-1]
    restored = type(step.state).model_validate_json(step.state.model_dump_json())
    assert restored == step.state
    again = engine.step(restored, press(DoneChoosing(FIRST_QUESTION)), NOW)
    assert again.answers[0].value == codes("ar")
    assert find(again, T.PART_OF_TOTAL).params["part"] == 2
