"""Sending within Telegram's limits: about 30 messages a second overall and about one a
second per chat (a short burst allowed), obeying a 429's retry_after, and retrying other
failures with backoff. Written here rather than taken from a library because each
framework's own limiter covers only itself, and both adapters must behave the same."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

RetryAfter = Callable[[BaseException], float | None]  # seconds to wait if it is a 429
Permanent = Callable[[BaseException], bool]  # an error that retrying cannot fix


@dataclass
class Bucket:
    """A token bucket: `rate` per second, up to `burst` at once."""

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    tokens: float = -1.0
    stamp: float = 0.0

    def delay(self) -> float:
        """Seconds until a token is free (0: free now); takes nothing."""
        now = self.clock()
        if self.tokens < 0:
            self.tokens, self.stamp = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        missing = 1 - self.tokens
        return 0.0 if missing <= 1e-9 else missing / self.rate  # float dust is no wait

    def take(self) -> None:
        self.tokens = max(0.0, self.tokens - 1)

    def wait_time(self) -> float:
        """Take a token if one is free (0.0), else say how long until one is."""
        delay = self.delay()
        if delay == 0:
            self.take()
        return delay


@dataclass
class Outbox:
    rate: float = 25.0
    per_chat_rate: float = 1.0
    per_chat_burst: float = 3.0
    attempts: int = 5
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _global: Bucket = field(init=False)
    _chats: dict[int, Bucket] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        self._global = Bucket(self.rate, max(1.0, self.rate))

    async def _slot(self, chat_id: int) -> None:
        async with self._lock:  # one caller at a time takes tokens, in arrival order
            bucket = self._chats.setdefault(
                chat_id, Bucket(self.per_chat_rate, self.per_chat_burst)
            )
            # Wait until both have a token, and only then take one from each.
            while (delay := max(bucket.delay(), self._global.delay())) > 0:
                await self.sleep(delay)
            bucket.take()
            self._global.take()
        if len(self._chats) > 10_000:  # forget quiet chats; a new bucket starts full
            self._chats = {chat_id: self._chats[chat_id]}

    async def send(
        self,
        chat_id: int,
        call: Callable[[], Awaitable[T]],
        retry_after: RetryAfter,
        permanent: Permanent,
        what: str,
    ) -> T | None:
        """Run `call` within the limits. Returns None when it finally failed (logged by
        type only: messages can hold the token or the person's text)."""
        backoff = 1.0
        for attempt in range(1, self.attempts + 1):
            await self._slot(chat_id)
            try:
                return await call()
            except Exception as exc:  # each framework raises its own errors
                wait = retry_after(exc)
                if wait is not None:
                    log.warning("%s: Telegram asks to wait %.1f s (429)", what, wait)
                    await self.sleep(wait)
                    continue
                if permanent(exc) or attempt == self.attempts:
                    log.error("%s failed: %s (attempt %d)", what, type(exc).__name__, attempt)
                    return None
                log.warning("%s: %s, retrying in %.0f s", what, type(exc).__name__, backoff)
                await self.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
        log.error("%s failed: still asked to wait after %d attempts", what, self.attempts)
        return None
