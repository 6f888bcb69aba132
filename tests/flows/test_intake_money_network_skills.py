"""The brede-intake topics of issue #23 (seeds 001 and 002): a benefit and from whom,
toeslagen, werknemersvaardigheden, the social network ("nobody yet" a signal) and one
optional open question that never asks for the asylum story. Each is asked when it
applies, raises its flag, and has the Dutch label of the consulent's sheet."""

from __future__ import annotations

import pytest

from flows.callbacks import PickOption
from flows.events import Event
from flows.intake import INTAKE
from flows.languages import DUTCH
from flows.model import Kind
from flows.replies import Msg
from flows.state import AnswerValue
from flows.summary import raised_flags
from tests.flows.helpers import AGREED, asked, codes, new_state, press, steps, walk

SKIPPED = AnswerValue(skipped=True)

# question: (answers that open it, answers that keep it closed)
BRANCHES = {
    "daily.benefit_from": ({"daily.benefit": codes("applied")}, {"daily.benefit": codes("no")}),
    "daily.toeslagen_help": (
        {"daily.toeslagen": codes("unknown")},
        {"daily.toeslagen": codes("zorg", "huur")},
    ),
    "family.network_wish": (
        {"family.network": codes("nobody")},
        {"family.network": codes("friends", "religious")},
    ),
}
UNCONDITIONAL = (
    "daily.benefit",
    "daily.toeslagen",
    "work.skills",
    "family.network",
    "goals.for_consulent",
)


@pytest.mark.parametrize("question_id", sorted(BRANCHES))
def test_a_follow_up_applies_only_after_the_answer_that_opens_it(question_id: str) -> None:
    opening, closing = BRANCHES[question_id]
    question = INTAKE.question(question_id)
    assert question is not None
    assert question.applies(opening)
    assert not question.applies(closing)
    assert not question.applies({})
    assert not question.applies({key: SKIPPED for key in opening})


@pytest.mark.parametrize("question_id", UNCONDITIONAL)
def test_the_topics_are_asked_of_everyone(question_id: str) -> None:
    question = INTAKE.question(question_id)
    assert question is not None and question.conditions == ()


def test_from_whom_comes_right_after_a_benefit_and_only_then(engine) -> None:  # type: ignore[no-untyped-def]
    agreed = steps(engine, new_state(), AGREED)[-1]
    yes = walk(engine, agreed.state, {"daily.benefit": press(PickOption("daily.benefit", "yes"))})
    ids = [asked(step) for step in yes if asked(step)]
    assert ids[ids.index("daily.benefit") + 1] == "daily.benefit_from"
    no = walk(engine, agreed.state, {"daily.benefit": press(PickOption("daily.benefit", "no"))})
    assert "daily.benefit_from" not in {asked(step) for step in no}


def test_nobody_yet_excludes_the_others_and_opens_the_wish_to_meet_people(engine) -> None:  # type: ignore[no-untyped-def]
    network = INTAKE.question("family.network")
    assert network is not None
    nobody = network.option("nobody")
    assert nobody is not None and nobody.exclusive
    agreed = steps(engine, new_state(), AGREED)[-1]
    walked = walk(engine, agreed.state, {"family.network": Event.say("5")})
    answers = walked[-1].state.answers
    assert answers["family.network"].codes == ("nobody",)
    assert "family.network_wish" in answers


def test_the_open_question_is_optional_text_and_never_asks_for_the_asylum_story() -> None:
    question = INTAKE.question("goals.for_consulent")
    assert question is not None and question.kind is Kind.TEXT
    assert question is INTAKE.section("goals").questions[-1]  # last, after the choices
    assert "not about your asylum story" in question.prompt
    assert "skip" in question.prompt
    for asked_for in ("why did you", "flee", "what happened", "tell us your story"):
        assert asked_for not in question.prompt.lower()
    assert not question.sensitive  # free text in the person's words, kept as such


def test_the_skills_are_three_plain_self_assessments() -> None:
    question = INTAKE.question("work.skills")
    assert question is not None and question.kind is Kind.MULTI
    assert [o.code for o in question.options] == ["team", "hours", "boss", "none"]
    assert question.options[-1].exclusive


# flag: (answers that raise it, answers that do not)
FLAG_CASES = {
    "no_network": ({"family.network": codes("nobody")}, {"family.network": codes("family")}),
    "no_income": (
        {"daily.benefit": codes("no"), "work.current_job": codes("no")},
        {"daily.benefit": codes("no"), "work.current_job": codes("yes")},
    ),
    "toeslagen_help": (
        {"daily.toeslagen_help": codes("yes")},
        {"daily.toeslagen_help": codes("no")},
    ),
    "work_skills_new": ({"work.skills": codes("none")}, {"work.skills": codes("team")}),
}


@pytest.mark.parametrize("flag_id", sorted(FLAG_CASES))
def test_each_flag_is_raised_by_its_answers_only(flag_id: str) -> None:
    raising, quiet = FLAG_CASES[flag_id]
    assert flag_id in {f.id for f in raised_flags(INTAKE, raising)}
    assert flag_id not in {f.id for f in raised_flags(INTAKE, quiet)}
    assert flag_id not in {f.id for f in raised_flags(INTAKE, {k: SKIPPED for k in raising})}


def test_a_benefit_applied_for_is_not_counted_as_no_income() -> None:
    answers = {"daily.benefit": codes("applied"), "work.current_job": codes("no")}
    assert "no_income" not in {f.id for f in raised_flags(INTAKE, answers)}


DUTCH_LABELS = {
    "daily.benefit": "Krijgt een uitkering",
    "daily.benefit_from": "Uitkering van",
    "daily.toeslagen": "Aangevraagde toeslagen",
    "daily.toeslagen_help": "Wil hulp bij toeslagen",
    "work.skills": "Werknemersvaardigheden (eigen inschatting)",
    "family.network": "Kan hulp vragen aan (sociaal netwerk)",
    "family.network_wish": "Wil mensen leren kennen",
    "goals.for_consulent": "Wil dat de consulent weet (eigen woorden)",
}
DUTCH_FLAGS = {
    "no_network": "Nog niemand om hulp te vragen",
    "no_income": "Geen uitkering en geen betaald werk",
    "toeslagen_help": "Wil hulp bij toeslagen",
    "work_skills_new": "Nog geen ervaring met collega's, vaste tijden of een baas",
}


def test_every_topic_and_flag_has_its_dutch_label(catalog_renderer) -> None:  # type: ignore[no-untyped-def]
    assert set(DUTCH_LABELS) == set(BRANCHES) | set(UNCONDITIONAL)
    for question_id, dutch in DUTCH_LABELS.items():
        question = INTAKE.question(question_id)
        assert question is not None
        assert catalog_renderer.text(Msg.of(question.label), DUTCH) == dutch
    flags = {flag.id: flag.label for flag in INTAKE.flags}
    for flag_id, dutch in DUTCH_FLAGS.items():
        assert catalog_renderer.text(Msg.of(flags[flag_id]), DUTCH) == dutch


def test_the_options_read_in_dutch_on_the_sheet(catalog_renderer) -> None:  # type: ignore[no-untyped-def]
    def dutch(question_id: str, code: str) -> str:
        question = INTAKE.question(question_id)
        assert question is not None
        option = question.option(code)
        assert option is not None
        return catalog_renderer.text(Msg.of(option.text), DUTCH)

    assert dutch("daily.benefit_from", "municipality") == "De gemeente (bijstand)"
    assert dutch("daily.toeslagen", "huur") == "Huurtoeslag"
    assert dutch("work.skills", "boss") == "Opdrachten van een baas opgevolgd"
    assert dutch("family.network", "nobody") == "Nog niemand"
