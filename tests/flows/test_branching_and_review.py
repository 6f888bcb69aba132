"""Follow-up questions only where they apply, retraction of answers that no longer apply,
flags for the consulent, and the review at the end."""

from __future__ import annotations

import pytest

from flows import texts as T
from flows.callbacks import (
    DoneChoosing,
    GoBack,
    JourneyStep,
    MenuChoice,
    PickOption,
    ReviewAction,
    SkipQuestion,
    ToggleOption,
)
from flows.effects import AnswerRecord, Submitted
from flows.events import Event
from flows.intake import INTAKE
from flows.model import Kind
from flows.replies import Join, Msg
from flows.state import AnswerValue, Stage
from flows.summary import answer_msg, applicable, progress, raised_flags
from tests.flows.helpers import (
    AGREED,
    ALL_BRANCHES,
    NOW,
    answers_of,
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
)

HEALTH_AND_MONEY = ("health.difficulty", "health.support", "money.worries", "money.help")


def walked(engine, **chosen):
    """All questions answered from consent on: `chosen` (question id with `.` as `__`)
    where given, the first option otherwise."""
    agreed = steps(engine, new_state(), AGREED)[-1]
    answers = {qid.replace("__", "."): event for qid, event in chosen.items()}
    return walk(engine, agreed.state, answers)


def asked_ids(walk_steps):
    return [asked(step) for step in walk_steps if asked(step)]


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


def test_flags_are_raised_from_answers(engine):
    result = walked(
        engine,
        **{k.replace(".", "__"): v for k, v in ALL_BRANCHES.items()},
        reading__own_language=press(PickOption("reading.own_language", "a_little")),
        family__childcare=press(PickOption("family.childcare", "yes")),
        health__support=press(PickOption("health.support", "yes")),
        money__help=press(PickOption("money.help", "yes")),
        family__abroad=press(PickOption("family.abroad", "started")),
        daily__has=Event.say("1, 2"),
        daily__letters=press(PickOption("daily.letters", "yes")),
    )
    raised = {flag.id for flag in raised_flags(INTAKE, result[-1].state.answers)}
    assert raised == {
        "interpreter",
        "low_literacy",
        "childcare",
        "health_support",
        "money_help",
        "wants_study",
        "not_available",
        "reunification",
        "no_insurance",
        "letters_help",
        "working_now",  # the first option of work.current_job is "yes"
        "onderwijsroute",  # vocational diploma and a wish to study
        "no_digid_or_bank",  # e-mail and DigiD, no bank account
        "no_network",  # nobody to ask for help yet
        "toeslagen_help",  # none applied for, and help wanted (the first option)
    }  # not "no_latin", "no_income" or "work_skills_new": their first options are yes


def test_no_flag_is_raised_by_skipped_answers(engine):
    agreed = steps(engine, new_state(), AGREED)[-1]
    state = agreed.state
    for _ in range(60):
        if state.position.stage is not Stage.QUESTION:
            break
        state = engine.step(state, press(SkipQuestion(state.position.question)), NOW).state
    assert state.position.stage is Stage.REVIEW
    assert raised_flags(INTAKE, state.answers) == []
    assert all(value.skipped for value in state.answers.values())


def test_every_condition_and_flag_names_a_known_question_and_option():
    def check(where, condition):
        target = INTAKE.question(condition.question)
        assert target is not None, f"{where}: unknown {condition.question}"
        known = {o.code for o in target.options}
        assert condition.any_of | condition.none_of <= known, f"{where}: unknown codes"
        assert INTAKE.questions.index(target) >= 0

    for question in INTAKE.questions:
        for condition in question.conditions:
            check(question.id, condition)
            # A follow-up comes after what it depends on.
            assert INTAKE.questions.index(INTAKE.question(condition.question)) < (
                INTAKE.questions.index(question)
            )
    for flag in INTAKE.flags:
        for condition in flag.conditions:
            check(flag.id, condition)


def test_progress_counts_answered_applicable_questions():
    answers = {"language.spoken": codes("ar"), "language.interpreter": codes("no")}
    done, total = progress(INTAKE, answers)
    assert done == 2
    assert total == len(applicable(INTAKE, answers))
    assert total == sum(1 for q in INTAKE.questions if not q.conditions)  # no follow-ups yet


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
