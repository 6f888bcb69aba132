"""Simulated people talking to a bot through the fake Bot API, and what a run measured
(`Result`).

Timing happens at the fake server (tests/e2e/fake_bot_api.py, in this process): an
update's latency runs from the moment getUpdates hands it to the bot (or the moment it is
posted to a webhook) until the bot's answer arrives as a sendMessage. Wegwijs ends every
turn of the pre-intake with the question's buttons, so "the answer" is the first
sendMessage with an inline keyboard; for the echo bot it is its one message.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bench.common import LANGS, REPLY_TIMEOUT, USER_CHAT_BASE
from bench.processes import cpu_seconds, machine_cpu_seconds, postgres_cpu_seconds
from tests.e2e.fake_bot_api import Call, FakeBotApi


@dataclass
class _Pending:
    update_id: int
    sent: float
    future: asyncio.Future[tuple[float, Call]]
    delivered: float | None = None


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


@dataclass
class Result:
    turns: int
    seconds: float
    latencies: list[float]
    lost: int
    bot_cpu: float = 0.0  # CPU seconds of the bot process(es) in the window
    harness_cpu: float = 0.0  # CPU seconds of this process (fake server + people)
    errors: int = 0  # tracebacks the bot logged
    machine_cpu: float = 0.0  # CPU seconds of the whole machine in the window
    postgres_cpu: float = 0.0  # of those, PostgreSQL's

    @property
    def other_cpu(self) -> float:
        """The machine's CPU seconds in the window that none of the measured processes
        used: the kernel's share of the traffic, the hypervisor, other processes."""
        return max(0.0, self.machine_cpu - self.bot_cpu - self.harness_cpu - self.postgres_cpu)

    def cpu_shares(self) -> str:
        """Where the machine's CPU went in the window, in cores (1.00 = one core busy)."""
        window = self.seconds or 1.0
        idle = (os.cpu_count() or 1) * window - self.machine_cpu
        parts = [("bot", self.bot_cpu), ("harness", self.harness_cpu),
                 ("PostgreSQL", self.postgres_cpu), ("other", self.other_cpu),
                 ("idle", max(0.0, idle))]  # fmt: skip
        return ", ".join(f"{name} {value / window:.2f}" for name, value in parts)

    @property
    def per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")


Send = Callable[[int, dict[str, Any]], Awaitable[None]]


class People:
    """Simulated people, each typing "1" to the question on screen and waiting for the
    answer, then (in a latency run) thinking a while before the next message.

    Updates reach the bot through `FakeBotApi` getUpdates (polling) or by `post` to a
    webhook; replies are watched through the server's `on_call` hook.
    """

    def __init__(self, api: FakeBotApi, *, echo: bool = False, post: Send | None = None) -> None:
        self.api, self.echo, self.post = api, echo, post
        self._pending: dict[int, _Pending] = {}
        self._update_ids = itertools.count(50_000_000)
        self._message_ids: dict[int, Iterator[int]] = {}
        self.sent: Counter[int] = Counter()  # messages sent per chat
        self.replies: dict[int, list[Call]] = {}  # each turn's answer per chat, in order
        api.on_delivered = self._delivered
        api.on_call = self._called

    def _delivered(self, update: dict[str, Any]) -> None:
        chat = (update.get("message") or {}).get("chat", {}).get("id")
        pending = self._pending.get(chat) if chat is not None else None
        if pending is not None and pending.update_id == update["update_id"]:
            pending.delivered = pending.delivered or time.perf_counter()

    def _called(self, call: Call) -> None:
        if call.method != "sendMessage" or call.status != 200:
            return
        pending = self._pending.get(int(call.params.get("chat_id") or 0))
        if pending is None or pending.future.done():
            return
        if self.echo or "reply_markup" in call.params:
            pending.future.set_result((time.perf_counter(), call))

    def update(self, chat: int, text: str, lang: str) -> dict[str, Any]:
        """A private text message from `chat`, as Telegram would post it."""
        ids = self._message_ids.setdefault(chat, itertools.count(1))
        sender = {"id": chat, "is_bot": False, "first_name": "Bench", "language_code": lang}
        message = {
            "message_id": next(ids),
            "from": sender,
            "chat": {"id": chat, "type": "private", "first_name": "Bench"},
            "date": int(time.time()),
            "text": text,
        }
        return {"update_id": next(self._update_ids), "message": message}

    async def say(self, chat: int, text: str, lang: str) -> tuple[float, Call] | None:
        """Send one message and wait for the turn's answer: (latency s, reply) or None."""
        loop = asyncio.get_running_loop()
        if self.post is None:
            start = time.perf_counter()
            update_id = self.api.push_text(chat, text, language_code=lang)
            pending = _Pending(update_id, start, loop.create_future())
            self._pending[chat] = pending
        else:
            update = self.update(chat, text, lang)
            start = time.perf_counter()
            pending = _Pending(update["update_id"], start, loop.create_future(), start)
            self._pending[chat] = pending
            await self.post(chat, update)
        self.sent[chat] += 1
        try:
            at, call = await asyncio.wait_for(pending.future, REPLY_TIMEOUT)
        except TimeoutError:
            return None
        finally:
            self._pending.pop(chat, None)
        self.replies.setdefault(chat, []).append(call)
        return at - (pending.delivered or pending.sent), call

    async def run(
        self,
        chats: list[int],
        *,
        concurrency: int,
        seconds: float,
        warmup: float,
        think: float = 0.0,
        pids: tuple[int, ...] = (),
    ) -> Result:
        """`concurrency` people at once for `warmup + seconds`; figures count only the
        turns answered within the last `seconds`. A person whose intake reaches the
        review hands over to the next unused chat in `chats`."""
        spare = iter(chats[concurrency:])
        start = time.perf_counter()
        window_start, stop = start + warmup, start + warmup + seconds
        latencies: list[float] = []  # of turns asked and answered within the window
        answered_in_window = 0  # turns answered within the window, whenever asked
        lost = 0
        cpu_marks: dict[str, float] = {}

        async def person(chat: int, n: int) -> None:
            nonlocal lost, answered_in_window
            rng = random.Random(n)
            if think:  # an exponential first pause too: arrivals are steady from the start
                pause = rng.expovariate(1 / think)
                await asyncio.sleep(min(pause, max(0.0, stop - time.perf_counter())))
            while time.perf_counter() < stop:
                asked = time.perf_counter()
                answered = await self.say(chat, "1", LANGS[n % len(LANGS)])
                if answered is None:
                    lost += 1
                    return
                latency, reply = answered
                now = time.perf_counter()
                if window_start <= now <= stop:
                    answered_in_window += 1
                    if asked >= window_start:
                        latencies.append(latency)
                if not self.echo and "r:send" in str(reply.params.get("reply_markup")):
                    following = next(spare, None)  # this person is done: the next begins
                    if following is None:
                        return
                    chat = following
                if think:  # but not past the end
                    pause = rng.expovariate(1 / think)
                    await asyncio.sleep(min(pause, max(0.0, stop - time.perf_counter())))

        async def mark() -> None:
            await asyncio.sleep(max(0.0, window_start - time.perf_counter()))
            before = _cpu_marks(pids)
            await asyncio.sleep(max(0.0, stop - time.perf_counter()))
            after = _cpu_marks(pids)
            cpu_marks.update({key: after[key] - before[key] for key in after})

        marker = asyncio.create_task(mark())
        await asyncio.gather(*(person(chats[i], i) for i in range(concurrency)))
        await marker
        return Result(
            answered_in_window, seconds, latencies, lost, cpu_marks["bot"], cpu_marks["harness"],
            machine_cpu=cpu_marks["machine"], postgres_cpu=cpu_marks["postgres"],
        )  # fmt: skip


def _cpu_marks(pids: tuple[int, ...]) -> dict[str, float]:
    return {
        "bot": sum(cpu_seconds(pid) for pid in pids),
        "harness": time.process_time(),
        "machine": machine_cpu_seconds(),
        "postgres": postgres_cpu_seconds(),
    }


def user_chats(count: int) -> list[int]:
    return [USER_CHAT_BASE + g for g in range(1, count + 1)]
