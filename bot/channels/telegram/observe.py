"""The Telegram bot, observed from outside: metrics, the readiness of the Bot API, and
the update id in the logs, without a line of the runner or the outbox changing.

`observe(bot, health)` wraps three things of a `TelegramBot`:
* its adapter, so every Bot API call is timed and its errors counted by code (429s
  apart), and every call that reached the Bot API marks it reachable (`Health`);
* its `handle_raw`, so each update is counted by kind and outcome, its arrival time and
  id are known to what it sends (context variables: a reply or a callback answer sent
  for it measures update-to-reply and press-to-answer; a log line names the update);
* its outbox's `send`, so the queue length and the wait before a call goes are known.
All of it in memory: no database statement is added to a person's path."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from bot.core import metrics as M
from bot.core.health import Health
from bot.core.logs import update_id_var


class Observable(Protocol):
    """What `observe` wraps of the runner's `TelegramBot` (named here, not imported: the
    runner imports this module)."""

    adapter: Any
    outbox: Any

    async def handle_raw(self, data: dict[str, Any], *, webhook: bool = False) -> None: ...


Bot = TypeVar("Bot", bound=Observable)

__all__ = ["ObservedAdapter", "error_code", "observe", "update_kind", "watch_bot_api"]

SENDS = ("sendMessage", "sendDocument")
# Exception class names of aiogram and python-telegram-bot, by the code they stand for.
_CODES = {
    "TelegramRetryAfter": "429",
    "RetryAfter": "429",
    "TelegramBadRequest": "400",
    "BadRequest": "400",
    "TelegramUnauthorizedError": "401",
    "InvalidToken": "401",
    "Unauthorized": "401",
    "TelegramForbiddenError": "403",
    "Forbidden": "403",
    "TelegramNotFound": "404",
    "EndPointNotFound": "404",
    "TelegramConflictError": "409",
    "Conflict": "409",
    "TelegramEntityTooLarge": "413",
    "TelegramServerError": "5xx",
    "RestartingTelegram": "5xx",
    "TimedOut": "timeout",
    "TimeoutError": "timeout",
    "TelegramNetworkError": "network",
    "NetworkError": "network",
    "ClientError": "network",
    "OSError": "network",
}
_UNREACHED = ("timeout", "network", "other")  # the Bot API itself did not answer


def error_code(exc: BaseException) -> str:
    """The Bot API's answer an exception stands for: an HTTP status, or network/timeout."""
    for cls in type(exc).__mro__:
        if cls.__name__ in _CODES:
            return _CODES[cls.__name__]
    return "other"


def update_kind(data: dict[str, Any]) -> str:
    """press, command, text, media, edited or other: what a raw update is, no content."""
    if "callback_query" in data:
        return "press"
    message = data.get("message")
    if isinstance(message, dict):
        text = message.get("text")
        if isinstance(text, str):
            return "command" if text.startswith("/") else "text"
        return "media"
    if "edited_message" in data:
        return "edited"
    return "other"


@dataclass
class _Arrival:
    at: float
    replied: bool = False


@dataclass
class _Queued:
    at: float
    went: bool = False


_arrival: ContextVar[_Arrival | None] = ContextVar("wegwijs_update_arrival", default=None)
_queued: ContextVar[_Queued | None] = ContextVar("wegwijs_outbox_queued", default=None)


class ObservedAdapter:
    """An adapter (`runner.Adapter`) whose calls are measured; everything else is the
    inner adapter's."""

    def __init__(self, inner: Any, health: Health) -> None:
        self.inner = inner
        self.health = health

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def send_message(self, *args: Any) -> Awaitable[Any]:
        return self._observe("sendMessage", lambda: self.inner.send_message(*args))

    def send_document(self, *args: Any) -> Awaitable[Any]:
        return self._observe("sendDocument", lambda: self.inner.send_document(*args))

    def answer_callback(self, *args: Any) -> Awaitable[Any]:
        return self._observe("answerCallbackQuery", lambda: self.inner.answer_callback(*args))

    def clear_keyboard(self, *args: Any) -> Awaitable[Any]:
        return self._observe("editMessageReplyMarkup", lambda: self.inner.clear_keyboard(*args))

    def username(self) -> Awaitable[str]:
        """At start: the token checked, the Bot API reached."""
        return self._observe("getMe", self.inner.username)

    async def ping(self) -> None:
        """Ask the Bot API who the bot is: proof that it can be reached."""
        await self._observe("getMe", lambda: self.inner.bot.get_me())

    async def _observe(self, method: str, call: Callable[[], Awaitable[Any]]) -> Any:
        queued = _queued.get()
        if queued is not None and not queued.went:
            queued.went = True
            M.OUTBOX_WAIT.observe(time.monotonic() - queued.at)
        try:
            result = await call()
        except Exception as exc:
            code = error_code(exc)
            if code == "429":
                M.BOT_API_RATE_LIMITED.labels(method).inc()
            else:
                M.BOT_API_ERRORS.labels(method, code).inc()
            if code not in _UNREACHED:
                self.health.bot_api_reached()
            raise
        self.health.bot_api_reached()
        arrival = _arrival.get()
        if arrival is not None:
            if method == "answerCallbackQuery":
                M.PRESS_TO_ANSWER.observe(time.monotonic() - arrival.at)
            elif method in SENDS and not arrival.replied:
                arrival.replied = True
                M.UPDATE_TO_REPLY.observe(time.monotonic() - arrival.at)
        return result


def observe(bot: Bot, health: Health) -> Bot:
    """Wrap `bot`'s adapter, update handler and outbox (see the module's docstring)."""
    health.expect_bot_api()
    bot.adapter = ObservedAdapter(bot.adapter, health)
    handle, send = bot.handle_raw, bot.outbox.send

    async def handle_raw(data: dict[str, Any], *, webhook: bool = False) -> None:
        kind = update_kind(data)
        update_id = data.get("update_id")
        arrival = _arrival.set(_Arrival(time.monotonic()))
        named = update_id_var.set(update_id if isinstance(update_id, int) else None)
        try:
            await handle(data, webhook=webhook)
        except Exception:
            M.UPDATES.labels(kind, "error").inc()
            raise
        else:
            M.UPDATES.labels(kind, "ok").inc()
        finally:
            update_id_var.reset(named)
            _arrival.reset(arrival)

    async def counted_send(*args: Any, **kwargs: Any) -> Any:
        token = _queued.set(_Queued(time.monotonic()))
        M.OUTBOX_QUEUED.inc()
        try:
            return await send(*args, **kwargs)
        finally:
            M.OUTBOX_QUEUED.dec()
            _queued.reset(token)

    # Instance attributes shadow the methods: the runner calls `self.handle_raw` (polling
    # and the webhook) and `self.outbox.send`, so both go through the wrappers.
    bot.handle_raw = handle_raw  # type: ignore[method-assign]
    bot.outbox.send = counted_send  # type: ignore[method-assign]
    return bot


async def watch_bot_api(
    bot: Observable, health: Health, stop: asyncio.Event, *, every: float = 30.0
) -> None:
    """While nothing else reached the Bot API for `every` seconds (a quiet webhook
    worker, a long poll), ask it (getMe), so readiness tells a bot that can answer from
    one that cannot."""
    adapter = bot.adapter
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
        if stop.is_set():
            return
        age = health.bot_api_age()
        if (age is None or age >= every) and isinstance(adapter, ObservedAdapter):
            with contextlib.suppress(Exception):  # counted by code in _observe
                await asyncio.wait_for(adapter.ping(), 10)
