"""Stored answer rows as the engine's answers: one conversion for the service and the export."""

from __future__ import annotations

from collections.abc import Iterable

from flows.state import AnswerValue
from storage import Answer, StandingAnswer


def answer_value(row: Answer | StandingAnswer) -> AnswerValue:
    return AnswerValue(
        codes=tuple(row.codes or ()), number=row.number, text=row.free_text, skipped=row.skipped
    )


def current_values(rows: Iterable[Answer | StandingAnswer]) -> dict[str, AnswerValue]:
    """The answers that stand now: not replaced by a newer one, not retracted."""
    return {
        row.question_id: answer_value(row)
        for row in rows
        if getattr(row, "superseded_at", None) is None and not row.retracted
    }
