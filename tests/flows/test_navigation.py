"""Skip, back, progress through the parts, and resuming an interrupted conversation."""

from __future__ import annotations

import pytest

from flows import texts as T
from flows.callbacks import GoBack, MenuChoice, PickOption, SkipQuestion, ToggleOption, parse
from flows.events import Event
from flows.intake import INTAKE
from flows.model import Kind
from flows.state import AnswerValue, Stage
from flows.summary import SKIPPED
from tests.flows.helpers import (
    AGAIN,
    AGREED,
    ALL_BRANCHES,
    FIRST_QUESTION,
    answers_of,
    asked,
    at_question,
    codes,
    consented,
    find,
    marks,
    msgids,
    new_state,
    payloads,
    press,
    steps,
    walk,
)

# What may be said before a question in the same message.
NOTES = {T.CONSENT_THANKS, T.PART_SAVED, T.WELCOME_BACK, T.BILINGUAL_EXPLAINED}


@pytest.fixture(scope="module")
def whole_walk(engine):
    """Every question asked once (all branches open), from consent to the review."""
    agreed = steps(engine, new_state(), AGREED)[-1]
    return [agreed, *walk(engine, agreed.state, ALL_BRANCHES)]


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
