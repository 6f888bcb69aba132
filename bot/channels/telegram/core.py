"""What both Telegram adapters share: updates in a neutral form, what to do about them,
and the actions to take. Adapters only translate their framework's objects to `Incoming`
and carry out the returned actions."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from bot.core.language import hint_from_telegram
from bot.core.service import Attach, Inbound, Service
from flows import texts
from flows.commands import COMMANDS
from flows.events import Event, Notice
from flows.i18n import Document, Rendered, RenderedButton
from flows.languages import LANGUAGES
from flows.replies import Msg

log = logging.getLogger(__name__)

CHANNEL = "telegram"
ATTACH_NOTICE = {
    Attach.OK: Notice.INVITE_OK,
    Attach.UNKNOWN: Notice.INVITE_UNKNOWN,
    Attach.USED: Notice.INVITE_UNKNOWN,  # a guess must not tell which codes exist
    Attach.EXPIRED: Notice.INVITE_EXPIRED,
    Attach.CLOSED: Notice.CASE_CLOSED,
}


class Unauthorized(Exception):
    """Telegram rejected the bot token."""


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
class TelegramCore:
    service: Service
    _pending: Counter[int] = field(default_factory=Counter)

    async def handle(self, update: Incoming) -> list[Action]:
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
            replies = await self.process(update)
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

    async def process(self, update: Incoming) -> list[Rendered]:
        hint = hint_from_telegram(update.language_code)
        event = self.event(update, hint)
        if event is None:  # /start CODE
            code = update.text.split(maxsplit=1)[1]
            attached = await self.service.attach(CHANNEL, update.chat_id, code)
            event = Event.start(hint, notice=ATTACH_NOTICE[attached])
        return await self.service.handle(Inbound(CHANNEL, update.chat_id, event, update.update_id))

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
