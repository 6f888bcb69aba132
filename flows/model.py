"""The flow model: a conversation described as data, kept apart from the engine that runs it.

Texts are English msgids marked with `N_` so `pybabel extract` finds them; they are
translated only when a reply is rendered, in the person's language (and in Dutch for the
bilingual line and the consulent's sheet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


def N_(msgid: str) -> str:
    """Mark a msgid for extraction without translating it (gettext_noop)."""
    return msgid


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural msgid pair for extraction (`pybabel extract -k NP_:1,2`)."""
    return singular, plural


class Contextual(str):
    """A msgid that carries a gettext context (msgctxt): the same English word that needs
    different words in other languages ("None" Dutch spoken, "None" school finished).
    It is still the plain English string everywhere else."""

    context: str

    def __new__(cls, context: str, msgid: str) -> Contextual:
        text = super().__new__(cls, msgid)
        text.context = context
        return text

    def __reduce__(self) -> tuple[type[Contextual], tuple[str, str]]:
        return Contextual, (self.context, str(self))


def NC_(context: str, msgid: str) -> str:
    """Mark a msgid with a context for extraction (`pybabel extract -k NC_:1c,2`)."""
    return Contextual(context, msgid)


class Kind(StrEnum):
    CHOICE = "choice"  # one option
    MULTI = "multi"  # several options, then "Done"
    YESNO = "yesno"  # a choice whose options are yes / no
    NUMBER = "number"  # a whole number within bounds
    TEXT = "text"  # a short free text


@dataclass(frozen=True)
class Option:
    """A choice with a stable code: codes are stored, texts can change."""

    code: str
    text: str
    exclusive: bool = False  # in a MULTI, choosing it clears the others ("none of these")


@dataclass(frozen=True)
class When:
    """A condition on an earlier answer. A skipped or missing answer never satisfies it,
    so follow-up questions are only asked after a real answer."""

    question: str
    any_of: frozenset[str] = frozenset()
    none_of: frozenset[str] = frozenset()

    def holds(self, answers: Mapping[str, AnswerLike]) -> bool:
        answer = answers.get(self.question)
        if answer is None or answer.skipped:
            return False
        codes = answer.codes
        if self.any_of and self.any_of.isdisjoint(codes):
            return False
        return self.none_of.isdisjoint(codes)


class AnswerLike:
    """What a condition needs to see of an answer (implemented by `flows.state.AnswerValue`)."""

    codes: tuple[str, ...]
    skipped: bool


def all_hold(conditions: Iterable[When], answers: Mapping[str, AnswerLike]) -> bool:
    # A plain loop: `all()` over a generator costs twice as much, and this runs for
    # every question on every step (which one is next, what to retract, the review).
    for condition in conditions:  # noqa: SIM110
        if not condition.holds(answers):
            return False
    return True


def when(question: str, *any_of: str, none_of: Iterable[str] = ()) -> When:
    return When(question, frozenset(any_of), frozenset(none_of))


YES_NO = (Option("yes", N_("Yes")), Option("no", N_("No")))


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    prompt: str  # asked to the person
    label: str  # short name: the review screen and the consulent's sheet
    options: tuple[Option, ...] = ()
    conditions: tuple[When, ...] = ()  # all must hold for the question to apply
    hint: str | None = None
    sensitive: bool = False  # special-category data: flags and wishes only
    minimum: int = 0  # NUMBER bounds
    maximum: int = 100
    presets: tuple[int, ...] = ()  # NUMBER quick buttons
    max_length: int = 1000  # TEXT

    def __post_init__(self) -> None:
        if self.kind is Kind.YESNO and not self.options:
            object.__setattr__(self, "options", YES_NO)
        if self.kind in (Kind.CHOICE, Kind.MULTI, Kind.YESNO) and not self.options:
            raise ValueError(f"question {self.id} needs options")
        codes = [o.code for o in self.options]
        if len(codes) != len(set(codes)):
            raise ValueError(f"question {self.id} has duplicate option codes")

    @property
    def has_options(self) -> bool:
        return self.kind in (Kind.CHOICE, Kind.MULTI, Kind.YESNO)

    def option(self, code: str) -> Option | None:
        for option in self.options:
            if option.code == code:
                return option
        return None

    def applies(self, answers: Mapping[str, AnswerLike]) -> bool:
        for condition in self.conditions:  # noqa: SIM110 (all_hold's loop, inlined: per step)
            if not condition.holds(answers):
                return False
        return True


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None


@dataclass(frozen=True)
class Flag:
    """Something the consulent should see at a glance, derived from answers: all
    `conditions` hold and, when `any_of` is given, at least one of those ("no DigiD or no
    bank account")."""

    id: str
    label: str
    conditions: tuple[When, ...]
    any_of: tuple[When, ...] = ()

    def raised(self, answers: Mapping[str, AnswerLike]) -> bool:
        if not all_hold(self.conditions, answers):
            return False
        return not self.any_of or any(c.holds(answers) for c in self.any_of)


@dataclass(frozen=True)
class Flow:
    id: str
    version: str
    sections: tuple[Section, ...]
    flags: tuple[Flag, ...] = ()
    _index: dict[str, tuple[int, Question]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for number, section in enumerate(self.sections):
            for question in section.questions:
                if question.id in self._index:
                    raise ValueError(f"duplicate question id {question.id}")
                self._index[question.id] = (number, question)
        for question in self.questions:
            self._check(question.id, question.conditions)
        for flag in self.flags:
            self._check(f"flag {flag.id}", (*flag.conditions, *flag.any_of))

    def _check(self, owner: str, conditions: tuple[When, ...]) -> None:
        for condition in conditions:
            found = self._index.get(condition.question)
            if found is None:
                raise ValueError(f"{owner} depends on unknown {condition.question}")
            codes = {o.code for o in found[1].options}
            unknown = (condition.any_of | condition.none_of) - codes
            if unknown:
                raise ValueError(
                    f"{owner} names unknown codes {sorted(unknown)} of {condition.question}"
                )

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question | None:
        found = self._index.get(question_id)
        return found[1] if found else None

    def section_of(self, question_id: str) -> Section:
        return self.sections[self._index[question_id][0]]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def part_of(self, question_id: str) -> int:
        """1-based part number; part 1 is the welcome and consent."""
        return self._index[question_id][0] + 2

    @property
    def total_parts(self) -> int:
        return len(self.sections) + 1
