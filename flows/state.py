"""Conversation state: what the engine needs to decide the next step.

`State` is assembled by the service from three places — the conversation row
(`Position`), the case (`CaseFacts`) and the current answers — so each fact has one home
in storage and free-text answers never end up in the conversation row.
"""

from __future__ import annotations

import types
from enum import Enum, StrEnum
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field

from flows.appointments import AppointmentFacts
from flows.journey import JourneyFacts

M = TypeVar("M", bound=BaseModel)


class Stage(StrEnum):
    NEW = "new"  # nothing shown yet
    NO_CASE = "no_case"  # information only: no invite code bound
    CONSENT = "consent"
    DECLINED = "declined"  # said no to the questions; information still works
    QUESTION = "question"
    REVIEW = "review"
    CHANGE_SECTION = "change_section"  # review → which part to change
    CHANGE_QUESTION = "change_question"  # → which answer in that part
    DONE = "done"  # sent to the consulent


class Overlay(StrEnum):
    LANGUAGE = "language"  # chosen on top of any stage, which resumes afterwards
    CONFIRM_DELETE = "confirm_delete"  # "are you sure?" before erasing everything


class AnswerValue(BaseModel):
    model_config = ConfigDict(frozen=True)

    codes: tuple[str, ...] = ()
    number: int | None = None
    text: str | None = None
    skipped: bool = False  # "I'd rather discuss this in person"


class Position(BaseModel):
    """Where the person is: the part of the state kept in the conversation row."""

    lang: str | None = None
    bilingual: bool = True
    stage: Stage = Stage.NEW
    overlay: Overlay | None = None
    question: str | None = None
    history: list[str] = Field(default_factory=list)  # questions passed, for Back
    selection: list[str] = Field(default_factory=list)  # MULTI choices not yet confirmed
    change_section: str | None = None
    return_to_review: bool = False


class CaseFacts(BaseModel):
    """What the engine may know of the case: never who the person is."""

    has_case: bool = False
    consent_version: str | None = None  # the version the person agreed to, if any
    submitted: bool = False
    # Statushouder, nareiziger or gezinsmigrant (flows.record.TARGET_GROUPS), as the
    # consulent entered it; None while not known. Who helps the person depends on it.
    target_group: str | None = None


class State(BaseModel):
    position: Position = Field(default_factory=Position)
    case: CaseFacts = Field(default_factory=CaseFacts)
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    # Loaded by the service only for an update that needs them (an appointment button,
    # /appointments): a plain intake step costs no extra query.
    appointments: dict[int, AppointmentFacts] = Field(default_factory=dict)
    # Loaded only for /route and its buttons: the case record and the talks held.
    journey: JourneyFacts | None = None

    def working_copy(self) -> State:
        """A copy the engine may change freely, leaving this state as it was.

        About 30 times cheaper than `model_copy(deep=True)`, which was two thirds of a
        step: models and containers are copied, immutable values (strings, numbers,
        enums, frozen `AnswerValue`s) are shared. Fields must stay of those kinds —
        tests/flows/test_state_copy.py checks it.
        """
        return _copy(self)


_IMMUTABLE = (str, int, float, bool, type(None))
_PLANS: dict[type[BaseModel], tuple[str, ...]] = {}


def _may_change(annotation: Any) -> bool:
    """Whether a field of this type can hold something mutable (and so must be copied)."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType) or origin is tuple:
        return any(_may_change(a) for a in get_args(annotation) if a is not Ellipsis)
    if annotation in _IMMUTABLE:
        return False
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return False
    frozen_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return not (frozen_model and annotation.model_config.get("frozen"))


def _plan(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `cls` to copy, worked out once per class from its annotations."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = tuple(n for n, f in cls.model_fields.items() if _may_change(f.annotation))
        _PLANS[cls] = plan
    return plan


def _copy(model: M) -> M:
    """What pydantic's own `__copy__` does, without its generality (this is per step):
    shared immutable fields, copied models and containers (whose items are immutable)."""
    cls = type(model)
    fields = model.__dict__.copy()
    for name in _plan(cls):
        value = fields[name]
        if isinstance(value, BaseModel):
            fields[name] = _copy(value)
        elif isinstance(value, list | dict | set):
            fields[name] = value.copy()
    copied = cls.__new__(cls)
    object.__setattr__(copied, "__dict__", fields)
    object.__setattr__(copied, "__pydantic_fields_set__", set(model.__pydantic_fields_set__))
    object.__setattr__(copied, "__pydantic_extra__", None)  # extra fields are not allowed
    private = model.__pydantic_private__
    object.__setattr__(copied, "__pydantic_private__", None if private is None else dict(private))
    return copied
