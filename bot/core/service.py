"""The service: the one path of a message, joining storage and flows.

update → load state (storage) → `Engine.step` → ONE transaction saving state, answers,
effects and the processed update id → rendered replies for the adapter to send. Answers
are committed before anything is sent: a crash can cost a reply, never an answer.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from weakref import WeakValueDictionary

from pydantic import ValidationError

from bot.core import cases
from bot.core.answers import current_values
from bot.core.appointments import facts_of
from bot.core.clock import utcnow
from bot.core.effects import CHANGES_ROWS, EFFECTS, Saving
from bot.core.erasure import record_erasure
from bot.core.journey import journey_facts
from bot.core.language import detect_language
from bot.core.logs import case_id_var
from flows.callbacks import AppointmentAnswer, JourneyStep
from flows.effects import AnswerRecord, Erase, Submitted
from flows.engine import Engine, Step
from flows.events import Event, EventKind
from flows.i18n import Document, Rendered, Renderer
from flows.replies import Reply
from flows.screens.apology import apology, case_closed
from flows.state import CaseFacts, Position, State
from storage import (
    AccountRepository,
    AccountRow,
    AnswerRepository,
    AppointmentRepository,
    Case,
    CaseRepository,
    CaseRow,
    ChannelAccount,
    ChatSnapshot,
    ConversationRepository,
    Database,
    EraseRepository,
    NewAnswer,
    ReminderRepository,
    Session,
    SnapshotRepository,
    UpdateRepository,
)

log = logging.getLogger(__name__)


CLOSED = "closed"  # a case's status when the inburgering ended


def _needs_appointments(event: Event) -> bool:
    """Only these updates read appointments: a plain intake step costs no extra query."""
    if event.kind is EventKind.CHOICE:
        return AppointmentAnswer.unpack(event.data) is not None
    return event.kind is EventKind.COMMAND and event.command == "appointments"


def _takes_answers(step: Step) -> bool:
    """A step that would store answers or send them: refused on a closed case (seeing
    and erasing what is stored, the language, help: still there)."""
    return bool(step.answers) or any(isinstance(e, Submitted) for e in step.effects)


def _needs_journey(event: Event) -> bool:
    """`/route` and its buttons read the case record and the talks held: two reads
    that no other update makes."""
    if event.kind is EventKind.CHOICE:
        return JourneyStep.unpack(event.data) is not None
    return event.kind is EventKind.COMMAND and event.command == "route"


@dataclass(frozen=True)
class Inbound:
    """One update from a channel, already translated into a flows Event."""

    channel: str
    chat_id: int
    event: Event
    update_id: int | None = None  # None: the channel cannot redeliver (console)


class Attach(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # no case has this code
    USED = "used"  # the code already bound another chat
    EXPIRED = "expired"
    CLOSED = "closed"  # the case is closed: it takes no chat and no answers any more


class Service:
    def __init__(
        self,
        db: Database,
        engine: Engine,
        renderer: Renderer,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.engine = engine
        self.renderer = renderer
        self.clock = clock
        # One update per chat at a time in this process; PostgreSQL's row lock covers
        # several processes (AccountRepository.lock).
        self._locks: WeakValueDictionary[tuple[str, int], asyncio.Lock] = WeakValueDictionary()

    def _lock(self, channel: str, chat_id: int) -> asyncio.Lock:
        key = (channel, chat_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    async def handle(self, inbound: Inbound) -> list[Rendered]:
        """Process one update exactly once and return what to send back."""
        now = self.clock()
        lock = self._lock(inbound.channel, inbound.chat_id)
        async with lock, self.db.session() as session, session.begin():
            if inbound.update_id is not None:
                claimed = await UpdateRepository(session).claim(
                    inbound.channel, inbound.update_id, now
                )
                if not claimed:
                    log.info(
                        "update %s on %s already processed", inbound.update_id, inbound.channel
                    )
                    return []
            # Account, case, conversation and answers in one query, the chat locked.
            snapshots = SnapshotRepository(session)
            snapshot = await snapshots.load(inbound.channel, inbound.chat_id)
            if snapshot is None:  # a chat never seen: its account first
                await AccountRepository(session).get_or_create(
                    inbound.channel, inbound.chat_id, now
                )
                snapshot = await snapshots.load(inbound.channel, inbound.chat_id)
                assert snapshot is not None
            else:
                await snapshots.touch(snapshot.account, now)
            account, case = snapshot.account, snapshot.case
            case_id_var.set(case.id if case else None)  # for the log lines of this update
            # The step's time is read once the chat is ours: an update that waited for
            # another worker's update of the same chat comes after it, in the answer
            # history too (found by tests/e2e/test_scale_out.py).
            now = self.clock()
            state = self._state(account, case, snapshot)
            if case is not None and _needs_appointments(inbound.event):
                rows = await AppointmentRepository(session).for_case(case.id)
                state.appointments = {a.id: facts_of(a, now) for a in rows if a.id is not None}
            elif case is not None and _needs_journey(inbound.event):
                record = await CaseRepository(session).get(case.id)
                if record is not None:
                    rows = await AppointmentRepository(session).for_case(case.id)
                    state.journey = journey_facts(record, rows)
            event = self._with_text_hint(inbound.event, state.position)
            try:
                step = self.engine.step(state, event, now)
            except Exception:
                # A bug must cost one reply, not the conversation: the update stays
                # processed (no redelivery loop), the state and answers stay as they were.
                log.exception(
                    "engine failed on a %s event (account %s)", inbound.event.kind, account.id
                )
                return [self._notice(apology(), state.position)]
            if case is not None and case.status == CLOSED and _takes_answers(step):
                # Nothing of the step is kept: the person stays where they were.
                return [self._notice(case_closed(), state.position)]
            standing = {answer.question_id for answer in snapshot.answers}
            document = await self._save(session, account, case, step, standing, now)
        position = step.state.position
        rendered = [
            self.renderer.reply(reply, position.lang or "en", position.bilingual)
            for reply in step.replies
        ]
        if document is not None:
            # The file goes before the question that is shown again, not after it.
            at = len(rendered) - 1 if rendered and rendered[-1].buttons else len(rendered)
            rendered.insert(at, Rendered("", document=document))
        return rendered

    @staticmethod
    def _with_text_hint(event: Event, position: Position) -> Event:
        """A typed message's language is guessed only for a person without a language
        yet, the one case the engine reads the guess (to order the language menu):
        guessing takes about 1.5 ms for Latin text, as long as the rest of an update."""
        if event.kind is not EventKind.TEXT or position.lang is not None:
            return event
        return replace(event, lang_hint=detect_language(event.text).lang or event.lang_hint)

    def _notice(self, reply: Reply, position: Position) -> Rendered:
        """A sentence in place of the step, in the person's language and mode."""
        return self.renderer.reply(reply, position.lang or "en", position.bilingual)

    @staticmethod
    def _state(account: AccountRow, case: CaseRow | None, snapshot: ChatSnapshot) -> State:
        raw = snapshot.conversation
        try:
            position = Position.model_validate(raw) if raw else Position()
        except ValidationError:
            # A row from an older version must not lock the person out: start the
            # position afresh; answers are elsewhere and nothing is lost.
            log.warning("conversation %s had an unreadable position; reset", account.id)
            position = Position()
        if position.lang is None:
            position.lang = account.language or (case.language if case else None)
        facts = CaseFacts(
            has_case=case is not None,
            consent_version=case.consent_version if case else None,
            submitted=bool(case and case.intake_submitted_at),
            target_group=case.target_group if case else None,
        )
        answers = current_values(snapshot.answers) if case else {}
        return State(position=position, case=facts, answers=answers)

    async def _save(
        self,
        session: Session,
        account: AccountRow | ChannelAccount,
        case: CaseRow | Case | None,
        step: Step,
        standing: set[str],
        now: datetime,
    ) -> Document | None:
        """Apply the step, each change in one statement; returns the /mydata file when
        one was asked for. `standing`: the questions with a current answer row."""
        state = step.state
        if any(isinstance(effect, Erase) for effect in step.effects):
            # Nothing of the person is kept, not even the conversation position.
            result = await EraseRepository(session).erase_account(account.id)
            await record_erasure(session, result, actor="person", reason="/delete", at=now)
            log.info("erased on request: %s case(s), %s answer(s)", result.cases, result.answers)
            return None
        if any(isinstance(effect, CHANGES_ROWS) for effect in step.effects):
            # The chat was read as a snapshot; these rare steps change the account or
            # the case through their session objects (one more read each).
            account = await AccountRepository(session).get(account.id) or account
            case = await CaseRepository(session).get(case.id) if case is not None else None
        saving = Saving(
            session,
            account,
            case,
            now,
            state.position.lang,
            self.engine.flow,
            self.engine.context,
            self.renderer,
        )
        document = None
        for effect in step.effects:
            handler = EFFECTS.get(type(effect))
            if handler is not None:
                document = await handler(saving, effect) or document
        if step.answers:
            if case is None or case.consent_version != self.engine.context.consent_version:
                # The engine only asks after consent; this guard keeps it that way.
                log.error("answers without a case or consent were dropped (account %s)", account.id)
            else:
                lang = state.position.lang
                new = [self._new_answer(record, lang) for record in step.answers]
                await AnswerRepository(session).record_many(case.id, new, standing)
        await ConversationRepository(session).save(
            account.id, state.position.model_dump(mode="json"), now
        )
        return document

    @staticmethod
    def _new_answer(record: AnswerRecord, lang: str | None) -> NewAnswer:
        value = record.value
        if value is None:
            return NewAnswer(record.question_id, record.at, retracted=True)
        text_lang = None
        if value.text is not None:
            # People may type in another language than the one they chose (Dutch
            # practice, or a language with no catalog): mark what the text is in.
            text_lang = detect_language(value.text).lang or lang
        return NewAnswer(
            record.question_id,
            record.at,
            codes=list(value.codes) or None,
            number=value.number,
            free_text=value.text,
            text_lang=text_lang,
            skipped=value.skipped,
        )

    # -- cases and invites ------------------------------------------------------------

    async def create_case(
        self, *, label: str | None = None, language: str | None = None, actor: str = "system"
    ) -> Case:
        """`bot.core.cases.create_case` on this service's database and clock."""
        return await cases.create_case(
            self.db, actor=actor, now=self.clock(), label=label, language=language
        )

    async def attach(
        self, channel: str, chat_id: int, code: str, *, consume: bool = True
    ) -> Attach:
        """Bind a chat to the case with this invite code. A code binds one chat, once
        (`consume`); the console attaches without using it up, for trying and demos."""
        now = self.clock()
        async with self.db.session() as session, session.begin():
            case = await CaseRepository(session).by_code(code)
            if case is None:
                return Attach.UNKNOWN
            if case.status == CLOSED:
                return Attach.CLOSED
            accounts = AccountRepository(session)
            bound = await accounts.for_case(case.id, channel)
            if any(account.external_id == chat_id for account in bound):
                return Attach.OK
            if consume:
                if case.invite_used_at is not None:
                    return Attach.USED
                if case.invite_expires_at is not None and case.invite_expires_at <= now:
                    return Attach.EXPIRED
                if not await CaseRepository(session).claim_invite(case.id, now):
                    return Attach.USED  # another chat claimed it a moment ago
            # Only a chat that gets bound is made here (a web page's wrong code leaves
            # no account behind).
            account = await accounts.get_or_create(channel, chat_id, now)
            await accounts.bind(account, case.id, now)
            if case.language and not account.language:
                await accounts.set_language(account, case.language, now)
            # An invitation that waited for a chat goes now, not at its next try.
            await ReminderRepository(session).wake_for_case(case.id, now)
            return Attach.OK

    async def console_chat_id(self, code: str) -> int | None:
        """The console chat of a case, so a second `wegwijs chat --case` resumes it."""
        async with self.db.session() as session:
            case = await CaseRepository(session).by_code(code)
            if case is None:
                return None
            existing = await AccountRepository(session).for_case(case.id, "console")
        return existing[0].external_id if existing else secrets.randbits(62)
