"""The engine: a pure function from (state, event, now) to (state, answers, effects, replies).

It never sends, never reads the clock or a database, and never raises on what a person
sends: anything unexpected gets a kind answer and the current question again.

What happens is decided here, by one ordered routing table (`ROUTERS`, in the manner of
aiogram's `include_routers`); how each place looks and what its buttons do lives in
`flows.screens`, one module a screen. The tables below say which screen handles which
button, command and stage.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flows import callbacks as cb
from flows import texts as T
from flows.context import Context
from flows.effects import AnswerRecord, Effect
from flows.events import Event, EventKind, Notice
from flows.languages import DUTCH, LANGUAGES
from flows.model import Flow, Question
from flows.replies import Msg, Reply
from flows.screens import (
    appointments,
    consent,
    journey,
    language,
    menu,
    privacy,
    question,
    review,
    roles,
)
from flows.screens.turn import Turn, View
from flows.state import Overlay, Stage, State

__all__ = ["ROUTERS", "Context", "Engine", "Step", "dispatch"]

NOTICES = {
    Notice.INVITE_OK: T.INVITE_OK,
    Notice.INVITE_UNKNOWN: T.INVITE_UNKNOWN,
    Notice.INVITE_EXPIRED: T.INVITE_EXPIRED,
    Notice.CASE_CLOSED: T.CASE_CLOSED,
}
MEDIA_NOTES = {"voice": T.VOICE_UNSUPPORTED, "edited": T.EDITED}


@dataclass(frozen=True)
class Step:
    state: State
    answers: tuple[AnswerRecord, ...]
    effects: tuple[Effect, ...]
    replies: tuple[Reply, ...]


TextOf = Callable[[Msg, str], str]

# What each stage shows (`Turn.present`); the language menu is the overlay's view.
VIEWS: Mapping[Stage | Overlay, View] = {
    Overlay.LANGUAGE: language.ask_language,
    Stage.NEW: lambda turn: turn.resume(greet=False),
    Stage.NO_CASE: consent.show_no_case,
    Stage.CONSENT: consent.show_consent,
    Stage.DECLINED: consent.show_declined,
    Stage.QUESTION: question.show_question,
    Stage.REVIEW: review.show_review,
    Stage.CHANGE_SECTION: review.show_change_section,
    Stage.CHANGE_QUESTION: review.show_change_question,
    Stage.DONE: menu.show_done,
}

# The screen that handles a button, by the kind of its payload. A handler returns False
# when the button does not belong where the person is (a stale button).
PRESSES: Mapping[type[cb.Payload], Callable[[Turn, Any], bool]] = {
    cb.PickOption: question.on_option,
    cb.ToggleOption: question.on_toggle,
    cb.DoneChoosing: question.on_done,
    cb.PickNumber: question.on_number,
    cb.SkipQuestion: question.on_skip,
    cb.GoBack: question.on_back,
    cb.ConsentChoice: consent.on_consent,
    cb.ReviewAction: review.on_review,
    cb.MenuChoice: menu.on_menu,
}


# What each command shows (`/help` lists them from `flows.commands`).
COMMANDS: Mapping[str, View] = {
    "start": lambda turn: turn.resume(greet=True),
    "language": language.ask_language,
    "help": menu.show_help,
    "answers": review.show_answers,
    "mydata": privacy.show_my_data,
    "delete": privacy.confirm_erase,
    "person": privacy.request_person,
    "roles": roles.show_roles,
    "appointments": appointments.show_appointments,
    "route": journey.show_journey,
}


class Engine:
    def __init__(self, flow: Flow, context: Context, text_of: TextOf) -> None:
        """`text_of` renders a label in a language, to match typed answers to options."""
        self.flow = flow
        self.context = context
        self.text_of = text_of
        # (question id, language) → typed label → option code. Building it renders every
        # option in three languages; cached, as flow and catalogs are fixed for an engine.
        self._labels: dict[tuple[str, str], dict[str, str]] = {}
        # What screens build from the flow alone (how a question is asked), by a key of
        # their own: flow and catalogs are fixed for an engine, so it never goes stale.
        self.memo: dict[Hashable, Any] = {}
        # `flow.questions` builds a list on each call; these are read on every step.
        self.questions = tuple(flow.questions)
        self.conditional = tuple(q for q in self.questions if q.conditions)

    def labels(self, question: Question, lang: str) -> dict[str, str]:
        """What a person may type for each option: its text in `lang`, Dutch or English."""
        key = (question.id, lang)
        found = self._labels.get(key)
        if found is None:
            found = {
                self.text_of(Msg.of(o.text), code).casefold().strip(): o.code
                for o in question.options
                for code in {lang, DUTCH, "en"}
            }
            if lang in LANGUAGES and self.flow.question(question.id) is question:
                self._labels[key] = found  # bounded: questions × languages
        return found

    def step(self, state: State, event: Event, now: datetime) -> Step:
        turn = Turn(self, state.working_copy(), now, VIEWS)
        dispatch(turn, event)
        turn.flush()
        return Step(turn.state, tuple(turn.records), tuple(turn.effects), tuple(turn.replies))


def dispatch(turn: Turn, event: Event) -> None:
    """Decide what an event means where the person is, and hand it to its screen: the
    first route of `ROUTERS` whose guard holds takes it."""
    if event.kind is EventKind.START and event.notice in NOTICES:
        notice(turn, NOTICES[event.notice], event.lang_hint)
    pressed = event.kind is EventKind.CHOICE
    incoming = Incoming(event, cb.parse(event.data) if pressed else None)
    for router in ROUTERS:
        for route in router.routes:
            if route.guard(turn, incoming):
                route.handler(turn, incoming)
                return


def command(turn: Turn, name: str) -> None:
    handler = COMMANDS.get(name)
    if handler is None:
        turn.note(T.UNKNOWN_COMMAND)
        menu.show_help(turn)
        return
    handler(turn)


def press(turn: Turn, payload: cb.Payload | None) -> None:
    """A button of the intake, consent, review or menu; stale if it fits nowhere."""
    handler = PRESSES.get(type(payload)) if payload is not None else None
    if handler is None or not handler(turn, payload):
        turn.note(T.STALE_BUTTON)
        turn.present()


def notice(turn: Turn, msgid: str, hint: str | None) -> None:
    """Said before anything else; before a language is chosen, in all four."""
    if turn.pos.lang is not None:
        turn.note(msgid)
        return
    order = sorted(LANGUAGES, key=lambda code: code != hint)
    turn.reply(*(Msg(msgid, in_lang=code) for code in order), bilingual=False)


# -- the routing table -----------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """An event with its button's payload read (None for anything but a valid press)."""

    event: Event
    payload: cb.Payload | None


Guard = Callable[[Turn, Incoming], bool]
Handler = Callable[[Turn, Incoming], None]


@dataclass(frozen=True)
class Route:
    guard: Guard
    handler: Handler


@dataclass(frozen=True)
class Router:
    """A group of routes, tried in order; its name says what the group is for."""

    name: str
    routes: tuple[Route, ...]


def pressing(kind: type[cb.Payload]) -> Guard:
    return lambda turn, incoming: isinstance(incoming.payload, kind)


def of_kind(kind: EventKind) -> Guard:
    return lambda turn, incoming: incoming.event.kind is kind


def with_payload(handler: Callable[[Turn, Any], object]) -> Handler:
    """A screen's press handler, given the payload it handles."""

    def handle(turn: Turn, incoming: Incoming) -> None:
        handler(turn, incoming.payload)

    return handle


def closing(handler: Handler) -> Handler:
    """Any overlay (the language menu, "erase everything?") closes first."""

    def close_then(turn: Turn, incoming: Incoming) -> None:
        turn.pos.overlay = None
        handler(turn, incoming)

    return close_then


def _without_consent(turn: Turn, incoming: Incoming) -> bool:
    return not turn.may_ask() and incoming.event.kind in (EventKind.TEXT, EventKind.CHOICE)


def _confirming_erase(turn: Turn, incoming: Incoming) -> bool:
    return isinstance(incoming.payload, cb.ConfirmErase) and (
        turn.pos.overlay is Overlay.CONFIRM_DELETE
    )


def _typed_at_language_menu(turn: Turn, incoming: Incoming) -> bool:
    return turn.pos.overlay is Overlay.LANGUAGE and incoming.event.kind is EventKind.TEXT


def _media(turn: Turn, incoming: Incoming) -> None:
    turn.note(MEDIA_NOTES.get(incoming.event.media, T.MEDIA_UNSUPPORTED))
    turn.present()


# The order is the rule: the language comes before anything else; appointment buttons
# need no intake consent (the appointments are the municipality's own task); without
# current consent no answer is taken (the consent, or the case, may have gone away
# mid-intake, e.g. a new consent version: it is asked for again first); commands,
# media and the language menu come before presses; information (who helps with what,
# the journey) leaves any overlay open; other presses go by payload kind (`PRESSES`);
# whatever is left is typed text.
ROUTERS: tuple[Router, ...] = (
    Router(
        "anywhere",
        (
            Route(pressing(cb.ChooseLanguage), with_payload(language.on_language)),
            Route(pressing(cb.Bilingual), with_payload(language.on_bilingual)),
            Route(
                lambda turn, incoming: turn.pos.lang is None,
                lambda turn, incoming: language.ask_language(turn, incoming.event.lang_hint),
            ),
            Route(pressing(cb.AppointmentAnswer), with_payload(appointments.on_appointment)),
        ),
    ),
    Router(
        "the consent gate",
        (Route(_without_consent, closing(lambda turn, incoming: turn.resume(greet=False))),),
    ),
    Router(
        "commands",
        (
            Route(
                of_kind(EventKind.START),
                closing(lambda turn, incoming: turn.resume(greet=True)),
            ),
            Route(
                of_kind(EventKind.COMMAND),
                closing(lambda turn, incoming: command(turn, incoming.event.command)),
            ),
            Route(of_kind(EventKind.UNSUPPORTED), _media),
            Route(_typed_at_language_menu, lambda turn, incoming: language.typed_instead(turn)),
        ),
    ),
    Router(
        "presses",
        (
            Route(pressing(cb.RolesAction), with_payload(roles.on_roles)),
            Route(pressing(cb.JourneyStep), with_payload(journey.on_journey)),
            Route(_confirming_erase, closing(with_payload(privacy.on_erase))),
            Route(
                of_kind(EventKind.CHOICE),
                closing(lambda turn, incoming: press(turn, incoming.payload)),
            ),
        ),
    ),
    Router(
        "texts",
        (
            Route(
                lambda turn, incoming: True,
                lambda turn, incoming: question.on_text(turn, incoming.event.text),
            ),
        ),
    ),
)
