"""`flows/screens/question.py`: a question of the pre-intake. Every kind of question,
answered by button and by typing, with kind refusals of bad input; skip, back and the
parts; follow-up questions only where they apply, and the retraction of answers that no
longer apply (from test_answering, test_navigation, test_branching_and_review)."""

from __future__ import annotations

import pytest

from flows import texts as T
from flows.callbacks import (
    DoneChoosing,
    GoBack,
    PickNumber,
    PickOption,
    SkipQuestion,
    ToggleOption,
    parse,
)
from flows.effects import AnswerRecord
from flows.events import Event
from flows.intake import INTAKE
from flows.model import Kind
from flows.state import AnswerValue
from flows.summary import SKIPPED
from tests.flows.helpers import (
    AGAIN,
    AGREED,
    ALL_BRANCHES,
    FIRST_QUESTION,
    NOW,
    answers_of,
    asked,
    at_question,
    codes,
    find,
    marks,
    msgids,
    new_state,
    payloads,
    press,
    steps,
    walk,
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


# What may be said before a question in the same message.
NOTES = {T.CONSENT_THANKS, T.PART_SAVED, T.WELCOME_BACK, T.BILINGUAL_EXPLAINED}


@pytest.fixture(scope="module")
def whole_walk(engine):
    """Every question asked once (all branches open), from consent to the review."""
    agreed = steps(engine, new_state(), AGREED)[-1]
    return [agreed, *walk(engine, agreed.state, ALL_BRANCHES)]


HEALTH_AND_MONEY = ("health.difficulty", "health.support", "money.worries", "money.help")


def walked(engine, **chosen):
    """All questions answered from consent on: `chosen` (question id with `.` as `__`)
    where given, the first option otherwise."""
    agreed = steps(engine, new_state(), AGREED)[-1]
    answers = {qid.replace("__", "."): event for qid, event in chosen.items()}
    return walk(engine, agreed.state, answers)


def asked_ids(walk_steps):
    return [asked(step) for step in walk_steps if asked(step)]


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


# -- skip -------------------------------------------------------------------------------------


def test_skip_records_a_skipped_answer_and_moves_on(drive):
    step = drive([*AGREED, press(SkipQuestion(FIRST_QUESTION))])
    assert answers_of(step) == {FIRST_QUESTION: AnswerValue(skipped=True)}
    # A skipped answer opens no follow-up: "which other language" is not asked.
    assert asked(step) == "language.interpreter"


def test_every_question_offers_skip_and_says_how_to_answer(whole_walk):
    asked_ids = []
    for step in whole_walk[:-1]:
        qid = asked(step)
        asked_ids.append(qid)
        reply = step.replies[-1]
        skips = [b for row in reply.buttons for b in row if parse(b.data) == SkipQuestion(qid)]
        assert skips, qid
        skip = skips[0]
        assert skip.label.msgid == SKIPPED
        kind = INTAKE.question(qid).kind
        how = {Kind.MULTI: T.MULTI_HOW, Kind.NUMBER: T.TYPE_NUMBER, Kind.TEXT: T.TYPE_TEXT}
        if kind in how:
            assert how[kind] in [p.msgid for p in reply.parts]
    assert sorted(set(asked_ids)) == sorted(q.id for q in INTAKE.questions)


def test_skipping_a_multiple_choice_forgets_the_unconfirmed_selection(drive):
    state = at_question(FIRST_QUESTION)
    step = drive(
        [press(ToggleOption(FIRST_QUESTION, "ar")), press(SkipQuestion(FIRST_QUESTION))], state
    )
    assert answers_of(step) == {FIRST_QUESTION: AnswerValue(skipped=True)}
    assert step.state.position.selection == []


# -- back -------------------------------------------------------------------------------------


def test_back_goes_to_the_previous_question_and_shows_the_answer_now(drive):
    step = drive([*AGREED, Event.say("Arabic")])
    assert asked(step) == "language.interpreter"
    assert GoBack("language.interpreter") in payloads(step)
    step = drive([press(GoBack("language.interpreter"))], state=step.state)
    assert asked(step) == FIRST_QUESTION
    assert step.answers == ()
    now = find(step, T.CURRENT_ANSWER).params["answer"]
    assert now.params["items"].items[0].msgid == "Arabic"
    # The earlier choice is pre-selected, so Done alone keeps it.
    assert step.state.position.selection == ["ar"]
    assert marks(step)[ToggleOption(FIRST_QUESTION, "ar")] == "✅ "


def test_back_on_the_first_question_says_it_is_the_first(drive):
    step = drive([*AGREED, press(GoBack(FIRST_QUESTION))])
    assert asked(step) == FIRST_QUESTION
    assert T.FIRST_QUESTION in msgids(step)
    assert step.answers == ()


def test_the_first_question_has_no_back_button(drive):
    step = drive(AGREED)
    assert not any(isinstance(p, GoBack) for p in payloads(step))


def test_answering_after_back_continues_at_the_first_unanswered_question(drive):
    step = drive(
        [
            *AGREED,
            Event.say("Arabic"),
            press(PickOption("language.interpreter", "no")),
            press(PickOption("reading.own_language", "well")),
        ]
    )
    assert asked(step) == "reading.latin"
    step = drive(
        [press(GoBack("reading.latin")), press(GoBack("reading.own_language"))], state=step.state
    )
    assert asked(step) == "language.interpreter"
    step = drive([press(PickOption("language.interpreter", "sometimes"))], state=step.state)
    # The change opens a follow-up, which comes first; then the first unanswered one.
    assert asked(step) == "language.interpreter_language"
    step = drive([press(PickOption("language.interpreter_language", "ar"))], state=step.state)
    assert asked(step) == "reading.latin"
    assert step.state.answers["reading.own_language"] == codes("well")


def test_back_passes_over_questions_that_no_longer_apply(drive):
    state = at_question(
        "language.interpreter",
        {FIRST_QUESTION: codes("ar")},
        history=[FIRST_QUESTION, "language.spoken_other"],
    )
    step = drive([press(GoBack("language.interpreter"))], state=state)
    assert asked(step) == FIRST_QUESTION


def test_back_after_resuming_goes_to_the_previous_question(drive):
    events = [
        *AGREED,
        Event.say("Arabic"),
        press(PickOption("language.interpreter", "no")),
        press(PickOption("reading.own_language", "well")),
    ]
    before = drive(events)
    assert GoBack("reading.latin") in payloads(before)
    step = drive([Event.start(), press(GoBack("reading.latin"))], state=before.state)
    assert T.FIRST_QUESTION not in msgids(step)
    assert asked(step) == "reading.own_language"


def test_back_of_another_question_is_a_stale_button(drive):
    step = drive([*AGREED, Event.say("Arabic"), press(GoBack(FIRST_QUESTION))])
    assert asked(step) == "language.interpreter"
    assert T.STALE_BUTTON in msgids(step)


# -- progress ---------------------------------------------------------------------------------


def test_each_question_starts_with_its_part_of_nine(whole_walk):
    for step in whole_walk[:-1]:
        qid = asked(step)
        reply = step.replies[-1]
        ids = [p.msgid for p in reply.parts]
        first = ids.index(T.PART_OF_TOTAL)
        assert set(ids[:first]) <= NOTES, ids
        part = reply.parts[first]
        assert part.params["part"] == INTAKE.part_of(qid)
        assert part.params["total"] == 9
        assert part.params["title"].msgid == INTAKE.section_of(qid).title


def test_entering_a_new_part_says_the_previous_part_is_saved(whole_walk):
    previous = None
    seen_saved = []
    for step in whole_walk[1:-1]:
        qid = asked(step)
        saved = [p for p in step.replies[-1].parts if p.msgid == T.PART_SAVED]
        if previous is not None and INTAKE.part_of(previous) < INTAKE.part_of(qid):
            assert [p.params["part"] for p in saved] == [INTAKE.part_of(previous)]
            seen_saved.append(INTAKE.part_of(previous))
        else:
            assert saved == []
        previous = qid
    assert seen_saved == [2, 3, 4, 5, 6, 7, 8]


def test_a_section_intro_comes_with_its_first_question_only(whole_walk):
    intros = {s.intro for s in INTAKE.sections if s.intro}
    for step in whole_walk[:-1]:
        qid = asked(step)
        section = INTAKE.section_of(qid)
        shown = intros & set(msgids(step))
        assert shown == (
            {section.intro} if section.intro and section.questions[0].id == qid else set()
        )


# -- branching --------------------------------------------------------------------------------


def test_without_children_there_is_no_question_on_their_ages_or_childcare(engine):
    result = walked(engine, family__household=Event.say("My partner"))
    ids = asked_ids(result)
    assert "family.children_ages" not in ids and "family.childcare" not in ids
    after = ids[ids.index("family.household") + 1 :]
    assert after[:3] == ["family.partner_inburgering", "family.abroad", "family.came_later"]
    assert "family.children_ages" not in result[-1].state.answers


def test_children_aged_12_to_18_need_no_childcare_question(engine):
    result = walked(
        engine,
        family__household=Event.say("2, 3"),
        family__children_ages=Event.say("3"),
    )
    ids = asked_ids(result)
    assert "family.children_ages" in ids
    assert "family.childcare" not in ids
    assert result[-1].state.answers["family.children_ages"] == codes("12_18")


def test_young_children_bring_the_childcare_question(engine):
    result = walked(
        engine,
        family__household=Event.say("My children"),
        family__children_ages=Event.say("2, 3"),
    )
    ids = asked_ids(result)
    assert ids.index("family.childcare") == ids.index("family.children_ages") + 1


def test_a_skipped_answer_opens_no_follow_up(engine):
    result = walked(
        engine,
        education__level=press(SkipQuestion("education.level")),
        work__worked_before=press(SkipQuestion("work.worked_before")),
    )
    ids = asked_ids(result)
    for follow_up in ("education.diploma_papers", "work.years", "work.sectors_before"):
        assert follow_up not in ids


def test_changing_to_living_alone_retracts_the_children_answers_in_a_chain(drive):
    answers = {
        "family.household": codes("children"),
        "family.children_ages": codes("under_4"),
        "family.childcare": codes("yes"),
    }
    state = at_question("family.household", answers, return_to_review=True)
    step = drive(
        [press(ToggleOption("family.household", "alone")), press(DoneChoosing("family.household"))],
        state=state,
    )
    assert step.answers == (
        AnswerRecord("family.household", codes("alone"), NOW),
        AnswerRecord("family.children_ages", None, NOW),
        AnswerRecord("family.childcare", None, NOW),
    )
    assert set(step.state.answers) == {"family.household"}


def test_skipping_a_question_later_retracts_its_follow_ups(drive):
    answers = {"work.worked_before": codes("yes"), "work.years": AnswerValue(number=5)}
    step = drive(
        [press(SkipQuestion("work.worked_before"))],
        state=at_question("work.worked_before", answers),
    )
    assert answers_of(step) == {
        "work.worked_before": AnswerValue(skipped=True),
        "work.years": None,
    }
    assert "work.years" not in step.state.answers


def test_saying_no_to_health_questions_skips_all_health_and_money_questions(engine):
    result = walked(engine, health__consent=press(PickOption("health.consent", "no")))
    ids = asked_ids(result)
    assert ids[ids.index("health.consent") + 1] == "goals.year"
    for qid in HEALTH_AND_MONEY:
        assert qid not in ids and qid not in result[-1].state.answers


def test_saying_no_later_retracts_the_health_and_money_answers(drive):
    answers = {
        "health.consent": codes("yes"),
        "health.difficulty": codes("yes"),
        "health.support": codes("yes"),
        "money.worries": codes("no"),
    }
    step = drive(
        [press(PickOption("health.consent", "no"))], state=at_question("health.consent", answers)
    )
    assert answers_of(step) == {
        "health.consent": codes("no"),
        "health.difficulty": None,
        "health.support": None,
        "money.worries": None,
    }
