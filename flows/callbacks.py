"""Typed button payloads: what a button carries back to the engine when it is pressed.

Telegram gives a button at most 64 bytes of callback data, and buttons stay in a chat
for months, so the wire format is fixed: an old button must still mean what it meant.
Each kind of button is a small frozen class with `pack()` and `unpack()`, in the spirit
of aiogram's `CallbackData` (`prefix:field:field`); `parse()` reads any data into the
class its prefix names. No other module builds or splits these strings.

Reading never raises: data that does not have the shape of a payload (forged, cut off,
oversized, of an unknown kind) is None. Whether a well-formed payload still means
something (its question is on the screen, its appointment is still planned) is for the
screen that handles it to decide.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from enum import StrEnum
from functools import cache, lru_cache
from typing import ClassVar, Self, get_type_hints

MAX_BYTES = 64  # Telegram's limit for callback data
SEP = ":"

_KINDS: dict[str, type[Payload]] = {}


def _size(data: str) -> int:
    # "surrogatepass": data from JSON may hold a lone surrogate; counting must not fail.
    return len(data.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class Payload:
    """One kind of button: `prefix`, then the fields in order, separated by colons.

    Fields are `str` (a non-empty piece without a colon), a `StrEnum` of fixed words (the
    word is the wire, so a member's value never changes) or `int` (ASCII digits); fields
    with a default of "" are optional and trailing. A kind whose data does not follow
    this rule (a word standing for a bool) overrides `parts` and `from_parts`.
    """

    prefix: ClassVar[str]

    def __init_subclass__(cls, prefix: str, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if prefix in _KINDS or SEP in prefix:
            raise TypeError(f"button prefix {prefix!r} is taken or invalid")
        cls.prefix = prefix
        _KINDS[prefix] = cls

    def pack(self) -> str:
        """The callback data. Refuses what Telegram would refuse (over 64 bytes) and
        what would not read back as this payload (an empty field, a colon inside one)."""
        return _pack(self)

    @classmethod
    def unpack(cls, data: str) -> Self | None:
        """This kind of payload, or None for anything else (never raises)."""
        payload = parse(data)
        return payload if isinstance(payload, cls) else None

    def parts(self) -> tuple[str, ...]:
        values: list[tuple[str, bool]] = []
        for name, is_int, _, required in _shape(type(self)):
            value = getattr(self, name)
            if is_int:
                fits = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            else:
                fits = isinstance(value, str)
            if not fits:
                raise ValueError(f"{self!r} cannot be packed: {name} is {value!r}")
            values.append((str(value), required))
        while values and values[-1] == ("", False):
            values.pop()  # an optional field left out
        return tuple(value for value, _ in values)

    @classmethod
    def from_parts(cls, parts: list[str]) -> Self | None:
        shape = _shape(cls)
        if not sum(required for *_, required in shape) <= len(parts) <= len(shape):
            return None
        values: dict[str, object] = {}
        for (name, is_int, words, _), part in zip(shape, parts, strict=False):
            if not part:
                return None
            if is_int:
                if not (part.isascii() and part.isdigit()):
                    return None
                values[name] = int(part)
            elif words is not None:
                if part not in _values(words):
                    return None
                values[name] = words(part)
            else:
                values[name] = part
        payload = cls(**values)
        return payload if payload.valid() else None

    def valid(self) -> bool:
        """Whether the fields fit together (a kind with fixed words checks them here)."""
        return True


# The engine draws the same buttons again and again (a question's options on each
# wrong answer): a packed payload is remembered. Bounded; payloads are small.
@lru_cache(maxsize=4096)
def _pack(payload: Payload) -> str:
    parts = payload.parts()
    for part in parts:
        if not part or SEP in part:
            raise ValueError(f"{payload!r} cannot be packed: field {part!r}")
    if not payload.valid():
        raise ValueError(f"{payload!r} cannot be packed: its fields do not fit together")
    data = SEP.join((payload.prefix, *parts))
    if _size(data) > MAX_BYTES:
        raise ValueError(f"button data over {MAX_BYTES} bytes: {data!r}")
    return data


@cache
def _shape(kind: type[Payload]) -> tuple[tuple[str, bool, type[StrEnum] | None, bool], ...]:
    """Each field of a kind: its name, whether it is an int, its words (a `StrEnum`, or
    None for free text), whether it is required."""
    hints = get_type_hints(kind)
    shape = []
    for spec in fields(kind):  # type: ignore[arg-type]
        hint = hints[spec.name]
        words = hint if isinstance(hint, type) and issubclass(hint, StrEnum) else None
        shape.append((spec.name, hint is int, words, spec.default is MISSING))
    return tuple(shape)


@cache
def _values(words: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in words)


def parse(data: str) -> Payload | None:
    """The payload a button's data stands for, or None if it stands for none."""
    if not isinstance(data, str) or len(data) > MAX_BYTES or _size(data) > MAX_BYTES:
        return None
    prefix, sep, rest = data.partition(SEP)
    kind = _KINDS.get(prefix)
    if kind is None or not sep:
        return None
    return kind.from_parts(rest.split(SEP))


# -- language --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChooseLanguage(Payload, prefix="lang"):
    """`lang:ar`: a language of the language menu. Whatever follows "lang:" is the code,
    even empty or with a colon: the screen checks it and calls an unknown one stale."""

    code: str

    @classmethod
    def from_parts(cls, parts: list[str]) -> Self | None:
        return cls(SEP.join(parts))


@dataclass(frozen=True)
class Bilingual(Payload, prefix="bi"):
    """`bi:on` / `bi:off`: the Dutch copy under each message, or not."""

    on: bool

    def parts(self) -> tuple[str, ...]:
        return ("on" if self.on else "off",)

    @classmethod
    def from_parts(cls, parts: list[str]) -> Self | None:
        return cls(parts == ["on"]) if parts in (["on"], ["off"]) else None


# -- a question ------------------------------------------------------------------------


@dataclass(frozen=True)
class PickOption(Payload, prefix="a"):
    """`a:<question>:<option>`: the answer to a single choice or yes/no question."""

    question: str
    option: str


@dataclass(frozen=True)
class ToggleOption(Payload, prefix="t"):
    """`t:<question>:<option>`: tick or untick an option of a multiple choice."""

    question: str
    option: str


@dataclass(frozen=True)
class DoneChoosing(Payload, prefix="d"):
    """`d:<question>`: the ticked options of a multiple choice are the answer."""

    question: str


@dataclass(frozen=True)
class PickNumber(Payload, prefix="n"):
    """`n:<question>:<number>`: one of a number question's preset answers."""

    question: str
    number: int


@dataclass(frozen=True)
class SkipQuestion(Payload, prefix="s"):
    """`s:<question>`: "I'd rather discuss this in person"."""

    question: str


@dataclass(frozen=True)
class GoBack(Payload, prefix="b"):
    """`b:<question>`: back from this question to the one before."""

    question: str


# -- consent, review, menu -------------------------------------------------------------


class ConsentWord(StrEnum):
    YES = "yes"
    NO = "no"
    MORE = "more"
    AGAIN = "again"  # after saying no


@dataclass(frozen=True)
class ConsentChoice(Payload, prefix="c"):
    """`c:yes`, `c:no`, `c:more` on the consent screen; `c:again` after saying no."""

    answer: ConsentWord

    def valid(self) -> bool:
        return self.answer in _values(ConsentWord)


class ReviewVerb(StrEnum):
    SEND = "send"
    MORE = "more"
    CHANGE = "change"
    BACK = "back"
    SECTION = "sec"  # with a target: the section
    QUESTION = "q"  # with a target: the question


@dataclass(frozen=True)
class ReviewAction(Payload, prefix="r"):
    """The review: `r:send`, `r:more`, `r:change`, `r:back`, and the way to one answer,
    `r:sec:<section>` then `r:q:<question>`."""

    TARGETED: ClassVar[frozenset[str]] = frozenset({ReviewVerb.SECTION, ReviewVerb.QUESTION})
    action: ReviewVerb
    target: str = ""

    def valid(self) -> bool:
        return self.action in _values(ReviewVerb) and bool(self.target) == (
            self.action in self.TARGETED
        )


class MenuItem(StrEnum):
    ANSWERS = "answers"
    LANGUAGE = "language"
    HELP = "help"


@dataclass(frozen=True)
class MenuChoice(Payload, prefix="m"):
    """`m:answers`, `m:language`, `m:help`: the menu after the pre-intake."""

    item: MenuItem

    def valid(self) -> bool:
        return self.item in _values(MenuItem)


# -- information, appointments, erasing ------------------------------------------------


class RolesVerb(StrEnum):
    ROLES = "roles"
    TOPICS = "topics"
    BACK = "back"  # to where the person was
    TOPIC = "t"  # with a topic: its answer
    ASK = "ask"  # with a topic: tell the consulent


@dataclass(frozen=True)
class RolesAction(Payload, prefix="o"):
    """Who helps me with what: `o:roles`, `o:topics`, `o:back` (to where the person
    was), a topic's answer `o:t:<topic>` and `o:ask:<topic>` to tell the consulent."""

    TOPICAL: ClassVar[frozenset[str]] = frozenset({RolesVerb.TOPIC, RolesVerb.ASK})
    action: RolesVerb
    topic: str = ""

    def valid(self) -> bool:
        return self.action in _values(RolesVerb) and bool(self.topic) == (
            self.action in self.TOPICAL
        )


@dataclass(frozen=True)
class JourneyStep(Payload, prefix="j"):
    """My inburgering, step by step: `j:<step>` shows one step of the journey, `j:all`
    the whole timeline. Whether the step is one of the person's is for the screen."""

    ALL: ClassVar[str] = "all"  # the timeline; any other word is a step's code
    step: str


class AppointmentVerb(StrEnum):
    COMING = "y"
    CANNOT = "n"  # with a reason, or without one (then the reasons are asked)
    INTERPRETER = "i"
    WAY = "w"  # how to get there


@dataclass(frozen=True)
class AppointmentAnswer(Payload, prefix="p"):
    """A button of an invitation or reminder: `p:<id>:y` (coming), `p:<id>:n` (cannot
    come), `p:<id>:n:<reason>`, `p:<id>:i` (interpreter), `p:<id>:w` (the way there)."""

    appointment: int
    action: AppointmentVerb
    reason: str = ""

    def valid(self) -> bool:
        return self.action in _values(AppointmentVerb) and (
            not self.reason or self.action == AppointmentVerb.CANNOT
        )


@dataclass(frozen=True)
class ConfirmErase(Payload, prefix="x"):
    """`x:yes` / `x:no`: the answer to "erase everything?"."""

    sure: bool

    def parts(self) -> tuple[str, ...]:
        return ("yes" if self.sure else "no",)

    @classmethod
    def from_parts(cls, parts: list[str]) -> Self | None:
        return cls(parts == ["yes"]) if parts in (["yes"], ["no"]) else None
