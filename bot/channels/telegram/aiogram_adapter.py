"""aiogram 3: polling and sending. Everything else is in `bot.channels.telegram.core`."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    EditMessageReplyMarkup,
    GetMe,
    GetUpdates,
    SendDocument,
    SendMessage,
    SetMyCommands,
)
from aiogram.methods.base import Response
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)

from bot.channels.telegram.core import Buttons, Unauthorized
from bot.channels.telegram.deferred_models import build_types_in
from flows.i18n import Document

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class _SendMessage(SendMessage):
    """sendMessage whose answer stays a plain dict: Wegwijs only needs to know that it
    went, and reading the answer into aiogram's Message (the keyboard included, some
    80 µs) was the largest part of sending."""

    __returning__ = dict


class _SendDocument(SendDocument):
    __returning__ = dict


class _EditMessageReplyMarkup(EditMessageReplyMarkup):
    __returning__ = dict | bool  # type: ignore[assignment]


# aiogram's types are built on first use when imported through
# bot.channels.telegram.deferred_models: build those of every update and every send now,
# at start-up (so the first person to write does not wait for them), and before the
# answers below, which contain them. `Message` (3 MB) is built whenever a document or an
# animation is read (see `as_dict`); that took 0.2-0.4 s for the first one.
for _model in (
    Update,
    Message,
    User,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    AnswerCallbackQuery,
    _EditMessageReplyMarkup,
    _SendMessage,
):
    _model.model_rebuild()

# aiogram reads every answer as `Response[<what the method returns>]`, a pydantic generic
# made on each call; pydantic keeps a made generic only while something refers to it,
# so after each garbage collection it was built again (2-7 ms each time, some 5% of the
# CPU under load in cProfile). Referring to them here keeps the ones Wegwijs uses.
_RESPONSES = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        AnswerCallbackQuery,
        DeleteWebhook,
        _EditMessageReplyMarkup,
        GetMe,
        GetUpdates,
        _SendDocument,
        _SendMessage,
        SetMyCommands,
    )
)


def as_dict(update: Update) -> dict[str, Any]:
    """The update as Telegram sent it, for the framework-neutral core."""
    try:
        return update.model_dump(mode="json", by_alias=True, exclude_none=True)
    except TypeError:  # a type aiogram left unbuilt: build them and read it again
        build_types_in(update)
        return update.model_dump(mode="json", by_alias=True, exclude_none=True)


def retry_after(exc: BaseException) -> float | None:
    return float(exc.retry_after) if isinstance(exc, TelegramRetryAfter) else None


def permanent(exc: BaseException) -> bool:
    refused = (TelegramBadRequest, TelegramForbiddenError, TelegramNotFound)
    return isinstance(exc, (*refused, TelegramUnauthorizedError))


def transient(exc: BaseException) -> bool:
    """The Bot API away: no connection, a timeout, a 5xx, or a proxy's page instead of
    Telegram's JSON (a 502 from nginx)."""
    return isinstance(exc, (TelegramNetworkError, TelegramServerError, ClientDecodeError))


class AiogramAdapter:
    name = "aiogram"
    retry_after = staticmethod(retry_after)
    permanent = staticmethod(permanent)
    transient = staticmethod(transient)

    def __init__(self, token: str, base_url: str) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(base_url))
        self.bot = Bot(token, session=session)
        # No FSM: the conversation state lives in the database. aiogram's in-memory FSM
        # storage would keep a record for every chat that ever wrote, for ever.
        self.dispatcher = Dispatcher(disable_fsm=True)

    async def username(self) -> str:
        """Checks the token too: raises `Unauthorized` when Telegram rejects it."""
        try:
            me = await self.bot.get_me()
        except TelegramUnauthorizedError:
            raise Unauthorized from None
        return me.username or ""

    async def set_commands(self, menus: dict[str | None, list[tuple[str, str]]]) -> None:
        for lang, commands in menus.items():
            await self.bot.set_my_commands(
                [BotCommand(command=c, description=d) for c, d in commands], language_code=lang
            )

    async def poll(self, handle: Handler, stop: asyncio.Event) -> None:
        async def middleware(_handler: Any, update: Update, _data: dict[str, Any]) -> None:
            await handle(as_dict(update))

        self.dispatcher.update.outer_middleware(middleware)
        await self.bot.delete_webhook()
        polling = asyncio.create_task(
            self.dispatcher.start_polling(self.bot, handle_signals=False, close_bot_session=False)
        )
        await stop.wait()
        await self.dispatcher.stop_polling()
        await polling

    # The four calls Wegwijs makes; `bot.channels.telegram.runner.carry_out` adds the limits.
    def send_message(self, chat_id: int, text: str, buttons: Buttons) -> Awaitable[Any]:
        return self.bot(_SendMessage(chat_id=chat_id, text=text, reply_markup=keyboard(buttons)))

    def send_document(self, chat_id: int, document: Document, caption: str) -> Awaitable[Any]:
        file = BufferedInputFile(document.content, document.filename)
        return self.bot(_SendDocument(chat_id=chat_id, document=file, caption=caption or None))

    def answer_callback(self, callback_id: str) -> Awaitable[Any]:
        return self.bot.answer_callback_query(callback_id)

    def clear_keyboard(self, chat_id: int, message_id: int) -> Awaitable[Any]:
        return self.bot(
            _EditMessageReplyMarkup(chat_id=chat_id, message_id=message_id, reply_markup=None)
        )

    async def close(self) -> None:
        await self.bot.session.close()


# One question's keyboard is the same for everyone who reads it in one language, and
# aiogram's keyboard models are frozen: building them (pydantic validation of every
# button) was some 3% of the CPU per update under load.
@functools.lru_cache(maxsize=1024)
def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = [
        [InlineKeyboardButton(text=b.label, callback_data=b.data) for b in row] for row in buttons
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)
