"""The turn: the working copy of one step, which every screen receives.

It collects what the step produces (answers, effects, replies, notes said before the
next reply) and knows where the person should be. Showing a place goes through `views`,
the engine's table of one view per stage, so a screen can send the person on without
importing the screen that comes next. The engine is seen through `EngineView`, a
protocol, so no screen imports the engine (an import-linter contract keeps it so).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from flows import texts as T
from flows.context import Context
from flows.effects import AnswerRecord, Effect
from flows.model import Flow, Kind, Question
from flows.replies import Button, Msg, Param, Reply
from flows.state import Overlay, Position, Stage, State

HISTORY_LIMIT = 100

View = Callable[["Turn"], None]


class EngineView(Protocol):
    """What a screen reads of the engine (`flows.engine.Engine` is one): the fixed flow
    and deployment, and the caches built from them."""

    @property
    def flow(self) -> Flow: ...

    @property
    def context(self) -> Context: ...

    @property
    def questions(self) -> tuple[Question, ...]: ...

    @property
    def conditional(self) -> tuple[Question, ...]: ...  # the questions with conditions

    @property
    def memo(self) -> dict[Hashable, Any]: ...

    def labels(self, question: Question, lang: str) -> dict[str, str]: ...


@dataclass
class Turn:
    """One step in the making: collects answers, effects and replies."""

    engine: EngineView
    state: State
    now: datetime
    # What each stage shows, and (under Overlay.LANGUAGE) the language menu.
    views: Mapping[Stage | Overlay, View]
    records: list[AnswerRecord] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)  # said before the next reply

    # -- plumbing ---------------------------------------------------------------------

    @property
    def flow(self) -> Flow:
        return self.engine.flow

    @property
    def context(self) -> Context:
        return self.engine.context

    @property
    def pos(self) -> Position:
        return self.state.position

    def note(self, msgid: str, **params: Param) -> None:
        self.notes.append(Msg.of(msgid, **params))

    def reply(
        self, *parts: Msg, buttons: Sequence[Sequence[Button]] | None = None, bilingual: bool = True
    ) -> None:
        notes, self.notes = self.notes, []
        self.replies.append(
            Reply(tuple(notes) + parts, tuple(tuple(row) for row in buttons or []), bilingual)
        )

    def flush(self) -> None:
        if self.notes:
            self.reply()

    # -- where are we -----------------------------------------------------------------

    def may_ask(self) -> bool:
        """Questions and the review only exist for a case with current consent."""
        asking = (Stage.QUESTION, Stage.REVIEW, Stage.CHANGE_SECTION, Stage.CHANGE_QUESTION)
        if self.pos.stage not in asking:
            return True
        return self.state.case.has_case and self.consent_current()

    def consent_current(self) -> bool:
        return self.state.case.consent_version == self.context.consent_version

    def first_open(self) -> Question | None:
        answers = self.state.answers
        for question in self.engine.questions:
            if question.id not in answers and question.applies(answers):
                return question
        return None

    def current_question(self) -> Question | None:
        question = self.flow.question(self.pos.question or "")
        if question is None or not question.applies(self.state.answers):
            return None
        return question

    # -- where to go ------------------------------------------------------------------

    def resume(self, *, greet: bool) -> None:
        """Go to where the person should be: the first unanswered question, or further."""
        if not self.state.case.has_case:
            self.pos.stage = Stage.NO_CASE
        elif not self.consent_current():
            if (self.pos.stage is Stage.DECLINED and greet) or self.pos.stage is not Stage.DECLINED:
                self.pos.stage = Stage.CONSENT
        else:
            if greet and self.state.answers:
                self.note(T.WELCOME_BACK)
            self.pos.return_to_review = False
            self.go_next()
            return
        self.present()

    def go_next(self) -> None:
        question = self.first_open()
        if question is not None:
            self.move_to(question)
        elif self.state.case.submitted and not self.pos.return_to_review:
            self.pos.stage = Stage.DONE
            self.present()
        else:
            self.switch_to(Stage.REVIEW)

    def move_to(self, question: Question, *, remember: bool = True) -> None:
        """Ask `question` (one that applies), remembering the one before for Back."""
        previous = self.pos.question if self.pos.stage is Stage.QUESTION else None
        if remember and previous and previous != question.id:
            self.pos.history = [*self.pos.history, previous][-HISTORY_LIMIT:]
            if self.flow.part_of(previous) < self.flow.part_of(question.id):
                self.note(T.PART_SAVED, part=self.flow.part_of(previous))
        self.pos.question = question.id
        current = self.state.answers.get(question.id)
        self.pos.selection = list(current.codes) if question.kind is Kind.MULTI and current else []
        self.switch_to(Stage.QUESTION)

    def switch_to(self, stage: Stage) -> None:
        self.pos.stage = stage
        self.views[stage](self)

    def present(self) -> None:
        """Show the current stage again (after help, a wrong input, a stale button)."""
        if self.pos.lang is None:
            self.views[Overlay.LANGUAGE](self)
            return
        if not self.may_ask():
            self.resume(greet=False)  # consent first: never show a question without it
            return
        self.views[self.pos.stage](self)
