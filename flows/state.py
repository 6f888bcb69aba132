"""Conversation state: what the engine needs to decide the next step.

`State` is assembled by the service from three places — the conversation row
(`Position`), the case (`CaseFacts`) and the current answers — so each fact has one home
in storage and free-text answers never end up in the conversation row.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


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


class State(BaseModel):
    position: Position = Field(default_factory=Position)
    case: CaseFacts = Field(default_factory=CaseFacts)
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
