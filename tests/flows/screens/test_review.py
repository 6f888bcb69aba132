"""`flows/screens/review.py`: the review at the end, changing an answer from it and
sending; "What will my consulent see?" (every answer, the flags, and that health and
money are shown as flags and wishes only); /answers (from test_branching_and_review,
test_consulent_view, test_robustness)."""

from __future__ import annotations

import pytest

from flows import texts as T
from flows.callbacks import (
    ConsentChoice,
    DoneChoosing,
    GoBack,
    JourneyStep,
    MenuChoice,
    PickOption,
    ReviewAction,
    ToggleOption,
)
from flows.effects import AnswerRecord, Submitted
from flows.events import Event
from flows.intake import INTAKE
from flows.model import Kind
from flows.replies import Join, Msg
from flows.state import AnswerValue, Stage
from flows.summary import answer_msg, applicable, raised_flags
from tests.flows.helpers import (
    AGREED,
    ALL_BRANCHES,
    NOW,
    TO_CONSENT,
    asked,
    at_question,
    codes,
    consented,
    msgids,
    new_state,
    parts,
    payloads,
    press,
    steps,
    walk,
    walked,
)

# -- review -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def at_review(engine):
    return walked(engine, **{k.replace(".", "__"): v for k, v in ALL_BRANCHES.items()})[-1]


def review_lines(step):
    """{part number: [question label, …]} as listed on the review screen."""
    listed = {}
    for part in parts(step):
        if part.msgid == T.PART_TITLE:
            current = part.params["part"]
            listed[current] = []
        elif part.literal and part.msgid == "{lines}":
            listed[current] = [line.params["label"].msgid for line in part.params["lines"].items]
    return listed


def review_of(engine, chosen):
    agreed = steps(engine, new_state(), AGREED)[-1]
    return walk(engine, agreed.state, chosen)[-1]


def flag_labels(step) -> list[str]:
    """The flags listed in the last reply (the one with the Send button)."""
    for part in step.replies[-1].parts:
        if part.literal and part.msgid == "{flags}":
            return [line.params["flag"].msgid for line in part.params["flags"].items]
    return []


AT_DUTCH = {"language.spoken": codes("ar"), "language.interpreter": codes("no")}


def test_after_the_last_question_the_review_lists_every_answer_by_part(at_review):
    step = at_review
    assert step.state.position.stage is Stage.REVIEW
    assert msgids(step)[:2] == [T.REVIEW_HEADING, T.REVIEW_INTRO]
    listed = review_lines(step)
    expected = {
        number: [q.label for q in section.questions]
        for number, section in enumerate(INTAKE.sections, start=2)
    }
    assert listed == expected
    assert payloads(step) == [ReviewAction("send"), ReviewAction("change")]
    assert all(not reply.bilingual for reply in step.replies[:-1])


def test_the_review_shows_each_answer_as_the_person_gave_it(at_review):
    answers = at_review.state.answers
    lines = [
        line
        for part in parts(at_review)
        if part.msgid == "{lines}"
        for line in part.params["lines"].items
    ]
    by_label = {line.params["label"].msgid: line.params["answer"] for line in lines}
    for question in INTAKE.questions:
        assert by_label[question.label] == answer_msg(question, answers[question.id])
    assert by_label["Years of school"] == Msg.lit("{n}", n=0)
    text = by_label["Other language"].params["text"]
    assert text == "my answer to language.spoken_other"
    spoken = by_label["Languages spoken"].params["items"]
    names = ("Arabic", "Farsi / Dari", "Kurdish", "English", "Another language")
    assert spoken == Join(tuple(Msg.of(name) for name in names))


def test_the_review_leaves_out_questions_that_do_not_apply(drive):
    answers = {q.id: AnswerValue(skipped=True) for q in applicable(INTAKE, {})}
    step = drive([Event.cmd("answers")], state=consented(answers))
    listed = review_lines(step)
    assert "Ages of children" not in listed[6]
    assert "Wants support with health" not in listed[8]
    assert listed[8] == ["Agrees to questions on health and money"]


def test_changing_an_answer_from_the_review_returns_to_the_review(drive, at_review):
    step = drive([press(ReviewAction("change"))], state=at_review.state)
    assert step.state.position.stage is Stage.CHANGE_SECTION
    assert ReviewAction("sec", "reading") in payloads(step)
    assert ReviewAction("back") in payloads(step)
    step = drive([press(ReviewAction("sec", "reading"))], state=step.state)
    assert step.state.position.stage is Stage.CHANGE_QUESTION
    questions = INTAKE.section("reading").questions
    assert payloads(step)[: len(questions)] == [ReviewAction("q", q.id) for q in questions]
    step = drive([press(ReviewAction("q", "reading.dutch"))], state=step.state)
    assert asked(step) == "reading.dutch"
    assert T.CURRENT_ANSWER in msgids(step)
    assert GoBack("reading.dutch") in payloads(step)  # back to the overview
    step = drive([press(PickOption("reading.dutch", "good"))], state=step.state)
    assert step.answers == (AnswerRecord("reading.dutch", codes("good"), NOW),)
    assert step.state.position.stage is Stage.REVIEW
    assert ReviewAction("send") in payloads(step)


def test_back_from_a_changed_question_returns_to_the_review(drive, at_review):
    events = [
        press(ReviewAction("change")),
        press(ReviewAction("sec", "work")),
        press(ReviewAction("q", "work.years")),
    ]
    step = drive([*events, press(GoBack("work.years"))], state=at_review.state)
    assert step.state.position.stage is Stage.REVIEW
    assert step.answers == ()


def test_a_change_that_opens_a_question_asks_it_before_returning_to_the_review(drive, at_review):
    events = [
        press(ReviewAction("change")),
        press(ReviewAction("sec", "family")),
        press(ReviewAction("q", "family.household")),
    ]
    step = drive(events, state=at_review.state)
    step = drive([Event.say("2")], state=step.state)  # partner only: children answers go
    assert step.state.position.stage is Stage.REVIEW
    step = drive([*events, Event.say("3")], state=step.state)  # children again
    assert asked(step) == "family.children_count"
    step = drive([press(PickOption("family.children_count", "2"))], state=step.state)
    assert asked(step) == "family.children_ages"
    step = drive([Event.say("1")], state=step.state)
    assert asked(step) == "family.childcare"
    step = drive([press(PickOption("family.childcare", "no"))], state=step.state)
    assert asked(step) == "family.preschool"  # a child under 4
    preschool = (ToggleOption("family.preschool", "jgz"), DoneChoosing("family.preschool"))
    step = drive([press(p) for p in preschool], step.state)
    assert step.state.position.stage is Stage.REVIEW


def test_sending_emits_submitted_and_ends_done(drive, at_review):
    step = drive([press(ReviewAction("send"))], state=at_review.state)
    assert step.effects == (Submitted(NOW),)
    assert step.answers == ()
    assert step.state.case.submitted is True
    assert step.state.position.stage is Stage.DONE
    ids = msgids(step)
    assert ids.index(T.SENT) < ids.index(T.DONE_MENU)
    assert payloads(step) == [
        MenuChoice("answers"),
        JourneyStep("all"),  # My inburgering, step by step
        MenuChoice("language"),
        MenuChoice("help"),
    ]


def test_after_sending_the_answers_can_still_be_seen_and_changed(drive, at_review):
    done = drive([press(ReviewAction("send"))], state=at_review.state)
    step = drive([press(MenuChoice("answers"))], state=done.state)
    assert step.state.position.stage is Stage.REVIEW
    events = [
        press(ReviewAction("change")),
        press(ReviewAction("sec", "goals")),
        press(ReviewAction("q", "goals.year")),
    ]
    step = drive([*events, Event.say("2")], state=step.state)
    assert step.state.position.stage is Stage.REVIEW  # not straight back to "done"
    step = drive([press(ReviewAction("send"))], state=step.state)
    assert step.effects == (Submitted(NOW),)


def test_sending_while_questions_are_open_is_refused(drive):
    state = consented({"language.spoken": codes("ar")})
    step = drive([Event.cmd("answers")], state=state)
    assert step.state.position.stage is Stage.REVIEW
    assert T.REVIEW_OPEN in msgids(step)
    assert ReviewAction("send") not in payloads(step)
    assert payloads(step) == [ReviewAction("more"), ReviewAction("change")]
    step = drive([press(ReviewAction("send"))], state=step.state)
    assert step.effects == () and step.answers == ()
    assert T.STALE_BUTTON in msgids(step)
    assert step.state.case.submitted is False


def test_continue_from_the_review_goes_to_the_first_open_question(drive):
    state = consented({"language.spoken": codes("ar")})
    step = drive([Event.cmd("answers"), press(ReviewAction("more"))], state=state)
    assert asked(step) == "language.interpreter"


@pytest.mark.parametrize(
    "data", ["r:sec:nope", "r:q:reading.dutch", "r:q:nope", "r:sec:", "r:whatever"]
)
def test_made_up_review_buttons_are_refused(drive, at_review, data):
    step = drive([press(ReviewAction("change")), Event.press(data)], state=at_review.state)
    assert T.STALE_BUTTON in msgids(step)
    assert step.state.position.stage is Stage.CHANGE_SECTION
    assert step.answers == () and step.effects == ()


def test_a_question_of_another_part_cannot_be_picked(drive, at_review):
    events = [
        press(ReviewAction("change")),
        press(ReviewAction("sec", "work")),
        press(ReviewAction("q", "reading.dutch")),
    ]
    step = drive(events, state=at_review.state)
    assert T.STALE_BUTTON in msgids(step)
    assert step.state.position.stage is Stage.CHANGE_QUESTION


def test_a_question_that_does_not_apply_cannot_be_picked(drive):
    answers = {q.id: AnswerValue(skipped=True) for q in applicable(INTAKE, {})}
    events = [
        Event.cmd("answers"),
        press(ReviewAction("change")),
        press(ReviewAction("sec", "family")),
    ]
    step = drive(events, state=consented(answers))
    assert ReviewAction("q", "family.childcare") not in payloads(step)
    step = drive([press(ReviewAction("q", "family.childcare"))], state=step.state)
    assert T.STALE_BUTTON in msgids(step)
    assert asked(step) is None


def test_number_and_text_answers_on_the_review(drive):
    question = INTAKE.question("education.years")
    assert question.kind is Kind.NUMBER
    assert answer_msg(question, AnswerValue(number=12)) == Msg.lit("{n}", n=12)
    assert answer_msg(question, None).msgid == "not answered yet"
    assert (
        answer_msg(question, AnswerValue(skipped=True)).msgid == "I'd rather discuss this in person"
    )


def test_the_review_is_headed_as_what_the_consulent_will_see(engine) -> None:
    step = review_of(engine, ALL_BRANCHES)
    assert msgids(step)[:2] == [T.REVIEW_HEADING, T.REVIEW_INTRO]
    assert payloads(step) == [ReviewAction("send"), ReviewAction("change")]


def test_before_sending_the_person_sees_the_flags_the_consulent_sees(engine) -> None:
    step = review_of(engine, ALL_BRANCHES)
    expected = [flag.label for flag in raised_flags(INTAKE, step.state.answers)]
    assert expected, "ALL_BRANCHES raises flags, such as the interpreter"
    assert flag_labels(step) == expected
    last = [part.msgid for part in step.replies[-1].parts]
    notes = [T.REVIEW_FLAGS, T.REVIEW_SENSITIVE, T.REVIEW_HISTORY, T.REVIEW_CONFIRM]
    assert [m for m in last if m in notes] == notes


def test_without_flags_only_the_note_on_health_and_money_is_added(engine) -> None:
    quiet = {
        "language.interpreter": press(PickOption("language.interpreter", "no")),
        "reading.own_language": press(PickOption("reading.own_language", "well")),
        "reading.latin": press(PickOption("reading.latin", "yes")),
        "education.study_wish": press(PickOption("education.study_wish", "no")),
        "family.unavailable": press(ToggleOption("family.unavailable", "always")),
        "family.abroad": press(PickOption("family.abroad", "no")),
        "work.current_job": press(PickOption("work.current_job", "no")),
        "daily.has": Event.say("2, 3, 4"),  # DigiD, bank account, insurance
        "daily.letters": press(PickOption("daily.letters", "no")),
        "health.consent": press(PickOption("health.consent", "no")),
    }
    step = review_of(engine, quiet)
    assert [f.id for f in raised_flags(INTAKE, step.state.answers)] == []
    last = [part.msgid for part in step.replies[-1].parts]
    assert T.REVIEW_FLAGS not in last and T.REVIEW_SENSITIVE in last
    assert flag_labels(step) == []


def test_health_and_money_are_shown_as_flags_and_wishes_only(engine) -> None:
    """The health and money answers are codes (yes / no / maybe later), never free text."""
    step = review_of(engine, ALL_BRANCHES)
    sensitive = [q for q in INTAKE.questions if q.sensitive]
    assert sensitive and all(q.has_options for q in sensitive)
    for question in sensitive:
        value = step.state.answers.get(question.id)
        assert value is None or (value.text is None and value.number is None)
    assert Msg.of(T.REVIEW_SENSITIVE) in step.replies[-1].parts


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
