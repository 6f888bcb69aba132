"""The engine: a pure function from (state, event, now) to (state, answers, effects, replies).

It never sends, never reads the clock or a database, and never raises on what a person
sends: anything unexpected gets a kind answer and the current question again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flows import appointments as A
from flows import roles
from flows import texts as T
from flows.commands import COMMANDS
from flows.effects import (
    AnswerRecord,
    AppointmentResponse,
    Consent,
    Effect,
    Erase,
    RequestPerson,
    SendMyData,
    SetLanguage,
    Submitted,
)
from flows.events import Event, EventKind, Notice
from flows.languages import DUTCH, LANGUAGES
from flows.model import Flow, Kind, Question
from flows.replies import Button, Join, Msg, Param, Reply
from flows.roles import RoleCard
from flows.state import AnswerValue, Overlay, Position, Stage, State
from flows.summary import SKIPPED, answer_msg, raised_flags, section_lines

HISTORY_LIMIT = 100
NOTICES = {
    Notice.INVITE_OK: T.INVITE_OK,
    Notice.INVITE_UNKNOWN: T.INVITE_UNKNOWN,
    Notice.INVITE_USED: T.INVITE_USED,
    Notice.INVITE_EXPIRED: T.INVITE_EXPIRED,
}
MEDIA_NOTES = {"voice": T.VOICE_UNSUPPORTED, "edited": T.EDITED}
# Zero-width joiners stay: Persian and emoji need them. Other invisible characters go.
_KEEP_FORMAT = {"\u200c", "\u200d"}


@dataclass(frozen=True)
class Context:
    """Facts of the deployment the conversation speaks about."""

    municipality: str
    consent_version: str = "1"
    retention_months: int = 12
    roles: Mapping[str, RoleCard] = field(default_factory=dict)  # role code → local card
    topics: Mapping[str, str] = field(default_factory=dict)  # topic code → role code
    appointments: A.AppointmentContext = field(default_factory=A.AppointmentContext)


@dataclass(frozen=True)
class Step:
    state: State
    answers: tuple[AnswerRecord, ...]
    effects: tuple[Effect, ...]
    replies: tuple[Reply, ...]


TextOf = Callable[[Msg, str], str]


class Engine:
    def __init__(self, flow: Flow, context: Context, text_of: TextOf) -> None:
        """`text_of` renders a label in a language, to match typed answers to options."""
        self.flow = flow
        self.context = context
        self.text_of = text_of
        # (question id, language) → typed label → option code. Building it renders every
        # option in three languages; cached, as flow and catalogs are fixed for an engine.
        self._labels: dict[tuple[str, str], dict[str, str]] = {}
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
        turn = _Turn(self, state.working_copy(), now)
        turn.handle(event)
        return Step(turn.state, tuple(turn.records), tuple(turn.effects), tuple(turn.replies))


@dataclass
class _Turn:
    """The working copy of one step: collects answers, effects and replies."""

    engine: Engine
    state: State
    now: datetime
    records: list[AnswerRecord] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    _notes: list[Msg] = field(default_factory=list)  # said before the next reply

    # -- plumbing ---------------------------------------------------------------------

    @property
    def flow(self) -> Flow:
        return self.engine.flow

    @property
    def pos(self) -> Position:
        return self.state.position

    def note(self, msgid: str, **params: Param) -> None:
        self._notes.append(Msg.of(msgid, **params))

    def reply(
        self, *parts: Msg, buttons: list[list[Button]] | None = None, bilingual: bool = True
    ) -> None:
        notes, self._notes = self._notes, []
        self.replies.append(
            Reply(tuple(notes) + parts, tuple(tuple(row) for row in buttons or []), bilingual)
        )

    def flush(self) -> None:
        if self._notes:
            self.reply()

    # -- dispatch ---------------------------------------------------------------------

    def handle(self, event: Event) -> None:
        data = event.data if event.kind is EventKind.CHOICE else ""
        if event.kind is EventKind.START and event.notice in NOTICES:
            self.notice(NOTICES[event.notice], event.lang_hint)
        if data.startswith("lang:"):
            self.choose_language(data.removeprefix("lang:"))
        elif data in ("bi:on", "bi:off"):
            self.set_bilingual(data == "bi:on")
        elif self.pos.lang is None:
            self.ask_language(event.lang_hint)
        elif event.kind is EventKind.CHOICE and data.startswith("p:"):
            # Appointment buttons work from anywhere and need no intake consent: the
            # appointments are the municipality's own task.
            self.on_appointment(data.removeprefix("p:"))
        elif not self.may_ask() and event.kind in (EventKind.TEXT, EventKind.CHOICE):
            # The consent (or the case) went away while the person was mid-intake, e.g.
            # a new consent version: ask for it again before taking any answer.
            self.pos.overlay = None
            self.resume(greet=False)
        elif event.kind is EventKind.START:
            self.pos.overlay = None
            self.resume(greet=True)
        elif event.kind is EventKind.COMMAND:
            self.pos.overlay = None
            self.command(event.command)
        elif event.kind is EventKind.UNSUPPORTED:
            self.note(MEDIA_NOTES.get(event.media, T.MEDIA_UNSUPPORTED))
            self.present()
        elif self.pos.overlay is Overlay.LANGUAGE and event.kind is EventKind.TEXT:
            self.note(T.CHOOSE_LANGUAGE_BUTTON)
            self.ask_language(None)
        elif event.kind is EventKind.CHOICE and data.startswith("o:"):
            self.on_roles(data.removeprefix("o:"))
        elif event.kind is EventKind.CHOICE:
            confirming = self.pos.overlay is Overlay.CONFIRM_DELETE
            self.pos.overlay = None
            if data.startswith("x:") and confirming:
                self.on_erase(data == "x:yes")
            else:
                self.choice(data)
        else:
            self.text(event.text)
        self.flush()

    def command(self, name: str) -> None:
        if name == "start":
            self.resume(greet=True)
        elif name == "language":
            self.ask_language(None)
        elif name == "help":
            self.help()
            self.present()
        elif name == "answers":
            self.show_answers()
        elif name == "mydata":
            self.show_my_data()
        elif name == "delete":
            self.pos.overlay = Overlay.CONFIRM_DELETE
            self.reply(
                Msg.of(T.DELETE_CONFIRM),
                buttons=[
                    [Button(Msg.of(T.DELETE_YES), "x:yes")],
                    [Button(Msg.of(T.DELETE_NO), "x:no")],
                ],
            )
        elif name == "person":
            self.request_person()
        elif name == "roles":
            self.show_roles()
        elif name == "appointments":
            self.show_appointments()
        else:
            self.note(T.UNKNOWN_COMMAND)
            self.help()
            self.present()

    def choice(self, data: str) -> None:
        kind, _, rest = data.partition(":")
        handlers: dict[str, Callable[[str], bool]] = {
            "a": self.on_option,
            "t": self.on_toggle,
            "d": self.on_done,
            "n": self.on_preset,
            "s": self.on_skip,
            "b": self.on_back,
            "c": self.on_consent,
            "r": self.on_review,
            "m": self.on_menu,
        }
        handler = handlers.get(kind)
        if handler is None or not handler(rest):
            self.note(T.STALE_BUTTON)
            self.present()

    def notice(self, msgid: str, hint: str | None) -> None:
        """Said before anything else; before a language is chosen, in all four."""
        if self.pos.lang is not None:
            self.note(msgid)
            return
        order = sorted(LANGUAGES, key=lambda code: code != hint)
        self.reply(*(Msg(msgid, in_lang=code) for code in order), bilingual=False)

    # -- the person's data ------------------------------------------------------------

    def on_erase(self, sure: bool) -> None:
        if not sure:
            self.note(T.NOT_DELETED)
            self.present()
            return
        self.effects.append(Erase(self.now))
        # Nothing of the person survives this step; the reply needs only the language.
        lang, bilingual = self.pos.lang, self.pos.bilingual
        self.state = State()
        self.state.position.lang, self.state.position.bilingual = lang, bilingual
        self.reply(Msg.of(T.DELETED))

    def show_my_data(self) -> None:
        lang = LANGUAGES[self.pos.lang or "en"].own_name
        parts = [Msg.of(T.MYDATA_INTRO), Msg.of(T.MYDATA_LANGUAGE, language=lang)]
        if self.state.case.has_case:
            parts.append(Msg.of(T.MYDATA_FILE_MORE))  # not shown in the chat, but stored
        self.reply(*parts)
        if not self.state.case.has_case:
            self.reply(Msg.of(T.MYDATA_NO_CASE))
        elif self.consent_current():
            self.reply(Msg.of(T.MYDATA_CONSENT))
            self.review_sections()
        self.effects.append(SendMyData())
        self.present()

    def request_person(self, topic: str | None = None) -> None:
        if not self.state.case.has_case:
            self.note(T.PERSON_NO_CASE)
        elif topic is None:
            self.effects.append(RequestPerson(self.now))
            self.note(T.PERSON_REQUESTED)
        else:
            self.effects.append(RequestPerson(self.now, topic))
            self.note(roles.TOLD, topic=Msg.of(roles.TOPIC_LABELS[topic]))
        self.present()

    # -- who helps me with what -------------------------------------------------------

    def show_roles(self) -> None:
        """Information only, at any moment: no stage changes, so "Back to where I was"
        simply shows the current question (or screen) again."""
        ctx = self.engine.context
        if not all(code in ctx.roles for code in roles.ROLE_TEXTS):
            self.note(T.UNKNOWN_COMMAND)  # a deployment without roles: not offered
            self.present()
            return
        self.replies.append(roles.explainer(ctx.roles))

    def on_roles(self, rest: str) -> bool:
        ctx = self.engine.context
        if rest == "roles":
            self.show_roles()
        elif rest == "topics" and ctx.topics:
            self.replies.append(roles.topics_menu())
        elif rest.startswith("t:") and rest[2:] in ctx.topics and rest[2:] in roles.TOPIC_LABELS:
            self.replies.append(roles.topic_answer(rest[2:], ctx.roles, ctx.topics))
        elif rest.startswith("ask:") and rest[4:] in roles.TOPIC_LABELS:
            self.request_person(rest[4:])
        elif rest == "back":
            self.present()
        else:
            self.note(T.STALE_BUTTON)
            self.present()
        return True

    # -- appointments -------------------------------------------------------------------

    def show_appointments(self) -> None:
        listed = sorted(self.state.appointments.values(), key=lambda a: (a.starts_at, a.id))
        self.flush()
        self.replies.extend(A.overview(listed, self.engine.context.appointments))

    def on_appointment(self, rest: str) -> None:
        """A button of an invitation, a reminder or `/appointments`: the answer goes to
        the consulent (an effect); the reply says so and offers what is still open."""
        ident, _, action = rest.partition(":")
        facts = self.state.appointments.get(int(ident)) if ident.isdigit() else None
        if facts is None or not facts.active:
            self.note(A.NO_LONGER)
            self.present()
            return
        ctx = self.engine.context.appointments
        back = (Button(Msg.of(roles.BACK_TO_WHERE), "o:back"),)
        if action == "y":
            facts = self.respond(facts, response="coming")
            self.reply(Msg.of(A.THANKS_COMING), buttons=self.rows(facts, back))
        elif action == "n":
            facts = self.respond(facts, response="cannot_come")
            self.reply(Msg.of(A.WHY_NOT), buttons=[list(r) for r in A.reason_buttons(facts)])
        elif action.startswith("n:") and action[2:] in A.REASON_CODES:
            facts = self.respond(facts, response="cannot_come", reason=action[2:])
            self.reply(A.thanks_cannot(facts, ctx), buttons=self.rows(facts, back))
        elif action == "i":
            facts = self.respond(facts, interpreter=True)
            self.reply(Msg.of(A.THANKS_INTERPRETER), buttons=self.rows(facts, back))
        elif action == "w":
            self.reply(*A.route(facts), buttons=self.rows(facts, back))
        else:
            self.note(T.STALE_BUTTON)
            self.present()

    def respond(
        self,
        facts: A.AppointmentFacts,
        *,
        response: str | None = None,
        reason: str | None = None,
        interpreter: bool = False,
    ) -> A.AppointmentFacts:
        self.effects.append(AppointmentResponse(facts.id, self.now, response, reason, interpreter))
        changes: dict[str, object] = {}
        if response is not None:
            changes["response"] = response
        if interpreter:
            changes["interpreter_requested"] = True
        updated = facts.model_copy(update=changes)
        self.state.appointments[facts.id] = updated
        return updated

    @staticmethod
    def rows(facts: A.AppointmentFacts, *extra: tuple[Button, ...]) -> list[list[Button]]:
        return [list(row) for row in (*A.response_buttons(facts), *extra)]

    # -- language ---------------------------------------------------------------------

    def ask_language(self, hint: str | None) -> None:
        self.pos.overlay = Overlay.LANGUAGE
        order = list(LANGUAGES)
        if hint in LANGUAGES:
            order.remove(hint)
            order.insert(0, hint)
        parts = tuple(Msg(T.CHOOSE_LANGUAGE, in_lang=code) for code in order)
        buttons = [[Button(Msg.lit(LANGUAGES[code].own_name), f"lang:{code}")] for code in order]
        if self.pos.lang is not None and self.pos.lang != DUTCH:
            if self.pos.bilingual:
                buttons.append([Button(Msg.of(T.BILINGUAL_OFF_BUTTON), "bi:off")])
            else:
                buttons.append([Button(Msg.of(T.BILINGUAL_ON_BUTTON), "bi:on")])
        self.reply(*parts, buttons=buttons, bilingual=False)

    def choose_language(self, code: str) -> None:
        if code not in LANGUAGES:
            self.note(T.STALE_BUTTON)
            self.ask_language(None) if self.pos.lang is None else self.present()
            return
        first_time = self.pos.lang is None
        self.pos.lang = code
        self.pos.overlay = None
        self.effects.append(SetLanguage(code))
        if code != DUTCH and self.pos.bilingual:
            self.note(T.BILINGUAL_EXPLAINED)
        self.resume(greet=False) if first_time or self.pos.stage is Stage.NEW else self.present()

    def set_bilingual(self, on: bool) -> None:
        self.pos.bilingual = on
        self.pos.overlay = None
        if self.pos.lang is None:
            self.ask_language(None)
            return
        self.note(T.BILINGUAL_ON if on else T.BILINGUAL_OFF)
        self.present()

    # -- where are we -----------------------------------------------------------------

    def may_ask(self) -> bool:
        """Questions and the review only exist for a case with current consent."""
        asking = (Stage.QUESTION, Stage.REVIEW, Stage.CHANGE_SECTION, Stage.CHANGE_QUESTION)
        if self.pos.stage not in asking:
            return True
        return self.state.case.has_case and self.consent_current()

    def consent_current(self) -> bool:
        return self.state.case.consent_version == self.engine.context.consent_version

    def first_open(self) -> Question | None:
        answers = self.state.answers
        return next(
            (q for q in self.engine.questions if q.id not in answers and q.applies(answers)), None
        )

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
            self.show_review()

    def move_to(self, question: Question, *, remember: bool = True) -> None:
        previous = self.pos.question if self.pos.stage is Stage.QUESTION else None
        if remember and previous and previous != question.id:
            self.pos.history = [*self.pos.history, previous][-HISTORY_LIMIT:]
            if self.flow.part_of(previous) < self.flow.part_of(question.id):
                self.note(T.PART_SAVED, part=self.flow.part_of(previous))
        self.pos.stage = Stage.QUESTION
        self.pos.question = question.id
        current = self.state.answers.get(question.id)
        self.pos.selection = list(current.codes) if question.kind is Kind.MULTI and current else []
        self.ask(question)

    def present(self) -> None:
        """Show the current stage again (after help, a wrong input, a stale button)."""
        if self.pos.lang is None:
            self.ask_language(None)
            return
        if not self.may_ask():
            self.resume(greet=False)  # consent first: never show a question without it
            return
        views: dict[Stage, Callable[[], None]] = {
            Stage.NEW: lambda: self.resume(greet=False),
            Stage.NO_CASE: self.show_no_case,
            Stage.CONSENT: self.show_consent,
            Stage.DECLINED: self.show_declined,
            Stage.QUESTION: self.show_question,
            Stage.REVIEW: self.show_review,
            Stage.CHANGE_SECTION: self.show_change_section,
            Stage.CHANGE_QUESTION: self.show_change_question,
            Stage.DONE: self.show_done,
        }
        views[self.pos.stage]()

    def show_question(self) -> None:
        question = self.current_question()
        if question is None:
            self.go_next()  # its answer changed what applies: move on
        else:
            self.ask(question)

    def current_question(self) -> Question | None:
        question = self.flow.question(self.pos.question or "")
        if question is None or not question.applies(self.state.answers):
            return None
        return question

    # -- asking -----------------------------------------------------------------------

    def ask(self, question: Question) -> None:
        flow = self.flow
        section = flow.section_of(question.id)
        parts = [
            Msg.of(
                T.PART_OF_TOTAL,
                part=flow.part_of(question.id),
                total=flow.total_parts,
                title=Msg.of(section.title),
            )
        ]
        if section.intro and question is section.questions[0]:
            parts.append(Msg.of(section.intro))
        parts.append(Msg.of(question.prompt))
        if question.hint:
            parts.append(Msg.of(question.hint))
        current = self.state.answers.get(question.id)
        if current is not None:
            parts.append(Msg.of(T.CURRENT_ANSWER, answer=answer_msg(question, current)))
        buttons: list[list[Button]] = []
        qid = question.id
        if question.kind is Kind.MULTI:
            parts.append(Msg.of(T.MULTI_HOW))
            chosen = set(self.pos.selection)
            buttons += [
                [Button(Msg.of(o.text), f"t:{qid}:{o.code}", "✅ " if o.code in chosen else "")]
                for o in question.options
            ]
            buttons.append([Button(Msg.of(T.DONE), f"d:{qid}")])
        elif question.has_options:
            buttons += [[Button(Msg.of(o.text), f"a:{qid}:{o.code}")] for o in question.options]
        elif question.kind is Kind.NUMBER:
            parts.append(Msg.of(T.TYPE_NUMBER))
            if question.presets:
                buttons.append(
                    [Button(Msg.lit("{n}", n=n), f"n:{qid}:{n}") for n in question.presets]
                )
        else:
            parts.append(Msg.of(T.TYPE_TEXT))
        buttons.append([Button(Msg.of(SKIPPED), f"s:{qid}")])
        first = question is self.engine.questions[0]
        if self.pos.history or self.pos.return_to_review or not first:
            buttons.append([Button(Msg.of(T.BACK), f"b:{qid}")])
        self.reply(*parts, buttons=buttons)

    def at(self, rest: str, kinds: tuple[Kind, ...] | None = None) -> tuple[Question, str] | None:
        """The current question if a button's question id matches it, with the rest."""
        qid, _, value = rest.partition(":")
        if self.pos.stage is not Stage.QUESTION or qid != self.pos.question:
            return None
        question = self.current_question()
        if question is None or (kinds is not None and question.kind not in kinds):
            return None
        return question, value

    def on_option(self, rest: str) -> bool:
        found = self.at(rest, (Kind.CHOICE, Kind.YESNO))
        if found is None or found[0].option(found[1]) is None:
            return False
        self.answer(found[0], AnswerValue(codes=(found[1],)))
        return True

    def on_toggle(self, rest: str) -> bool:
        found = self.at(rest, (Kind.MULTI,))
        if found is None:
            return False
        question, code = found
        option = question.option(code)
        if option is None:
            return False
        chosen = list(self.pos.selection)
        if code in chosen:
            chosen.remove(code)
        elif option.exclusive:
            chosen = [code]
        else:
            exclusive = {o.code for o in question.options if o.exclusive}
            chosen = [c for c in chosen if c not in exclusive] + [code]
        self.pos.selection = chosen
        self.ask(question)
        return True

    def on_done(self, rest: str) -> bool:
        found = self.at(rest, (Kind.MULTI,))
        if found is None:
            return False
        question = found[0]
        if not self.pos.selection:
            self.note(T.MULTI_EMPTY)
            self.ask(question)
            return True
        order = [o.code for o in question.options]
        codes = tuple(sorted(set(self.pos.selection), key=order.index))
        self.answer(question, AnswerValue(codes=codes))
        return True

    def on_preset(self, rest: str) -> bool:
        found = self.at(rest, (Kind.NUMBER,))
        # Button data is exactly what `ask` wrote: plain ASCII digits, nothing else.
        value = found[1] if found is not None else ""
        number = int(value) if value.isascii() and value.isdigit() else None
        if found is None or number is None or number not in found[0].presets:
            return False
        self.answer(found[0], AnswerValue(number=number))
        return True

    def on_skip(self, rest: str) -> bool:
        found = self.at(rest + ":")
        if found is None:
            return False
        self.answer(found[0], AnswerValue(skipped=True))
        return True

    def on_back(self, rest: str) -> bool:
        found = self.at(rest + ":")
        if found is None:
            return False
        history = self.pos.history
        while history:
            previous = self.flow.question(history.pop())
            if previous is not None and previous.applies(self.state.answers):
                self.move_to(previous, remember=False)
                return True
        if self.pos.return_to_review:
            self.show_review()
            return True
        # No history (another chat of the same case): the question before, in flow order.
        questions = self.flow.questions
        earlier = questions[: questions.index(found[0])]
        previous = next((q for q in reversed(earlier) if q.applies(self.state.answers)), None)
        if previous is None:
            self.note(T.FIRST_QUESTION)
            self.ask(found[0])
        else:
            self.move_to(previous, remember=False)
        return True

    # -- typed answers ----------------------------------------------------------------

    def text(self, raw: str) -> None:
        cleaned = clean_text(raw)
        question = self.current_question() if self.pos.stage is Stage.QUESTION else None
        if question is None:
            if not cleaned:
                self.note(T.NO_TEXT)
            elif self.pos.stage not in (Stage.NO_CASE, Stage.DECLINED, Stage.DONE):
                self.note(T.USE_BUTTONS)
            self.present()
            return
        if not cleaned:
            self.note(T.NO_TEXT_ANSWER)
            self.ask(question)
            return
        value = self.parse(question, cleaned)
        if value is None:
            self.ask(question)
        else:
            self.answer(question, value)

    def parse(self, question: Question, text: str) -> AnswerValue | None:
        """A typed answer, or None after noting a kind explanation."""
        if question.kind is Kind.TEXT:
            if len(text) > question.max_length:
                self.note(
                    T.TEXT_TOO_LONG,
                    length=len(text),
                    limit=question.max_length,
                )
                return None
            return AnswerValue(text=text)
        if question.kind is Kind.NUMBER:
            number = parse_number(text)
            if number is None or not question.minimum <= number <= question.maximum:
                self.note(
                    T.NUMBER_RANGE,
                    low=question.minimum,
                    high=question.maximum,
                )
                return None
            return AnswerValue(number=number)
        codes = self.match_options(question, text)
        if not codes or (question.kind is not Kind.MULTI and len(codes) != 1):
            self.note(T.CHOOSE_BUTTON)
            return None
        exclusive = [c for c in codes if question.option(c).exclusive]  # type: ignore[union-attr]
        if exclusive and len(codes) > 1:
            self.note(T.EXCLUSIVE_OPTION, option=Msg.of(question.option(exclusive[0]).text))  # type: ignore[union-attr]
            return None
        return AnswerValue(codes=codes)

    def match_options(self, question: Question, text: str) -> tuple[str, ...]:
        """Numbers ("2", "1, 3", "1 3") or option texts in the person's language, Dutch or
        English, separated by commas. An option text may itself hold numbers ("4 to 12")."""
        by_label = self.engine.labels(question, self.pos.lang or "en")
        codes: list[str] = []
        for piece in (p.strip() for p in re.split(r"[,،;\n]+", text)):
            if not piece:
                continue
            label = by_label.get(piece.casefold())
            numbers = [parse_number(token) for token in piece.split()]
            if label is not None:
                found = [label]
            elif all(n is not None and 1 <= n <= len(question.options) for n in numbers):
                found = [question.options[n - 1].code for n in numbers if n is not None]
            else:
                return ()
            codes += [code for code in found if code not in codes]
        order = [o.code for o in question.options]
        return tuple(sorted(codes, key=order.index))

    # -- saving -----------------------------------------------------------------------

    def answer(self, question: Question, value: AnswerValue) -> None:
        answers = self.state.answers
        answers[question.id] = value
        self.records.append(AnswerRecord(question.id, value, self.now))
        self.pos.selection = []
        # A changed answer can make follow-ups pointless (no children → no childcare):
        # retract those, repeating because conditions can chain. (Only a question with
        # conditions can stop applying.)
        changed = True
        while changed:
            changed = False
            for other in self.engine.conditional:
                if other.id in answers and not other.applies(answers):
                    del answers[other.id]
                    self.records.append(AnswerRecord(other.id, None, self.now))
                    changed = True
        self.go_next()

    # -- consent ----------------------------------------------------------------------

    def show_consent(self) -> None:
        ctx = self.engine.context
        parts = [
            Msg.of(
                T.PART_OF_TOTAL, part=1, total=self.flow.total_parts, title=Msg.of(T.WELCOME_TITLE)
            )
        ]
        if self.state.case.consent_version is not None:
            parts.append(Msg.of(T.CONSENT_CHANGED))
        parts += [
            Msg.of(T.CONSENT_WHAT, municipality=ctx.municipality),
            Msg.of(T.CONSENT_NOT_A_TEST),
            Msg.count(
                T.CONSENT_WHO,
                ctx.retention_months,
                municipality=ctx.municipality,
            ),
            Msg.of(T.CONSENT_RIGHTS),
            Msg.of(T.CONSENT_QUESTION),
        ]
        self.reply(
            *parts,
            buttons=[
                [Button(Msg.of(T.CONSENT_YES), "c:yes")],
                [Button(Msg.of(T.CONSENT_NO), "c:no")],
                [Button(Msg.of(T.CONSENT_MORE), "c:more")],
            ],
        )

    def on_consent(self, rest: str) -> bool:
        stage = self.pos.stage
        if rest == "again" and stage is Stage.DECLINED:
            self.pos.stage = Stage.CONSENT
            self.show_consent()
            return True
        if stage is not Stage.CONSENT or rest not in ("yes", "no", "more"):
            return False
        version = self.engine.context.consent_version
        if rest == "more":
            self.reply(
                Msg.of(T.MORE_MINIMUM),
                Msg.of(T.MORE_SENSITIVE),
                Msg.of(T.MORE_NOT_SHARED),
            )
            self.show_consent()
        elif rest == "yes":
            self.effects.append(Consent(version, True, self.now))
            self.state.case.consent_version = version
            self.note(T.CONSENT_THANKS)
            self.resume(greet=False)
        else:
            self.effects.append(Consent(version, False, self.now))
            self.state.case.consent_version = None
            self.pos.stage = Stage.DECLINED
            self.show_declined()
        return True

    def show_declined(self) -> None:
        self.reply(
            Msg.of(T.DECLINED),
            Msg.of(T.DECLINED_STILL),
            buttons=[[Button(Msg.of(T.CONSENT_AGAIN), "c:again")]],
        )

    def show_no_case(self) -> None:
        self.reply(
            Msg.of(T.NO_CASE_WELCOME),
            Msg.of(T.NO_CASE_HOW),
            buttons=self.menu_buttons(answers=False),
        )

    # -- review -----------------------------------------------------------------------

    def show_answers(self) -> None:
        if not self.state.case.has_case or not self.consent_current():
            self.note(T.NO_ANSWERS_STORED)
            self.present()
            return
        self.show_review()

    def show_review(self) -> None:
        self.pos.stage = Stage.REVIEW
        self.reply(Msg.of(T.REVIEW_HEADING), Msg.of(T.REVIEW_INTRO), bilingual=False)
        self.review_sections()
        if self.first_open() is not None:
            self.reply(
                *self.consulent_notes(),
                Msg.of(T.REVIEW_OPEN),
                buttons=[
                    [Button(Msg.of(T.REVIEW_CONTINUE), "r:more")],
                    [Button(Msg.of(T.CHANGE_AN_ANSWER), "r:change")],
                ],
            )
            return
        self.reply(
            *self.consulent_notes(),
            Msg.of(T.REVIEW_CONFIRM, municipality=self.engine.context.municipality),
            buttons=[
                [Button(Msg.of(T.SEND), "r:send")],
                [Button(Msg.of(T.CHANGE_AN_ANSWER), "r:change")],
            ],
        )

    def consulent_notes(self) -> list[Msg]:
        """Besides the answers, the consulent sees the notes made from them (flags such
        as "Interpreter needed"): shown here too, so the review is exactly what goes to
        the consulent, with the reminder that health and money are only flags and wishes."""
        flags = raised_flags(self.flow, self.state.answers)
        parts = [Msg.of(T.REVIEW_SENSITIVE), Msg.of(T.REVIEW_HISTORY)]
        if flags:
            lines = tuple(Msg.lit("• {flag}", flag=Msg.of(flag.label)) for flag in flags)
            parts = [Msg.of(T.REVIEW_FLAGS), Msg.lit("{flags}", flags=Join(lines, "\n")), *parts]
        return parts

    def review_sections(self) -> None:
        """All answers in one message, a paragraph per part: one screen to read, and one
        message instead of nine (Telegram paces messages to a chat at about one a second)."""
        parts: list[Msg] = []
        for part, section in enumerate(self.flow.sections, start=2):
            lines = section_lines(section, self.state.answers)
            if lines:
                header = Msg.of(T.PART_TITLE, part=part, title=Msg.of(section.title))
                parts += [header, Msg.lit("{lines}", lines=Join(tuple(lines), "\n"))]
        if parts:
            self.reply(*parts, bilingual=False)

    def show_change_section(self) -> None:
        self.pos.stage = Stage.CHANGE_SECTION
        buttons = [
            [Button(Msg.of(T.PART_TITLE, part=part, title=Msg.of(s.title)), f"r:sec:{s.id}")]
            for part, s in enumerate(self.flow.sections, start=2)
            if any(q.applies(self.state.answers) for q in s.questions)
        ]
        buttons.append([Button(Msg.of(T.BACK_TO_OVERVIEW), "r:back")])
        self.reply(Msg.of(T.WHICH_PART), buttons=buttons)

    def show_change_question(self) -> None:
        section = self.flow.section(self.pos.change_section or "")
        if section is None:
            self.show_change_section()
            return
        self.pos.stage = Stage.CHANGE_QUESTION
        buttons = [
            [Button(Msg.of(q.label), f"r:q:{q.id}")]
            for q in section.questions
            if q.applies(self.state.answers)
        ]
        buttons.append([Button(Msg.of(T.BACK), "r:change")])
        self.reply(Msg.of(T.WHICH_ANSWER), buttons=buttons)

    def on_review(self, rest: str) -> bool:
        stage = self.pos.stage
        reviewing = (Stage.REVIEW, Stage.CHANGE_SECTION, Stage.CHANGE_QUESTION)
        if stage not in reviewing:
            return False
        if rest == "change":
            self.show_change_section()
        elif rest == "back":
            self.show_review()
        elif rest == "more" and stage is Stage.REVIEW:
            self.pos.return_to_review = False
            self.go_next()
        elif rest == "send" and stage is Stage.REVIEW and self.first_open() is None:
            self.effects.append(Submitted(self.now))
            self.state.case.submitted = True
            self.pos.return_to_review = False
            self.pos.stage = Stage.DONE
            self.reply(
                Msg.of(T.SENT, municipality=self.engine.context.municipality),
                Msg.of(T.SENT_NOTHING_DECIDED),
            )
            self.show_done()
        elif rest.startswith("sec:") and stage is Stage.CHANGE_SECTION:
            if self.flow.section(rest.removeprefix("sec:")) is None:
                return False
            self.pos.change_section = rest.removeprefix("sec:")
            self.show_change_question()
        elif rest.startswith("q:") and stage is Stage.CHANGE_QUESTION:
            question = self.flow.question(rest.removeprefix("q:"))
            section = self.flow.section(self.pos.change_section or "")
            if question is None or section is None or question not in section.questions:
                return False
            if not question.applies(self.state.answers):
                return False
            self.pos.return_to_review = True
            self.pos.history.clear()
            self.move_to(question, remember=False)
        else:
            return False
        return True

    # -- done and menu ----------------------------------------------------------------

    def show_done(self) -> None:
        self.pos.stage = Stage.DONE
        self.reply(
            Msg.of(T.DONE_MENU),
            buttons=self.menu_buttons(answers=True),
        )

    def menu_buttons(self, *, answers: bool) -> list[list[Button]]:
        rows = [[Button(Msg.of(T.MENU_ANSWERS), "m:answers")]] if answers else []
        if self.engine.context.topics:
            rows.append([Button(Msg.of(T.MENU_ROLES), "o:roles")])
        rows += [
            [Button(Msg.of(T.MENU_LANGUAGE), "m:language")],
            [Button(Msg.of(T.MENU_HELP), "m:help")],
        ]
        return rows

    def on_menu(self, rest: str) -> bool:
        if rest == "answers":
            self.show_answers()
        elif rest == "language":
            self.ask_language(None)
        elif rest == "help":
            self.help()
            self.present()
        else:
            return False
        return True

    def help(self) -> None:
        lines = tuple(
            Msg.lit("/{command} – {description}", command=name, description=Msg.of(description))
            for name, description in COMMANDS
        )
        self.reply(
            Msg.of(T.HELP),
            Msg.lit("{lines}", lines=Join(lines, "\n")),
        )


def clean_text(raw: str) -> str:
    """Drop control and invisible characters; keep newlines and joiners (Persian, emoji)."""
    kept = []
    for char in raw:
        category = unicodedata.category(char)
        if char == "\n" or (category not in ("Cc", "Cf", "Co", "Cs") or char in _KEEP_FORMAT):
            kept.append(char)
    text = "".join(kept)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not any(char not in _KEEP_FORMAT and not char.isspace() for char in text):
        return ""  # joiners alone are not an answer
    return text.strip()


def parse_number(text: str) -> int | None:
    """Digits of any script ('١٢', '۱۲', '12') as a whole number."""
    text = text.strip()
    if not text or len(text) > 6:
        return None
    digits = []
    for char in text:
        value = unicodedata.digit(char, None)
        if value is None:
            return None
        digits.append(str(value))
    return int("".join(digits))
