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

The Bot API away (connections cut, timeouts, 5xx) is not a reason to drop a reply: it
is tried again, waits doubling with jitter, holding its chat's turn (so its messages
stay in order), until the update it answers is `give_up` seconds old; meanwhile all
requests together go at `outage_rate`, and as soon as one gets through every waiting
one goes, within the budgets above. A reply given up is counted and its chat reported
(`on_give_up`). Other errors are tried `attempts` times.

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
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class Errors(Protocol):
    """What a framework's exception means (each adapter is one)."""

    def retry_after(self, exc: BaseException) -> float | None: ...  # a 429: seconds to wait
    def permanent(self, exc: BaseException) -> bool: ...  # retrying cannot fix it
    def transient(self, exc: BaseException) -> bool: ...  # the Bot API is away: reset, 5xx


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


class _GaveUp(Exception):
    """The Bot API stayed away until the update was too old for its answer to help."""


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
    attempts: int = 5  # for errors that are neither a 429 nor the Bot API being away
    drain: float = 3.0  # seconds after `close()` in which queued sends still go
    # The Bot API away (connection errors, 5xx): a send is retried until the update it
    # answers is `give_up` seconds old (a callback answer: `callback_give_up`, after which
    # Telegram refuses it anyway), `backoff` doubling up to `backoff_cap`, with jitter;
    # all requests together at most `outage_rate` a second meanwhile.
    give_up: float = 900.0
    callback_give_up: float = 30.0
    backoff: float = 1.0
    backoff_cap: float = 10.0
    outage_rate: float = 2.0
    on_give_up: Callable[[int], None] | None = None  # a chat whose message was given up
    jitter: Callable[[], float] = random.random  # 0..1
    given_up: int = 0  # sends given up since start (logged with each)
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
    _outage: Budget = field(init=False)
    _away: bool = False  # the last request met a Bot API that was away
    _back: asyncio.Event = field(default_factory=asyncio.Event)  # set: it answered again

    def __post_init__(self) -> None:
        self._global = Budget(self.rate, max(1.0, self.rate))
        self._outage = Budget(self.outage_rate, 1.0)
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
        errors: Errors,
        what: str,
        kind: Kind = Kind.MESSAGE,
        since: float | None = None,
        give_up: float | None = None,
    ) -> T | None:
        """Run `call` within the limits of its kind. Returns None when it finally failed
        or the outbox closed (logged by type only: messages can hold the token or the
        person's text). `since`: when the update it answers arrived (`clock()`), from
        which `give_up` (default: the outbox's) counts; not given: now, and no update
        (a reminder) so no chat is reported when it is given up."""
        self._busy(+1)
        limit = self.give_up if kind is not Kind.CALLBACK else self.callback_give_up
        limit = limit if give_up is None else min(limit, give_up)
        try:
            start = self.clock() if since is None else since
            if kind is Kind.CALLBACK:
                return await self._attempts(0, None, call, errors, what, kind, start + limit)
            chat = self._chats.get(chat_id)
            if chat is None:
                chat = self._chats[chat_id] = _Chat(Budget(self.per_chat_rate, self.per_chat_burst))
            chat.users += 1
            try:
                # The chat's lock is held through the retries: its messages stay in order.
                async with chat.lock:
                    return await self._attempts(
                        chat_id, chat, call, errors, what, kind, start + limit
                    )
            finally:
                chat.users -= 1
                if len(self._chats) > 10_000:
                    self._forget_quiet_chats()
        except Closed:
            log.info("%s not sent: shutting down", what)
            return None
        except _GaveUp:
            self.given_up += 1
            log.error(
                "%s given up: the Bot API stayed unreachable for %.0f s (%d given up so far)",
                what,
                limit,
                self.given_up,
            )
            if kind is Kind.MESSAGE and since is not None and self.on_give_up is not None:
                self.on_give_up(chat_id)
            return None
        finally:
            self._busy(-1)

    async def _attempts(
        self,
        chat_id: int,
        chat: _Chat | None,
        call: Callable[[], Awaitable[T]],
        errors: Errors,
        what: str,
        kind: Kind,
        deadline: float,
    ) -> T | None:
        backoff, attempt = self.backoff, 0
        while True:
            await self._until(self._all_paused_until)
            if self._away:  # one probe in turn, or all at once as soon as one got through
                await self._unless_back(self._outage.reserve(self.clock()) - self.clock())
            if chat is not None:
                # Wait until the chat may send, then book its slot at that moment.
                await self._until(chat.budget.free_at(self.clock()))
                if kind is Kind.MESSAGE:
                    await self._until(self._global.reserve(self.clock()))
                chat.budget.reserve(self.clock())
            outcome = await self._try(call, errors)
            if not isinstance(outcome, BaseException):
                return outcome[0]
            wait = errors.retry_after(outcome)
            if wait is not None:
                log.warning("%s: Telegram asks to wait %.1f s (429)", what, wait)
                self._pause_for(chat_id if chat is not None else None, wait)
                attempt += 1
                if attempt >= self.attempts:
                    log.error("%s failed: still asked to wait after %d attempts", what, attempt)
                    return None
                continue
            if errors.permanent(outcome) and kind is not Kind.MESSAGE:
                # A redelivered button press is answered again and its keyboard taken
                # away again; Telegram refuses both (already answered, not modified).
                # Nothing is lost: the spinner stops by itself, the keyboard is gone.
                log.info("%s refused: %s (a repeat, or too old)", what, type(outcome).__name__)
                return None
            if errors.transient(outcome):
                # The Bot API is away (reset, refused, 5xx): retried until it is back or
                # the update is too old for its answer to help.
                delay = backoff * (0.5 + 0.5 * self.jitter())  # jitter: no herd at recovery
                if self.clock() + delay > deadline:
                    raise _GaveUp
                log.warning("%s: %s, retrying in %.1f s", what, type(outcome).__name__, delay)
                await self._unless_back(delay)
                backoff = min(backoff * 2, self.backoff_cap)
                continue
            attempt += 1
            if errors.permanent(outcome) or attempt >= self.attempts:
                log.error("%s failed: %s (attempt %d)", what, type(outcome).__name__, attempt)
                return None
            log.warning("%s: %s, retrying in %.0f s", what, type(outcome).__name__, backoff)
            await self._pause(backoff)
            backoff = min(backoff * 2, self.backoff_cap)

    async def _try(
        self, call: Callable[[], Awaitable[T]], errors: Errors
    ) -> tuple[T] | BaseException:
        try:
            result = await call()
        except Exception as exc:  # each framework raises its own errors
            if errors.transient(exc) and not self._away:
                log.warning("the Bot API is unreachable (%s): sending slowly", type(exc).__name__)
                self._away, self._back = True, asyncio.Event()
            return exc
        if self._away:
            log.warning("the Bot API answers again")
            self._away = False
            self._outage = Budget(self.outage_rate, 1.0)
            self._back.set()  # every waiting retry goes now, within the budgets
        return (result,)

    async def _unless_back(self, seconds: float) -> None:
        """Wait `seconds`, or less if the Bot API answers again meanwhile."""
        back = self._back
        if back.is_set():
            await self._pause(seconds)
            return
        pause = asyncio.ensure_future(self._pause(seconds))
        answered = asyncio.ensure_future(back.wait())
        try:
            await asyncio.wait((pause, answered), return_when=asyncio.FIRST_COMPLETED)
        finally:
            pause.cancel()
            answered.cancel()
        if pause.done() and not pause.cancelled():
            pause.result()  # Closed: shutting down

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
