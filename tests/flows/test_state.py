"""`flows/state.py`: `State.working_copy`, the engine's cheap replacement for a deep copy:
the copy must be equal, and changing it must never reach the original (the engine is
pure) (from test_state_copy)."""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import BaseModel

from flows.state import AnswerValue, CaseFacts, Position, Stage, State, _may_change


def sample() -> State:
    return State(
        position=Position(
            lang="ar",
            stage=Stage.QUESTION,
            question="work.wish",
            history=["a", "b"],
            selection=["x"],
        ),
        case=CaseFacts(has_case=True, consent_version="1-r12"),
        answers={"a": AnswerValue(codes=("yes",)), "b": AnswerValue(text="tuin")},
    )


def _shallow_is_enough(annotation: Any) -> bool:
    """A container field is copied one level deep: its items must be immutable."""
    origin = get_origin(annotation)
    if origin in (list, dict, set):
        return not any(_may_change(a) for a in get_args(annotation))
    return not _may_change(annotation)


def test_the_copy_is_equal_and_independent() -> None:
    original = sample()
    before = original.model_dump()
    copy = original.working_copy()
    assert copy == original and copy.model_dump() == before
    copy.position.history.append("c")
    copy.position.selection.clear()
    copy.position.stage = Stage.REVIEW
    copy.case.consent_version = None
    copy.answers["c"] = AnswerValue(skipped=True)
    del copy.answers["a"]
    assert original.model_dump() == before
    assert copy.model_fields_set == original.model_fields_set
    assert copy.position.model_fields_set is not original.position.model_fields_set


def test_every_field_is_immutable_a_model_or_a_container_of_immutables() -> None:
    """A new field that holds mutable items (a list of lists, a mutable model in a dict)
    would be shared between the copy and the original: working_copy must learn it first."""
    for model in (State, Position, CaseFacts):
        for name, field in model.model_fields.items():
            annotation = field.annotation
            is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
            assert is_model or _shallow_is_enough(annotation), f"{model.__name__}.{name}"
