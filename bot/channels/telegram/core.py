"""What both Telegram adapters share: updates in a neutral form, what to do about them,
and the actions to take. Adapters only translate their framework's objects to `Incoming`
and carry out the returned actions."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from bot.core.language import hint_from_telegram
from bot.core.service import Attach, Inbound, Service
from flows import texts
from flows.commands import COMMANDS
from flows.events import Event, EventKind, Notice
from flows.i18n import Document, Rendered, RenderedButton
from flows.languages import LANGUAGES
from flows.replies import Msg
from storage import database_away

log = logging.getLogger(__name__)

CHANNEL = "telegram"
_ANSWERS = (EventKind.TEXT, EventKind.CHOICE, EventKind.UNSUPPORTED)
ATTACH_NOTICE = {
    Attach.OK: Notice.INVITE_OK,
    Attach.UNKNOWN: Notice.INVITE_UNKNOWN,
    Attach.USED: Notice.INVITE_UNKNOWN,  # a guess must not tell which codes exist
    Attach.EXPIRED: Notice.INVITE_EXPIRED,
    Attach.CLOSED: Notice.CASE_CLOSED,
}


class Unauthorized(Exception):
    """Telegram rejected the bot token."""


class HandBack(Exception):
    """The database stayed away as long as the update may be held (or the bot is
    stopping): it was not processed, and Telegram is to deliver it again."""


@dataclass(frozen=True)
class Incoming:
    """One Telegram update, as much of it as Wegwijs needs."""

    update_id: int
    chat_id: int
    chat_type: str = "private"  # private, group, supergroup, channel
    language_code: str | None = None  # the Telegram app's language: a hint only
    text: str = ""  # a message's text (a command included)
    callback_id: str | None = None  # a pressed inline button
    callback_data: str = ""
    callback_message_id: int | None = None  # the message carrying that keyboard
    media: str = ""  # sticker, photo, voice … or "edited"; "" for text and buttons


Buttons = tuple[tuple[RenderedButton, ...], ...]


@dataclass(frozen=True)
class Send:
    chat_id: int
    text: str
    buttons: Buttons = ()
    document: Document | None = None


@dataclass(frozen=True)
class AnswerCallback:
    callback_id: str


@dataclass(frozen=True)
class ClearKeyboard:
    chat_id: int
    message_id: int


Action = Send | AnswerCallback | ClearKeyboard


@dataclass
class Hold:
    """How an update waits for a database that is away: tried again after `backoff`
    seconds, doubling up to `cap`, with jitter (so that many held updates do not all
    knock at once when it is back)."""

    backoff: float = 0.5
    cap: float = 5.0
    notice_after: float = 3.0  # held this long: the person is told (where they can be)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random  # 0..1

    def delay(self, attempt: int) -> float:
        return min(self.backoff * 2 ** min(attempt, 30), self.cap) * (0.5 + 0.5 * self.jitter())


Tell = Callable[[Send], Awaitable[object]]


@dataclass
class TelegramCore:
    service: Service
    hold: Hold = field(default_factory=Hold)
    _pending: Counter[int] = field(default_factory=Counter)
    _turns: dict[int, tuple[asyncio.Lock, int]] = field(default_factory=dict)
    _missed: set[int] = field(default_factory=set)  # chats whose question was given up
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(
        self,
        update: Incoming,
        *,
        give_back_after: float | None = None,
        tell: Tell | None = None,
        redelivered_shows_question: bool = False,
    ) -> list[Action]:
        """What to do about one update. While the database is away the update is held
        and tried again until it is back; with `give_back_after` (a webhook) it is handed
        back (`HandBack`) after that many seconds, for Telegram to deliver again; with
        `tell` (polling, where Telegram already forgot it) the person is told once that
        it will take a minute. `redelivered_shows_question` (a webhook): an update
        processed before is answered with the current question, as Telegram delivers a
        webhook update again only when the worker that had it never answered (killed
        between saving and sending: its replies most likely never went)."""
        if update.chat_type != "private":
            return self.refuse_group(update)
        actions: list[Action] = []
        if update.callback_id is not None:
            # Stop the button's spinner at once, and take the old keyboard away so the
            # same button cannot be pressed twice.
            actions.append(AnswerCallback(update.callback_id))
            if update.callback_message_id is not None:
                actions.append(ClearKeyboard(update.chat_id, update.callback_message_id))
        # Many messages in a few seconds: every one is processed (no answer is lost), but
        # only the last one's replies are sent, so a flood is not echoed back.
        self._pending[update.chat_id] += 1
        try:
            async with self._turn(update.chat_id):
                replies = await self._stored(update, give_back_after, tell)
                if not replies and redelivered_shows_question:
                    replies = await self._stored(update, give_back_after, tell, resume=True)
        finally:
            self._pending[update.chat_id] -= 1
            if not self._pending[update.chat_id]:
                del self._pending[update.chat_id]
        if self._pending.get(update.chat_id):
            replies = [r for r in replies if r.document is not None]
        for reply in replies:
            *first, last = split_text(reply.text) if reply.text else [""]
            actions += [Send(update.chat_id, chunk) for chunk in first]
            actions.append(Send(update.chat_id, last, reply.buttons, reply.document))
        return actions

    @contextlib.asynccontextmanager
    async def _turn(self, chat_id: int) -> AsyncIterator[None]:
        """One chat's updates one after another, in arrival order, also while one is held
        (the service serialises a chat too, but a held update retries outside it)."""
        lock, users = self._turns.get(chat_id) or (asyncio.Lock(), 0)
        self._turns[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._turns[chat_id]
            if users == 1:
                del self._turns[chat_id]
            else:
                self._turns[chat_id] = (lock, users - 1)

    async def _stored(
        self,
        update: Incoming,
        give_back_after: float | None,
        tell: Tell | None,
        resume: bool = False,
    ) -> list[Rendered]:
        started, told = self.hold.clock(), False
        for attempt in itertools.count():
            if self._stopping.is_set() and attempt:
                log.warning(
                    "update %s not processed: stopping while the database is away", update.update_id
                )
                raise HandBack
            try:
                return await self.process(update, resume=resume)
            except Exception as exc:
                if not database_away(exc):
                    raise
                reason = type(exc).__name__
            held = self.hold.clock() - started
            if give_back_after is not None and held >= give_back_after:
                log.warning(
                    "update %s handed back: the database is away (%s)", update.update_id, reason
                )
                raise HandBack
            if tell is not None and not told and held >= self.hold.notice_after:
                told = True
                await tell(Send(update.chat_id, self.away_notice(update)))
            delay = self.hold.delay(attempt)
            log.warning(
                "update %s held: the database is away (%s), trying again in %.1f s",
                update.update_id,
                reason,
                delay,
            )
            await self._wait(delay)
        raise AssertionError("unreachable")

    async def _wait(self, seconds: float) -> None:
        """`hold.sleep(seconds)`, ended early by `stop()`."""
        sleeper = asyncio.ensure_future(self.hold.sleep(seconds))
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait((sleeper, stopping), return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            stopping.cancel()

    def stop(self) -> None:
        """Shutdown: held updates stop waiting (a webhook hands them back)."""
        self._stopping.set()

    def missed(self, chat_id: int) -> None:
        """The outbox gave up on a message to this chat (the Bot API was away too long):
        the person's next message is answered with the current question, not taken as
        an answer to a question they never saw."""
        self._missed.add(chat_id)

    def away_notice(self, update: Incoming) -> str:
        lang = hint_from_telegram(update.language_code) or "en"
        return self.service.renderer.text(Msg.of(texts.DATABASE_AWAY), lang)

    async def process(self, update: Incoming, *, resume: bool = False) -> list[Rendered]:
        """`resume`: show where the person is (the current question) instead, unrecorded."""
        hint = hint_from_telegram(update.language_code)
        event = self.event(update, hint)
        missed = update.chat_id in self._missed
        if resume or (missed and event is not None and event.kind in _ANSWERS):
            event = Event.start(hint)  # where the person is: the question they missed
        if event is None:  # /start CODE
            code = update.text.split(maxsplit=1)[1]
            attached = await self.service.attach(CHANNEL, update.chat_id, code)
            event = Event.start(hint, notice=ATTACH_NOTICE[attached])
        update_id = None if resume else update.update_id
        replies = await self.service.handle(Inbound(CHANNEL, update.chat_id, event, update_id))
        if missed:
            self._missed.discard(update.chat_id)
        return replies

    @staticmethod
    def event(update: Incoming, hint: str | None) -> Event | None:
        if update.callback_id is not None:
            return Event.press(update.callback_data)
        if update.media:
            return Event.media_(update.media)
        text = update.text
        words = text[1:].split(maxsplit=1) if text.startswith("/") else []
        if words:
            command = words[0].split("@", 1)[0].lower()  # "/help@wegwijs_bot" in menus
            if command == "start" and len(words) > 1:
                return None
            return Event.start(hint) if command == "start" else Event.cmd(command)
        # Telegram's hint only: the service guesses from the text when it matters.
        return Event.say(text, hint)

    def refuse_group(self, update: Incoming) -> list[Action]:
        """Groups and channels: a polite pointer to a private chat; nothing is stored."""
        if update.callback_id is not None:
            return [AnswerCallback(update.callback_id)]
        if update.chat_type == "channel" or update.media == "edited":
            return []
        lang = hint_from_telegram(update.language_code) or "en"
        text = self.service.renderer.text(Msg.of(texts.GROUP_REFUSAL), lang)
        return [Send(update.chat_id, text)]


# Message keys that carry something other than text, in the order they are recognised.
MEDIA_KEYS = (
    "sticker", "voice", "video_note", "video", "animation", "audio", "photo", "document",
    "location", "venue", "contact", "poll", "dice", "game", "story",
)  # fmt: skip
MESSAGE_KEYS = ("message", "edited_message", "channel_post", "edited_channel_post")
TELEGRAM_LIMIT = 4096


def parse_update(data: dict) -> Incoming | None:
    """An update as Telegram sends it (JSON) → Incoming; None for updates Wegwijs ignores
    (a poll answer, a member change without a message…) and for malformed ones."""
    try:
        return _parse(data)
    except _Malformed:
        return None


def _parse(data: dict) -> Incoming | None:
    update_id = data.get("update_id")
    if not isinstance(update_id, int):
        return None
    callback = data.get("callback_query")
    if isinstance(callback, dict):
        message, user = _dict(callback.get("message")), _dict(callback.get("from"))
        chat = _dict(message.get("chat")) or {"id": user.get("id"), "type": "private"}
        if not isinstance(chat.get("id"), int):
            return None
        return Incoming(
            update_id,
            chat["id"],
            chat.get("type", "private"),
            user.get("language_code"),
            callback_id=str(callback.get("id", "")),
            callback_data=str(callback.get("data") or ""),
            callback_message_id=message.get("message_id"),
        )
    key = next((k for k in MESSAGE_KEYS if isinstance(data.get(k), dict)), None)
    if key is None:
        return None
    message = data[key]
    chat = _dict(message.get("chat"))
    if not isinstance(chat.get("id"), int):
        return None
    media = "edited" if key.startswith("edited") else ""
    if not media and "text" not in message:
        media = next((k for k in MEDIA_KEYS if k in message), "other")
    user = _dict(message.get("from"))
    return Incoming(
        update_id,
        chat["id"],
        chat.get("type", "private"),
        user.get("language_code"),
        text=str(message.get("text") or ""),
        media=media,
    )


class _Malformed(Exception):
    pass


def _dict(value: object) -> dict:
    """Part of an update that should be an object: missing is empty, anything else is
    malformed (the update is ignored rather than half read)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Malformed
    return value


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Telegram refuses messages over 4096 characters: split at paragraphs, then lines,
    then anywhere."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n\n", 0, limit)
        if cut <= limit // 2:
            cut = text.rfind("\n", 0, limit)
        if cut <= limit // 2:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n")
    return [*chunks, text]


def command_menus(service: Service) -> dict[str | None, list[tuple[str, str]]]:
    """The command menu per language (None: the default, in English)."""
    renderer = service.renderer
    menus: dict[str | None, list[tuple[str, str]]] = {}
    for lang in (None, *LANGUAGES):
        menus[lang] = [
            (name, renderer.text(Msg.of(description), lang or "en")[:256])
            for name, description in COMMANDS
        ]
    return menus
