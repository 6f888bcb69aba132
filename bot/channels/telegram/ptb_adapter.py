"""python-telegram-bot 22: polling and sending; the rest is in `bot.channels.telegram.core`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.channels.telegram.core import Buttons, Unauthorized
from flows.i18n import Document

Handler = Callable[[dict[str, Any]], Awaitable[None]]


def retry_after(exc: BaseException) -> float | None:
    if not isinstance(exc, RetryAfter):
        return None
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def permanent(exc: BaseException) -> bool:
    return isinstance(exc, (BadRequest, Forbidden, InvalidToken))


def transient(exc: BaseException) -> bool:
    """The Bot API away: PTB's NetworkError covers no connection, timeouts and 5xx (and a
    proxy's page instead of JSON); a BadRequest is one too, but Telegram's answer."""
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


class QuietOutage(logging.Filter):
    """PTB logs each failed poll, and each answer that is not JSON (a proxy's 502 page),
    with a traceback; while the Bot API is away that is one every few seconds, saying
    nothing a type name would not. One line instead (PTB and the outbox retry)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and (transient(exc) or isinstance(exc, ValueError)):
            record.msg, record.args = (
                "%s: %s (the Bot API is away?)",
                (
                    record.getMessage().split(":")[0][:80],
                    type(exc).__name__,
                ),
            )
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


class PtbAdapter:
    name = "ptb"
    retry_after = staticmethod(retry_after)
    permanent = staticmethod(permanent)
    transient = staticmethod(transient)

    def __init__(self, token: str, base_url: str) -> None:
        base = base_url.rstrip("/")
        self.app = (
            Application.builder()
            .token(token)
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .concurrent_updates(True)
            # PTB's default is one connection: concurrent chats then time out waiting for
            # it. Sends get a pool; polling gets two (the long poll, and the last call
            # that confirms updates at shutdown).
            .connection_pool_size(32)
            .pool_timeout(30)
            .get_updates_connection_pool_size(2)
            .get_updates_pool_timeout(10)
            .build()
        )
        self.bot = self.app.bot

    async def username(self) -> str:
        try:
            await self.app.initialize()
        except InvalidToken:
            raise Unauthorized from None
        return self.bot.username or ""

    async def set_commands(self, menus: dict[str | None, list[tuple[str, str]]]) -> None:
        for lang, commands in menus.items():
            await self.bot.set_my_commands(
                [BotCommand(c, d) for c, d in commands], language_code=lang
            )

    async def poll(self, handle: Handler, stop: asyncio.Event) -> None:
        async def on_update(update: object, _context: ContextTypes.DEFAULT_TYPE) -> None:
            if isinstance(update, Update):
                await handle(update.to_dict())

        self.app.add_handler(TypeHandler(Update, on_update))
        for name in ("telegram.ext.Updater", "telegram.request.BaseRequest"):
            logging.getLogger(name).addFilter(QuietOutage())
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(allowed_updates=Update.ALL_TYPES, timeout=10)
        await stop.wait()
        await self.app.updater.stop()
        await self.app.stop()

    # The four calls Wegwijs makes; `bot.channels.telegram.runner.carry_out` adds the limits.
    def send_message(self, chat_id: int, text: str, buttons: Buttons) -> Awaitable[Any]:
        return self.bot.send_message(chat_id, text, reply_markup=keyboard(buttons))

    def send_document(self, chat_id: int, document: Document, caption: str) -> Awaitable[Any]:
        file = InputFile(document.content, filename=document.filename)
        return self.bot.send_document(chat_id, file, caption=caption or None)

    def answer_callback(self, callback_id: str) -> Awaitable[Any]:
        return self.bot.answer_callback_query(callback_id)

    def clear_keyboard(self, chat_id: int, message_id: int) -> Awaitable[Any]:
        return self.bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=message_id, reply_markup=None
        )

    async def close(self) -> None:
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()


def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons]
    )
