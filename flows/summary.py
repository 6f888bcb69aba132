"""Answers as messages: shared by the person's review screen, the export and the dashboard,
so the person and the consulent see the same thing (each in their own language)."""

from __future__ import annotations

from collections.abc import Mapping

from flows.model import N_, Flag, Flow, Kind, Question, Section
from flows.replies import Join, Msg
from flows.state import AnswerValue

SKIPPED = N_("I'd rather discuss this in person")
NOT_ANSWERED = N_("not answered yet")


def answer_msg(question: Question, value: AnswerValue | None) -> Msg:
    if value is None:
        return Msg.of(NOT_ANSWERED)
    if value.skipped:
        return Msg.of(SKIPPED)
    if question.kind is Kind.NUMBER and value.number is not None:
        return Msg.lit("{n}", n=value.number)
    if question.kind is Kind.TEXT and value.text is not None:
        return Msg.lit("{text}", text=value.text)
    labels = tuple(Msg.of(o.text) for code in value.codes if (o := question.option(code)))
    return Msg.lit("{items}", items=Join(labels))


def applicable(flow: Flow, answers: Mapping[str, AnswerValue]) -> list[Question]:
    return [q for q in flow.questions if q.applies(answers)]


def section_lines(section: Section, answers: Mapping[str, AnswerValue]) -> list[Msg]:
    return [
        Msg.lit(
            "• {label}: {answer}", label=Msg.of(q.label), answer=answer_msg(q, answers.get(q.id))
        )
        for q in section.questions
        if q.applies(answers)
    ]


def raised_flags(flow: Flow, answers: Mapping[str, AnswerValue]) -> list[Flag]:
    return [flag for flag in flow.flags if flag.raised(answers)]


def progress(flow: Flow, answers: Mapping[str, AnswerValue]) -> tuple[int, int]:
    """(answered, applicable): the share of the pre-intake done, for the caseload."""
    questions = applicable(flow, answers)
    return sum(1 for q in questions if q.id in answers), len(questions)
