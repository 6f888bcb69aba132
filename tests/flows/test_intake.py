"""`flows/intake.py`: the pre-intake as data. Every condition and flag names a known
question; the brede-intake topics of issue #14: each new question is asked when it
applies and not otherwise, raises its flag, and has the Dutch label the consulent's
sheet and the export show (from test_branching_and_review, test_brede_intake_topics)."""

from __future__ import annotations

import pytest

from flows.callbacks import (
    DoneChoosing,
    PickOption,
    ToggleOption,
)
from flows.events import Event
from flows.intake import INTAKE
from flows.languages import DUTCH
from flows.replies import Msg
from flows.state import AnswerValue
from flows.summary import raised_flags
from tests.flows.helpers import (
    AGREED,
    asked,
    at_question,
    codes,
    new_state,
    press,
    steps,
    walk,
)

SKIPPED = AnswerValue(skipped=True)

# question: (answers that open it, answers that keep it closed)
BRANCHES = {
    "language.english_level": (
        {"language.spoken": codes("ar", "en")},
        {"language.spoken": codes("ar")},
    ),
    "language.kurdish": ({"language.spoken": codes("ku")}, {"language.spoken": codes("fa")}),
    "language.persian": ({"language.spoken": codes("fa")}, {"language.spoken": codes("ku")}),
    "education.field": (
        {"education.level": codes("university")},
        {"education.level": codes("primary")},
    ),
    "work.current_hours": ({"work.current_job": codes("yes")}, {"work.current_job": codes("no")}),
    "family.partner_inburgering": (
        {"family.household": codes("partner", "children")},
        {"family.household": codes("children")},
    ),
    "family.children_count": (
        {"family.household": codes("children")},
        {"family.household": codes("alone")},
    ),
    "family.preschool": (
        {"family.household": codes("children"), "family.children_ages": codes("under_4", "12_18")},
        {"family.household": codes("children"), "family.children_ages": codes("4_12")},
    ),
    "health.kind": (
        {"health.consent": codes("yes"), "health.difficulty": codes("yes")},
        {"health.consent": codes("yes"), "health.difficulty": codes("no")},
    ),
}

# Asked of everyone (and skippable, as every question).
UNCONDITIONAL = ("reading.numeracy", "work.current_job", "family.came_later", "goals.help_now")


def walked_ids(engine, **chosen: Event) -> list[str]:
    agreed = steps(engine, new_state(), AGREED)[-1]
    chosen_ = {key.replace("__", "."): event for key, event in chosen.items()}
    return [qid for step in walk(engine, agreed.state, chosen_) if (qid := asked(step))]


# flag: (answers that raise it, answers that do not)
FLAG_CASES = {
    "cannot_read": (
        {"reading.own_language": codes("cannot_read")},
        {"reading.own_language": codes("a_little")},
    ),
    "health_no_support": (
        {"health.difficulty": codes("yes"), "health.support": codes("later")},
        {"health.difficulty": codes("yes"), "health.support": codes("yes")},
    ),
    "no_digid_or_bank": (
        {"daily.has": codes("email", "digid")},
        {"daily.has": codes("digid", "bank")},
    ),
    "working_now": ({"work.current_job": codes("yes")}, {"work.current_job": codes("no")}),
    "onderwijsroute": (
        {"education.level": codes("secondary"), "education.study_wish": codes("maybe")},
        {"education.level": codes("primary"), "education.study_wish": codes("yes")},
    ),
}


DUTCH_LABELS = {
    "language.english_level": "Niveau Engels",
    "language.kurdish": "Koerdisch: Kurmanji of Sorani",
    "language.persian": "Perzisch: Farsi of Dari",
    "reading.numeracy": "Rekenen (eigen inschatting)",
    "education.field": "Diploma in",
    "work.current_job": "Werkt nu",
    "work.current_hours": "Uren werk per week",
    "family.partner_inburgering": "Partner heeft eigen inburgering",
    "family.children_count": "Aantal kinderen",
    "family.preschool": "Jong kind: VVE / JGZ",
    "family.came_later": "Gekomen via gezinshereniging (nareiziger)",
    "health.kind": "Gezondheid: wat voor soort (geen details)",
    "goals.help_now": "Heeft nu hulp nodig bij",
}
DUTCH_FLAGS = {
    "cannot_read": "Kan helemaal niet lezen (alfabetisering)",
    "health_no_support": "Gezondheidsklacht zonder wens voor steun",
    "no_digid_or_bank": "Geen DigiD of geen bankrekening",
    "working_now": "Werkt nu",
    "onderwijsroute": "Mogelijk onderwijsroute (als jonger dan 28)",
}


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


@pytest.mark.parametrize("question_id", sorted(BRANCHES))
def test_a_new_follow_up_applies_only_after_the_answer_that_opens_it(question_id):
    opening, closing = BRANCHES[question_id]
    question = INTAKE.question(question_id)
    assert question.applies(opening)
    assert not question.applies(closing)
    assert not question.applies({})
    assert not question.applies({key: SKIPPED for key in opening})


@pytest.mark.parametrize("question_id", UNCONDITIONAL)
def test_the_new_general_questions_are_asked_of_everyone(question_id):
    assert INTAKE.question(question_id).conditions == ()


def test_a_walk_that_opens_no_branch_asks_none_of_the_new_follow_ups(engine):
    agreed = steps(engine, new_state(), AGREED)[-1]
    closed = {
        "language.spoken": Event.say("1"),  # Arabic only
        "education.level": press(PickOption("education.level", "none")),
        "work.current_job": press(PickOption("work.current_job", "no")),
        "family.household": press(ToggleOption("family.household", "alone")),
        "health.consent": press(PickOption("health.consent", "yes")),
        "health.difficulty": press(PickOption("health.difficulty", "no")),
    }
    ids = {asked(step) for step in walk(engine, agreed.state, closed)}
    assert ids.isdisjoint(BRANCHES)
    assert set(UNCONDITIONAL) <= ids


def test_the_engine_asks_the_hours_right_after_a_current_job(engine):
    ids = walked_ids(engine, work__current_job=press(PickOption("work.current_job", "yes")))
    assert ids[ids.index("work.current_job") + 1] == "work.current_hours"
    ids = walked_ids(engine, work__current_job=press(PickOption("work.current_job", "no")))
    assert ids[ids.index("work.current_job") + 1] == "work.worked_before"


def test_pre_school_is_asked_only_with_a_child_under_4(engine):
    household = Event.say("3")
    ids = walked_ids(engine, family__household=household, family__children_ages=Event.say("1, 3"))
    assert "family.preschool" in ids and "family.children_count" in ids
    ids = walked_ids(engine, family__household=household, family__children_ages=Event.say("2"))
    assert "family.preschool" not in ids and "family.children_count" in ids


def test_the_interpreters_dialect_is_asked_right_after_the_languages(drive):
    state = at_question("language.spoken")
    step = drive([Event.say("5"), press(DoneChoosing("language.spoken"))], state=state)
    assert asked(step) == "language.kurdish"
    step = drive([press(PickOption("language.kurdish", "sorani"))], state=step.state)
    assert asked(step) == "language.interpreter"


def test_cannot_read_at_all_is_a_new_code_beside_no_and_a_little():
    question = INTAKE.question("reading.own_language")
    assert [o.code for o in question.options] == ["well", "a_little", "no", "cannot_read"]


def test_weekend_days_can_be_marked_as_not_available():
    codes_ = [o.code for o in INTAKE.question("family.unavailable").options]
    assert {"evenings", "sat", "sun"} <= set(codes_)
    assert codes_.index("fri") < codes_.index("sat")  # old button numbers are kept


def test_health_kind_is_sensitive_and_has_no_free_text():
    question = INTAKE.question("health.kind")
    assert question.sensitive and question.has_options
    assert {o.code for o in question.options} == {"physical", "mental", "hearing", "sight"}


def test_saying_no_to_health_questions_later_retracts_the_kind_of_difficulty(drive):
    answers = {
        "health.consent": codes("yes"),
        "health.difficulty": codes("yes"),
        "health.kind": codes("mental"),
    }
    state = at_question("health.consent", answers)
    step = drive([press(PickOption("health.consent", "no"))], state=state)
    assert step.state.answers.get("health.kind") is None


@pytest.mark.parametrize("flag_id", sorted(FLAG_CASES))
def test_each_new_flag_is_raised_by_its_answers_only(flag_id):
    raising, quiet = FLAG_CASES[flag_id]
    assert flag_id in {f.id for f in raised_flags(INTAKE, raising)}
    assert flag_id not in {f.id for f in raised_flags(INTAKE, quiet)}
    assert flag_id not in {f.id for f in raised_flags(INTAKE, {k: SKIPPED for k in raising})}


def test_no_digid_or_bank_is_raised_by_either_missing():
    for has in (codes("bank"), codes("digid"), codes("none")):
        assert "no_digid_or_bank" in {f.id for f in raised_flags(INTAKE, {"daily.has": has})}


def test_cannot_read_at_all_is_not_counted_as_low_literacy():
    raised = {f.id for f in raised_flags(INTAKE, {"reading.own_language": codes("cannot_read")})}
    assert "cannot_read" in raised and "low_literacy" not in raised
    still = {f.id for f in raised_flags(INTAKE, {"reading.own_language": codes("no")})}
    assert "low_literacy" in still and "cannot_read" not in still


def test_the_new_flags_come_first():
    ids = [flag.id for flag in INTAKE.flags]
    assert ids[:5] == [
        "cannot_read",
        "health_no_support",
        "no_digid_or_bank",
        "working_now",
        "onderwijsroute",
    ]


def test_every_new_question_and_flag_has_its_dutch_label(catalog_renderer):
    assert set(DUTCH_LABELS) == set(BRANCHES) | set(UNCONDITIONAL)
    for question_id, dutch in DUTCH_LABELS.items():
        label = INTAKE.question(question_id).label
        assert catalog_renderer.text(Msg.of(label), DUTCH) == dutch
    flags = {flag.id: flag.label for flag in INTAKE.flags}
    for flag_id, dutch in DUTCH_FLAGS.items():
        assert catalog_renderer.text(Msg.of(flags[flag_id]), DUTCH) == dutch


def test_the_new_options_read_in_dutch_on_the_sheet(catalog_renderer):
    def dutch(question_id: str, code: str) -> str:
        option = INTAKE.question(question_id).option(code)
        return catalog_renderer.text(Msg.of(option.text), DUTCH)

    assert dutch("reading.own_language", "cannot_read") == "Ik kan helemaal niet lezen"
    assert dutch("family.unavailable", "sat") == "Zaterdag"
    assert dutch("work.current_hours", "12_24") == "12 tot 24 uur"
    assert dutch("health.kind", "sight") == "Zien"
    assert dutch("family.preschool", "jgz") == "Het consultatiebureau (JGZ)"
