"""The flow model refuses flows that cannot work, before anyone sees them."""

from __future__ import annotations

import pytest

from flows.intake import INTAKE
from flows.model import YES_NO, Flag, Flow, Kind, Option, Question, Section, when
from flows.state import AnswerValue


def q(qid: str, kind: Kind = Kind.CHOICE, *options: Option, **kwargs) -> Question:
    if kind in (Kind.CHOICE, Kind.MULTI) and not options:
        options = (Option("a", "A"), Option("b", "B"))
    return Question(qid, kind, f"{qid}?", qid, options, **kwargs)


def flow(*sections: Section, flags: tuple[Flag, ...] = ()) -> Flow:
    return Flow("test", "1", sections, flags)


def test_duplicate_question_ids_are_refused():
    with pytest.raises(ValueError, match="duplicate question id x"):
        flow(Section("one", "One", (q("x"),)), Section("two", "Two", (q("x"),)))


def test_duplicate_question_ids_within_a_section_are_refused():
    with pytest.raises(ValueError, match="duplicate question id"):
        flow(Section("one", "One", (q("x"), q("x", Kind.TEXT))))


def test_a_condition_on_an_unknown_question_is_refused():
    with pytest.raises(ValueError, match="y depends on unknown nope"):
        flow(Section("one", "One", (q("x"), q("y", conditions=(when("nope", "a"),)))))


def test_duplicate_option_codes_are_refused():
    with pytest.raises(ValueError, match="duplicate option codes"):
        q("x", Kind.MULTI, Option("a", "A"), Option("a", "Also A"))


@pytest.mark.parametrize("kind", [Kind.CHOICE, Kind.MULTI])
def test_a_choice_without_options_is_refused(kind):
    with pytest.raises(ValueError, match="needs options"):
        Question("x", kind, "x?", "x")


def test_a_yes_no_question_gets_yes_and_no():
    question = Question("x", Kind.YESNO, "x?", "x")
    assert question.options == YES_NO
    assert question.has_options


def test_number_and_text_questions_need_no_options():
    assert not q("n", Kind.NUMBER).has_options
    assert not q("t", Kind.TEXT).has_options


def test_a_valid_flow_knows_its_questions_and_parts():
    made = flow(
        Section("one", "One", (q("x"), q("y", conditions=(when("x", "a"),)))),
        Section("two", "Two", (q("z", Kind.TEXT),)),
    )
    assert [question.id for question in made.questions] == ["x", "y", "z"]
    assert made.part_of("x") == 2 and made.part_of("z") == 3  # part 1 is the consent
    assert made.total_parts == 3
    assert made.section_of("z").id == "two"
    assert made.question("nope") is None and made.section("nope") is None


def test_conditions_hold_only_for_real_answers():
    condition = when("x", "a", none_of=("b",))
    assert condition.holds({"x": AnswerValue(codes=("a",))})
    assert not condition.holds({"x": AnswerValue(codes=("a", "b"))})
    assert not condition.holds({"x": AnswerValue(codes=("c",))})
    assert not condition.holds({"x": AnswerValue(skipped=True)})
    assert not condition.holds({})
    only_not = when("x", none_of=("b",))
    assert only_not.holds({"x": AnswerValue(codes=("a",))})
    assert not only_not.holds({"x": AnswerValue(skipped=True)})


def test_the_intake_is_a_valid_flow_of_eight_sections():
    assert len(INTAKE.sections) == 8
    assert INTAKE.total_parts == 9
    ids = [question.id for question in INTAKE.questions]
    assert len(ids) == len(set(ids))
    for question in INTAKE.questions:
        if question.kind is Kind.NUMBER:
            assert all(question.minimum <= p <= question.maximum for p in question.presets)
        assert question.max_length > 0


def test_health_and_money_are_marked_sensitive_and_asked_after_their_own_consent():
    section = INTAKE.section("health_money")
    assert all(question.sensitive for question in section.questions)
    assert section.questions[0].id == "health.consent"
    for question in section.questions[1:]:
        assert any(c.question == "health.consent" for c in question.conditions)
    others = [question for s in INTAKE.sections if s is not section for question in s.questions]
    assert not any(question.sensitive for question in others)


def test_a_flag_on_an_unknown_question_is_refused():
    with pytest.raises(ValueError):
        flow(Section("one", "One", (q("x"),)), flags=(Flag("f", "F", (when("nope", "a"),)),))


def test_a_condition_on_an_unknown_option_code_is_refused():
    # A typo ("chlidren") would silently make the follow-up never apply.
    with pytest.raises(ValueError):
        flow(Section("one", "One", (q("x"), q("y", conditions=(when("x", "typo"),)))))
