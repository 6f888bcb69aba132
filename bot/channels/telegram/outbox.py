"""Sending within Telegram's limits, without one chat ever waiting for another.

Telegram allows about one message a second in one chat (a short burst tolerated) and
about 30 a second overall, and answers a call over the limit with a 429 and
`retry_after`. So each call has a kind (`Kind`):

* a callback answer is not a message: it goes at once, outside every budget (the
  person's app shows a spinner until it arrives);
* a keyboard edit takes from its own chat's budget only;
* a message (`sendMessage`, `sendDocument`) takes from its chat's budget and then the
  overall one.

Waiting for a chat's budget holds only that chat's lock (it keeps one chat's messages in
order); the overall budget is a reservation (`Budget.reserve`), taken without a lock and
in arrival order, so a chat that used up its burst holds up no one else. A 429 for one
chat pauses that chat; a 429 without a chat, or 429s for two chats within one pause,
mean the bot as a whole is limited and pause everything.

Written here rather than taken from a library because each framework's own limiter
covers only itself, and both adapters must behave the same.

`close()` (shutdown) drains: for `drain` seconds what is queued still goes, in its turn
and within the limits, and so do replies to updates still being handled; a send that
would have to wait past that ends at once without sending, and so does every send after
it. The answers behind an unsent reply are already committed (it is lost as in a
crash), and an unsent reminder stays due in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

RetryAfter = Callable[[BaseException], float | None]  # seconds to wait if it is a 429
Permanent = Callable[[BaseException], bool]  # an error that retrying cannot fix
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class Kind(Enum):
    CALLBACK = "callback"  # answerCallbackQuery: no budget
    EDIT = "edit"  # editMessageReplyMarkup: its chat's budget
    MESSAGE = "message"  # sendMessage, sendDocument: its chat's and the overall budget


@dataclass
class Budget:
    """`rate` sends a second, up to `burst` at once: the generic cell rate algorithm.
    `reserve` hands out the next free moment and books it, so callers need no lock and
    are served in the order they asked."""

    rate: float
    burst: float
    _next: float = float("-inf")  # when the send after the booked ones is due
    paused_until: float = float("-inf")  # a 429's retry_after

    def reserve(self, now: float) -> float:
        """Book the earliest moment at or after `now` within the budget; returns it."""
        interval = 1.0 / self.rate
        at = max(now, self._next - (self.burst - 1) * interval, self.paused_until)
        self._next = max(self._next, at) + interval
        return at

    def free_at(self, now: float) -> float:
        """When `reserve` would book, without booking."""
        interval = 1.0 / self.rate
        return max(now, self._next - (self.burst - 1) * interval, self.paused_until)

    def idle(self, now: float) -> bool:
        """Nothing booked and no pause: a new bucket would be the same (forgettable)."""
        return self._next <= now and self.paused_until <= now


class Closed(Exception):
    """The outbox was closed (shutdown) while a send waited."""


@dataclass
class _Chat:
    budget: Budget
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # sends holding or waiting for the lock: the chat is not forgotten


@dataclass
class Outbox:
    rate: float = 25.0
    per_chat_rate: float = 1.0
    per_chat_burst: float = 3.0
    attempts: int = 5
    drain: float = 3.0  # seconds after `close()` in which queued sends still go
    sleep: Sleep = asyncio.sleep
    clock: Clock = time.monotonic
    _global: Budget = field(init=False)
    _chats: dict[int, _Chat] = field(default_factory=dict)
    _all_paused_until: float = float("-inf")  # a global 429: every kind waits
    _last_429: tuple[int, float] | None = None  # (chat, until) of the last per-chat 429
    _closing: asyncio.Event = field(default_factory=asyncio.Event)
    _deadline: float = float("inf")  # set by `close()`: nothing goes after it
    _sending: int = 0  # sends under way (waiting or calling), and work expecting some
    _idle: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._global = Budget(self.rate, max(1.0, self.rate))
        self._idle.set()

    def close(self) -> None:
        """Shutdown: queued sends that can go within `drain` seconds still go; one that
        would have to wait longer, and every send after that, ends without sending
        (returns None). `drained()` waits for them."""
        if not self._closing.is_set():
            self._deadline = self.clock() + self.drain if self.drain > 0 else float("-inf")
            self._closing.set()

    async def drained(self) -> None:
        """Wait until no send is under way or expected (after `close()`: within the
        drain, as no send waits past it)."""
        await self._idle.wait()

    @contextlib.asynccontextmanager
    async def expecting(self) -> AsyncIterator[None]:
        """Around work whose sends are still to come (an update being handled), so
        that `drained()` waits for its replies too."""
        self._busy(+1)
        try:
            yield
        finally:
            self._busy(-1)

    def _busy(self, change: int) -> None:
        self._sending += change
        if self._sending:
            self._idle.clear()
        else:
            self._idle.set()

    async def _pause(self, seconds: float) -> None:
        until = self.clock() + max(seconds, 0.0)
        if until > self._deadline:
            raise Closed  # it would go after the drain: it does not go at all
        if seconds <= 1e-9:  # float dust is no wait
            return
        sleeper = asyncio.ensure_future(self.sleep(seconds))
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            await asyncio.wait((sleeper, closing), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            sleeper.cancel()
            raise
        finally:
            closing.cancel()
        if not sleeper.done() and until > self._deadline:
            sleeper.cancel()  # closed meanwhile, and this wait ends after the drain
            raise Closed
        await sleeper

    async def _until(self, moment: float) -> None:
        await self._pause(moment - self.clock())

    async def send(
        self,
        chat_id: int,
        call: Callable[[], Awaitable[T]],
        retry_after: RetryAfter,
        permanent: Permanent,
        what: str,
        kind: Kind = Kind.MESSAGE,
    ) -> T | None:
        """Run `call` within the limits of its kind. Returns None when it finally failed
        or the outbox closed (logged by type only: messages can hold the token or the
        person's text)."""
        self._busy(+1)
        try:
            return await self._send(chat_id, call, retry_after, permanent, what, kind)
        except Closed:
            log.info("%s not sent: shutting down", what)
            return None
        finally:
            self._busy(-1)

    async def _send(
        self,
        chat_id: int,
        call: Callable[[], Awaitable[T]],
        retry_after: RetryAfter,
        permanent: Permanent,
        what: str,
        kind: Kind,
    ) -> T | None:
        backoff = 1.0
        for attempt in range(1, self.attempts + 1):
            await self._until(self._all_paused_until)
            if kind is Kind.CALLBACK:
                outcome = await self._try(call)
            else:
                outcome = await self._in_chat(chat_id, call, kind)
            if not isinstance(outcome, BaseException):
                return outcome[0]
            wait = retry_after(outcome)
            if wait is not None:
                log.warning("%s: Telegram asks to wait %.1f s (429)", what, wait)
                self._pause_for(chat_id if kind is not Kind.CALLBACK else None, wait)
                continue
            if permanent(outcome) and kind is not Kind.MESSAGE:
                # A redelivered button press is answered again and its keyboard taken
                # away again; Telegram refuses both (already answered, not modified).
                # Nothing is lost: the spinner stops by itself, the keyboard is gone.
                log.info("%s refused: %s (a repeat, or too old)", what, type(outcome).__name__)
                return None
            if permanent(outcome) or attempt == self.attempts:
                log.error("%s failed: %s (attempt %d)", what, type(outcome).__name__, attempt)
                return None
            log.warning("%s: %s, retrying in %.0f s", what, type(outcome).__name__, backoff)
            await self._pause(backoff)
            backoff = min(backoff * 2, 30.0)
        log.error("%s failed: still asked to wait after %d attempts", what, self.attempts)
        return None

    async def _in_chat(
        self, chat_id: int, call: Callable[[], Awaitable[T]], kind: Kind
    ) -> tuple[T] | BaseException:
        """One attempt in the chat's turn: its own budget, then (a message) the overall
        one. The chat's lock keeps its messages in order and is needed by no other chat."""
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(Budget(self.per_chat_rate, self.per_chat_burst))
        chat.users += 1
        try:
            async with chat.lock:
                # Wait until the chat may send, then book its slot at that moment.
                await self._until(chat.budget.free_at(self.clock()))
                if kind is Kind.MESSAGE:
                    await self._until(self._global.reserve(self.clock()))
                chat.budget.reserve(self.clock())
                return await self._try(call)
        finally:
            chat.users -= 1
            if len(self._chats) > 10_000:
                self._forget_quiet_chats()

    @staticmethod
    async def _try(call: Callable[[], Awaitable[T]]) -> tuple[T] | BaseException:
        try:
            return (await call(),)
        except Exception as exc:  # each framework raises its own errors
            return exc

    def _pause_for(self, chat_id: int | None, wait: float) -> None:
        """A 429: pause its chat; pause everything when it has no chat or when another
        chat is paused too (Telegram limits the bot, not one chat)."""
        now = self.clock()
        until = now + wait
        other = self._last_429
        if chat_id is None or (other is not None and other[0] != chat_id and other[1] > now):
            self._all_paused_until = max(self._all_paused_until, until)
            self._global.paused_until = max(self._global.paused_until, until)
            return
        self._last_429 = (chat_id, until)
        chat = self._chats.get(chat_id)
        if chat is not None:
            chat.budget.paused_until = max(chat.budget.paused_until, until)

    def _forget_quiet_chats(self) -> None:
        """A chat with nothing booked is like a new one: forget it (memory stays flat)."""
        now = self.clock()
        self._chats = {
            chat_id: chat
            for chat_id, chat in self._chats.items()
            if chat.users or not chat.budget.idle(now)
        }
