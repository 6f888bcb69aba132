"""Stored answer rows as the engine's answers: one conversion for the service and the export."""

from __future__ import annotations

from collections.abc import Iterable

from flows.state import AnswerValue
from storage import Answer, StandingAnswer


def answer_value(row: Answer | StandingAnswer) -> AnswerValue:
    # Built without validation: the row's columns already have these types, and every
    # turn builds one for each standing answer (validating them was 7% of the CPU of an
    # update under load, in bench/profiles/throughput-sqlite.txt).
    return AnswerValue.model_construct(
        codes=tuple(row.codes or ()),
        number=row.number,
        text=row.free_text,
        skipped=bool(row.skipped),
    )


def current_values(rows: Iterable[Answer | StandingAnswer]) -> dict[str, AnswerValue]:
    """The answers that stand now: not replaced by a newer one, not retracted."""
    return {
        row.question_id: answer_value(row)
        for row in rows
        if getattr(row, "superseded_at", None) is None and not row.retracted
    }
