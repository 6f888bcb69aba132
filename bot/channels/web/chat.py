"""The web chat's side of a conversation: a form post becomes one `Inbound` for the
service (exactly as a Telegram update does), and what the service answers is kept as
transcript lines for the page. Nothing of the conversation itself is decided here.

A form carries the page's idempotency key (`k`: a double submit or a reload counts
once) and the page's version (`v`, the newest line it showed): a button or typed
answer from an older page is stale, and the engine answers it with its stale-button
note and the current question — never as an answer to whatever is asked now."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from weakref import WeakValueDictionary

from bot.channels.web import texts as W
from bot.channels.web.binding import Binding, BindingCodec, new_chat_id
from bot.channels.web.render import PERSON, echo, label_of, lines_of
from bot.core.app import App
from bot.core.cases import CaseNotFound, unbind_browsers
from bot.core.practice import start_practice
from bot.core.service import Attach, Inbound
from flows import callbacks as cb
from flows.commands import COMMANDS
from flows.events import Event, EventKind, Notice
from flows.i18n import Rendered
from flows.languages import DUTCH, LANGUAGES
from flows.replies import Msg
from storage import (
    NewLine,
    WebAccount,
    WebChatRepository,
    WebLine,
    normalize_invite_code,
)

log = logging.getLogger(__name__)

CHANNEL = "web"
STALE = ""  # button data that is no payload: the engine's stale-button note
NOTICES = {
    Attach.OK: Notice.INVITE_OK,
    Attach.UNKNOWN: Notice.INVITE_UNKNOWN,
    Attach.USED: Notice.INVITE_UNKNOWN,  # a guess must not tell which codes exist
    Attach.EXPIRED: Notice.INVITE_EXPIRED,
    Attach.CLOSED: Notice.CASE_CLOSED,
}
# The menu: every command, with the label the page shows for it.
MENU: tuple[tuple[str, str], ...] = (
    ("answers", W.MENU_ANSWERS),
    ("language", W.MENU_LANGUAGE),
    ("roles", W.MENU_ROLES),
    ("route", W.MENU_ROUTE),
    ("appointments", W.MENU_APPOINTMENTS),
    ("mydata", W.MENU_MYDATA),
    ("person", W.MENU_PERSON),
    ("delete", W.MENU_DELETE),
    ("help", W.MENU_HELP),
)
KNOWN_COMMANDS = {name for name, _ in COMMANDS}


class Outcome(StrEnum):
    SHOWN = "shown"  # the answer is in the transcript
    ERASED = "erased"  # the person erased everything: the binding is over
    GONE = "gone"  # no account behind the binding (erased before, or a day-old practice)


@dataclass(frozen=True)
class Form:
    """One post of the chat page."""

    key: str
    version: int | None = None  # None: not given (then not checked)
    choice: str | None = None
    text: str | None = None
    command: str | None = None


@dataclass(frozen=True)
class Conversation:
    """A web account with what the page needs of its conversation."""

    account: WebAccount
    lang: str | None
    bilingual: bool

    @classmethod
    def of(cls, account: WebAccount) -> Conversation:
        try:
            data = json.loads(account.conversation) if account.conversation else {}
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        lang = data.get("lang") or account.language
        return cls(account, lang if lang in LANGUAGES else None, data.get("bilingual", True))


class WebChat:
    def __init__(self, app: App, codec: BindingCodec, clock: Callable[[], datetime]) -> None:
        self.app = app
        self.service = app.service
        self.db = app.db
        self.codec = codec
        self.clock = clock
        # One post per chat at a time in this process, so lines are kept in order.
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    def _lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        return lock

    def text(self, msgid: str, lang: str | None, **params: object) -> str:
        return self.app.renderer.text(Msg.of(msgid, **params), lang or "en")  # type: ignore[arg-type]

    # -- reading ------------------------------------------------------------------------

    @staticmethod
    async def _account(store: WebChatRepository, binding: Binding) -> WebAccount | None:
        """The binding's account; None when it is gone, or the cookie is of an older
        binding version (the browser left, a new code, "unbind all browsers")."""
        account = await store.account(CHANNEL, binding.chat_id)
        if account is None or account.binding_version != binding.version:
            return None
        return account

    async def read(self, binding: Binding) -> tuple[Conversation, list[WebLine]] | None:
        """The conversation and its newest lines, in one read; None when it is gone."""
        async with self.db.session(readonly=True) as session:
            store = WebChatRepository(session)
            account = await self._account(store, binding)
            if account is None:
                return None
            return Conversation.of(account), await store.lines(account.id)

    async def file(self, binding: Binding, message_id: int) -> tuple[str, str] | None:
        """(filename, content) of a file in this browser's own transcript, else None."""
        async with self.db.session(readonly=True) as session:
            store = WebChatRepository(session)
            account = await self._account(store, binding)
            if account is None:
                return None
            return await store.file(account.id, message_id)

    async def _bound(self, chat_id: int) -> tuple[Binding, str | None]:
        """The binding of a chat just bound (with its case's binding version now), and
        its case."""
        async with self.db.session(readonly=True) as session:
            account = await WebChatRepository(session).account(CHANNEL, chat_id)
        if account is None:
            return Binding(chat_id), None
        return Binding(chat_id, account.binding_version), account.case_id

    async def leave(self, binding: Binding, *, keep_case: str | None = None) -> str | None:
        """This browser's binding ends, and with it every cookie of the case made
        before (a copy taken on a shared device): the case's binding version goes up.
        `keep_case`: the case the browser was just bound to, left alone. Only a valid
        binding can do it. Returns the conversation's language."""
        async with self.db.session(readonly=True) as session:
            account = await self._account(WebChatRepository(session), binding)
        if account is None:
            return None
        if account.case_id is not None and account.case_id != keep_case:
            with contextlib.suppress(CaseNotFound):  # erased meanwhile: nothing to end
                await unbind_browsers(self.db, account.case_id, actor="person", now=self.clock())
        return Conversation.of(account).lang

    # -- getting in ---------------------------------------------------------------------

    async def bind_code(
        self, code: str, hint: str | None, current: Binding | None
    ) -> tuple[Binding | None, Attach]:
        """Bind this browser by a (well-formed) invite code: a new chat, or the current
        one when it is already this code's. A wrong code binds nothing."""
        chat_id = new_chat_id()
        attached = await self.service.attach(CHANNEL, chat_id, code)
        # The person's own link again, in the browser it already binds: go on there.
        if (
            attached is Attach.USED
            and current is not None
            and await self.read(current) is not None
            and await self.service.attach(CHANNEL, current.chat_id, code) is Attach.OK
        ):
            return current, Attach.OK
        if attached is not Attach.OK:
            return None, attached
        binding, case_id = await self._bound(chat_id)
        await self.begin(binding, Event.start(hint, notice=NOTICES[Attach.OK]))
        if current is not None:  # a new code in this browser: the old binding ends
            await self.leave(current, keep_case=case_id)
        return binding, Attach.OK

    async def practice(self, hint: str | None) -> Binding:
        chat_id = new_chat_id()
        await start_practice(self.service, CHANNEL, chat_id)
        binding, _ = await self._bound(chat_id)
        await self.begin(binding, Event.start(hint))
        return binding

    async def begin(self, binding: Binding, event: Event) -> None:
        """The first answer of a new binding (the language menu), or a resumption."""
        async with self._lock(binding.chat_id):
            replies = await self.service.handle(Inbound(CHANNEL, binding.chat_id, event))
            found = await self.read(binding)
            if found is not None:
                conversation, _ = found
                await self._keep(conversation.account.id, [], replies, conversation.lang)

    # -- a post -------------------------------------------------------------------------

    async def post(self, binding: Binding, form: Form) -> tuple[Outcome, str | None]:
        """One form post of this browser: to the service, then into the transcript.
        Returns what became of it, and the conversation's language."""
        async with self._lock(binding.chat_id):
            found = await self.read(binding)  # read under the lock: after any other post
            if found is None:
                return Outcome.GONE, None
            conversation, lines = found
            event, said = self._event(conversation, lines, form)
            update_id = self.codec.update_id(binding.chat_id, form.key)
            inbound = Inbound(CHANNEL, binding.chat_id, event, update_id)
            replies = await self.service.handle(inbound)
            lang = conversation.lang
            if not replies:
                return Outcome.SHOWN, lang  # processed before (a double submit, a reload)
            replies = [
                *replies,
                *await self._calendar(conversation, event),
                *self._practice_note(conversation, event),
            ]
            payload = cb.parse(event.data) if event.kind is EventKind.CHOICE else None
            if isinstance(payload, cb.ConfirmErase) and payload.sure:
                if await self.read(binding) is None:  # everything is erased: no lines
                    return Outcome.ERASED, lang
            elif isinstance(payload, cb.ChooseLanguage) and payload.code in LANGUAGES:
                lang = payload.code  # the only way the conversation's language changes
            await self._keep(conversation.account.id, said, replies, lang)
            return Outcome.SHOWN, lang

    def _event(
        self, conversation: Conversation, lines: list[WebLine], form: Form
    ) -> tuple[Event, list[NewLine]]:
        """The event a form stands for, and the person's line for the transcript."""
        lang = conversation.lang
        if form.command is not None:
            name = form.command.strip().lower()
            label = dict(MENU).get(name)
            said = [NewLine(PERSON, self.text(label, lang))] if label else []
            return Event.cmd(name if name in KNOWN_COMMANDS else name[:32]), said
        text = form.text or ""
        words = text.strip()[1:].split(maxsplit=1) if text.strip().startswith("/") else []
        if form.choice is None and words:
            # "/language", as the messages say (and as on Telegram); never stale.
            name = words[0].lower()[:32]
            said = [NewLine(PERSON, echo(text))]
            return (Event.start(lang) if name == "start" else Event.cmd(name)), said
        stale = form.version is not None and form.version != conversation.account.last_message
        if stale:
            return Event.press(STALE), []
        if form.choice is not None:
            label = label_of(lines, form.choice)
            said = [NewLine(PERSON, label)] if label else []
            return Event.press(form.choice), said
        shown = echo(text)
        said = [NewLine(PERSON, shown)] if shown else []
        # The conversation's language only: the service guesses from the text when it matters.
        return Event.say(text, lang), said

    async def _calendar(self, conversation: Conversation, event: Event) -> list[Rendered]:
        """Beside "my appointments": a calendar file for each appointment to come."""
        case_id = conversation.account.case_id
        if event.command != "appointments" or case_id is None:
            return []
        lang = conversation.lang or DUTCH
        return await self.app.appointments.calendar_files(
            self.app.renderer, case_id, lang, conversation.bilingual
        )

    def _practice_note(self, conversation: Conversation, event: Event) -> list[Rendered]:
        """In practice, what would reach a consulent reaches nobody: said plainly after
        the conversation's own answer ("sent to your consulent"), which is not true here."""
        if not conversation.account.practice:
            return []
        payload = cb.parse(event.data) if event.kind is EventKind.CHOICE else None
        reaches = (
            event.command == "person"
            or (isinstance(payload, cb.ReviewAction) and payload.action == cb.ReviewVerb.SEND)
            or (isinstance(payload, cb.RolesAction) and payload.action == cb.RolesVerb.ASK)
        )
        if not reaches:
            return []
        return [Rendered(self.text(W.PRACTICE_NOT_SENT, conversation.lang))]

    async def _keep(
        self, account_id: int, said: list[NewLine], replies: list[Rendered], lang: str | None
    ) -> None:
        """Add the person's line and the answers to the transcript."""
        async with self.db.session() as session, session.begin():
            await WebChatRepository(session).append(
                account_id, [*said, *lines_of(replies, lang)], self.clock()
            )


def parse_code(raw: str | None) -> str | None:
    return normalize_invite_code(raw or "")
