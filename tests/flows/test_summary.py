"""`flows/summary.py`: flags for the consulent raised from answers, and progress (from
test_branching_and_review)."""

from __future__ import annotations

from flows.callbacks import (
    PickOption,
    SkipQuestion,
)
from flows.events import Event
from flows.intake import INTAKE
from flows.state import Stage
from flows.summary import applicable, progress, raised_flags
from tests.flows.helpers import (
    AGREED,
    ALL_BRANCHES,
    NOW,
    codes,
    new_state,
    press,
    steps,
    walked,
)


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
    }  # everything but "no_latin": the first option of reading.latin is "yes"


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


def test_progress_counts_answered_applicable_questions():
    answers = {"language.spoken": codes("ar"), "language.interpreter": codes("no")}
    done, total = progress(INTAKE, answers)
    assert done == 2
    assert total == len(applicable(INTAKE, answers))
    assert total == sum(1 for q in INTAKE.questions if not q.conditions)  # no follow-ups yet
