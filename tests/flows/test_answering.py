"""Every kind of question, answered by button and by typing; kind refusals of bad input."""

from __future__ import annotations

import pytest

from flows import texts as T
from flows.callbacks import DoneChoosing, PickNumber, PickOption, SkipQuestion, ToggleOption
from flows.events import Event
from flows.state import AnswerValue
from tests.flows.helpers import (
    AGAIN,
    answers_of,
    asked,
    at_question,
    codes,
    find,
    marks,
    msgids,
    payloads,
    press,
)

SPOKEN = "language.spoken"


def recorded(step, question_id):
    answers = answers_of(step)
    assert question_id in answers, f"{question_id} not recorded: {step.answers}"
    return answers[question_id]


def refused(step, question_id, msgid):
    assert step.answers == ()
    assert step.effects == ()
    assert msgid in msgids(step)
    assert asked(step) == question_id


# -- CHOICE and YESNO -------------------------------------------------------------------------


def test_a_choice_is_answered_by_its_button(drive):
    step = drive([press(PickOption("reading.dutch", "words"))], state=at_question("reading.dutch"))
    assert recorded(step, "reading.dutch") == codes("words")
    assert step.state.answers["reading.dutch"] == codes("words")


def test_a_choice_offers_one_button_per_option_and_a_skip(drive):
    step = drive([AGAIN], state=at_question("reading.dutch"))
    offered = payloads(step)
    options = ("none", "words", "simple", "good")
    assert offered[:4] == [PickOption("reading.dutch", c) for c in options]
    assert SkipQuestion("reading.dutch") in offered


@pytest.mark.parametrize(
    ("typed", "code"),
    [("2", "words"), (" 4 ", "good"), ("٣", "simple"), ("Some words", "words"), ("GOOD", "good")],
)
def test_a_choice_is_answered_by_typing_its_number_or_text(drive, typed, code):
    step = drive([Event.say(typed)], state=at_question("reading.dutch"))
    assert recorded(step, "reading.dutch") == codes(code)


@pytest.mark.parametrize("typed", ["5", "0", "1, 2", "maybe", "somewords"])
def test_a_typed_choice_that_matches_no_single_option_is_refused(drive, typed):
    step = drive([Event.say(typed)], state=at_question("reading.dutch"))
    refused(step, "reading.dutch", T.CHOOSE_BUTTON)


@pytest.mark.parametrize(("typed", "code"), [("yes", "yes"), ("No", "no"), ("1", "yes")])
def test_a_yes_no_question_is_answered_by_typing(drive, typed, code):
    step = drive([Event.say(typed)], state=at_question("work.worked_before"))
    assert recorded(step, "work.worked_before") == codes(code)


def test_a_yes_no_question_has_yes_and_no_buttons(drive):
    step = drive([AGAIN], state=at_question("work.worked_before"))
    assert payloads(step)[:2] == [
        PickOption("work.worked_before", "yes"),
        PickOption("work.worked_before", "no"),
    ]


# -- MULTI ------------------------------------------------------------------------------------


def test_a_multiple_choice_is_answered_by_toggles_and_done(drive):
    state = at_question(SPOKEN)
    step = drive(
        [press(ToggleOption(SPOKEN, "fa")), press(ToggleOption(SPOKEN, "ar"))], state=state
    )
    assert step.answers == ()  # nothing is recorded before Done
    assert step.state.position.selection == ["fa", "ar"]
    marked = marks(step)
    assert (
        marked[ToggleOption(SPOKEN, "ar")] == "✅ " and marked[ToggleOption(SPOKEN, "fa")] == "✅ "
    )
    assert marked[ToggleOption(SPOKEN, "ti")] == ""
    assert DoneChoosing(SPOKEN) in marked
    step = drive([press(DoneChoosing(SPOKEN))], state=step.state)
    assert recorded(step, SPOKEN) == codes("ar", "fa")  # in the options' order
    assert step.state.position.selection == []
    assert asked(step) == "language.persian"  # Farsi chosen: Farsi or Dari comes next


def test_pressing_a_chosen_option_again_unchooses_it(drive):
    state = at_question(SPOKEN)
    events = [press(ToggleOption(SPOKEN, "ar")), press(ToggleOption(SPOKEN, "ti"))]
    step = drive([*events, press(ToggleOption(SPOKEN, "ar")), press(DoneChoosing(SPOKEN))], state)
    assert recorded(step, SPOKEN) == codes("ti")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1, 3", ("ar", "fa")),
        ("3 1", ("ar", "fa")),
        ("Arabic; tigrinya", ("ar", "ti")),
        ("١، ٢", ("ar", "ti")),
        ("2,2", ("ti",)),
    ],
)
def test_a_multiple_choice_is_answered_by_typing(drive, typed, expected):
    step = drive([Event.say(typed)], state=at_question(SPOKEN))
    assert recorded(step, SPOKEN) == codes(*expected)


def test_an_exclusive_option_clears_the_others(drive):
    state = at_question("family.household")
    step = drive(
        [
            press(ToggleOption("family.household", "partner")),
            press(ToggleOption("family.household", "alone")),
        ],
        state=state,
    )
    assert step.state.position.selection == ["alone"]
    step = drive([press(ToggleOption("family.household", "children"))], state=step.state)
    assert step.state.position.selection == ["children"]  # and the exclusive one goes
    step = drive([press(DoneChoosing("family.household"))], state=step.state)
    assert recorded(step, "family.household") == codes("children")


def test_typing_an_exclusive_option_with_another_is_refused(drive):
    step = drive([Event.say("1, 2")], state=at_question("family.household"))  # alone + partner
    refused(step, "family.household", T.EXCLUSIVE_OPTION)
    option = find(step, T.EXCLUSIVE_OPTION).params["option"]
    assert option.msgid == "Nobody, I live alone"


def test_typing_only_the_exclusive_option_is_accepted(drive):
    step = drive([Event.say("I don't know yet")], state=at_question("work.wish"))
    assert recorded(step, "work.wish") == codes("unknown")


def test_done_with_nothing_chosen_is_refused_kindly(drive):
    step = drive([press(DoneChoosing(SPOKEN))], state=at_question(SPOKEN))
    refused(step, SPOKEN, T.MULTI_EMPTY)
    assert T.STALE_BUTTON not in msgids(step)


@pytest.mark.parametrize("typed", ["13", "1, 99", "Arabic, Klingon", "done"])
def test_a_typed_multiple_choice_with_an_unknown_part_is_refused(drive, typed):
    step = drive([Event.say(typed)], state=at_question(SPOKEN))
    refused(step, SPOKEN, T.CHOOSE_BUTTON)


@pytest.mark.parametrize(
    ("typed", "code"), [("4 to 12 years", "4_12"), ("Younger than 4", "under_4")]
)
def test_an_option_text_containing_a_number_can_be_typed(drive, typed, code):
    state = at_question("family.children_ages", {"family.household": codes("children")})
    step = drive([Event.say(typed)], state=state)
    assert recorded(step, "family.children_ages") == codes(code)


def test_an_option_text_with_a_number_at_the_end_can_be_typed(drive):
    state = at_question("family.children_ages", {"family.household": codes("children")})
    step = drive([Event.say("18 or older")], state=state)
    assert recorded(step, "family.children_ages") == codes("over_18")


# -- NUMBER -----------------------------------------------------------------------------------


def test_a_number_is_answered_by_a_preset_button(drive):
    state = at_question("education.years")
    assert PickNumber("education.years", 12) in payloads(drive([AGAIN], state=state))
    step = drive([press(PickNumber("education.years", 12))], state=state)
    assert recorded(step, "education.years") == AnswerValue(number=12)


def test_a_preset_of_zero_is_a_real_answer(drive):
    step = drive([press(PickNumber("education.years", 0))], state=at_question("education.years"))
    assert recorded(step, "education.years") == AnswerValue(number=0)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), (" 7 ", 7), ("١٢", 12), ("۱۲", 12), ("0", 0), ("30", 30), ("１２", 12)],
)
def test_a_number_is_answered_by_typing_digits_of_any_script(drive, typed, number):
    step = drive([Event.say(typed)], state=at_question("education.years"))
    assert recorded(step, "education.years") == AnswerValue(number=number)


@pytest.mark.parametrize("typed", ["31", "-1", "twelve", "12 years", "1.5", "99999999", "1 2"])
def test_a_number_out_of_range_or_not_a_number_is_refused_with_the_range(drive, typed):
    step = drive([Event.say(typed)], state=at_question("education.years"))
    refused(step, "education.years", T.NUMBER_RANGE)
    message = find(step, T.NUMBER_RANGE)
    assert dict(message.params) == {"low": 0, "high": 30}


def test_a_preset_button_that_was_never_offered_is_refused(drive):
    step = drive([press(PickNumber("education.years", 7))], state=at_question("education.years"))
    refused(step, "education.years", T.STALE_BUTTON)


@pytest.mark.parametrize("value", ["²", "³³", "①", "1.0", "+6"])
def test_a_forged_preset_with_unusual_digits_is_refused_without_raising(drive, value):
    step = drive([Event.press(f"n:education.years:{value}")], state=at_question("education.years"))
    refused(step, "education.years", T.STALE_BUTTON)


# -- TEXT -------------------------------------------------------------------------------------


def test_a_text_is_accepted_as_typed(drive):
    text = "Ik wil verpleegkundige worden.\nأريد أن أعمل."
    step = drive([Event.say(text)], state=at_question("goals.own_words"))
    assert recorded(step, "goals.own_words") == AnswerValue(text=text)


def test_spaces_in_a_text_are_tidied(drive):
    step = drive([Event.say("  a  \t b\n\n\n\nc  ")], state=at_question("goals.own_words"))
    assert recorded(step, "goals.own_words") == AnswerValue(text="a b\n\nc")


def test_a_text_keeps_joiners_but_drops_invisible_characters(drive):
    typed = "a\u200bb\u200cc\u200dd\u202ee\x00f\ufeff"
    step = drive([Event.say(typed)], state=at_question("goals.own_words"))
    assert recorded(step, "goals.own_words") == AnswerValue(text="ab\u200cc\u200ddef")


def test_a_text_of_exactly_the_limit_is_accepted(drive):
    step = drive([Event.say("x" * 500)], state=at_question("goals.own_words"))
    assert recorded(step, "goals.own_words") == AnswerValue(text="x" * 500)


@pytest.mark.parametrize("length", [501, 5000])
def test_a_too_long_text_is_refused_and_nothing_is_recorded(drive, length):
    state = at_question("goals.own_words")
    step = drive([Event.say("x" * length)], state=state)
    refused(step, "goals.own_words", T.TEXT_TOO_LONG)
    assert dict(find(step, T.TEXT_TOO_LONG).params) == {"length": length, "limit": 500}
    assert step.state.answers == {}


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "\n\n",
        "\u200b",
        "\ufeff\u200b\u2060",
        "\x00\x07\x1b",
        "\u202e\u2066",
        "\t \u00a0",
    ],
)
def test_an_empty_or_invisible_text_is_refused(drive, typed):
    step = drive([Event.say(typed)], state=at_question("goals.own_words"))
    refused(step, "goals.own_words", T.NO_TEXT_ANSWER)


@pytest.mark.parametrize("typed", ["\u200d", "\u200c", "\u200d \u200c"])
def test_a_text_of_only_joiners_is_refused(drive, typed):
    step = drive([Event.say(typed)], state=at_question("goals.own_words"))
    refused(step, "goals.own_words", T.NO_TEXT_ANSWER)


def test_an_invisible_message_at_a_choice_is_refused(drive):
    step = drive([Event.say("\u200b")], state=at_question("reading.dutch"))
    refused(step, "reading.dutch", T.NO_TEXT_ANSWER)
