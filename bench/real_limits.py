"""The headline: `wegwijs run` at Telegram's real limits, as a municipality runs it —
TELEGRAM_CHAT_RATE=1 (one message a second per chat, a burst of three) and the
municipality file's 25 messages a second overall.

Two scenes, both on SQLite, polling with aiogram, against the fake Bot API:

* a busy hour: 200 people answering at a human pace (each thinks 20 s on average, so
  about 10 updates a second in all), pressing the answer buttons where there are some
  and typing otherwise: p50/p99 from an update to the reply with the next question, and
  from a button press to its answerCallbackQuery (the end of the button's spinner);
* a group after an information meeting: 50 people, each on a question with buttons,
  press within the same second: the time until the last of them has the next question.

The time of an update starts when getUpdates hands it to the bot (the bot's long poll
waits for it, so that is when it was sent).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass, field

from bench.common import WEGWIJS, Bench
from bench.databases import database, seed
from bench.people import percentile, user_chats
from bench.processes import BotProcess, bot_env, cli, cpu_seconds, wait_polling
from bench.report import Figure
from tests.e2e.fake_bot_api import Call, FakeBotApi

NAME = "real_limits"
PEOPLE = 200
THINK = 20.0  # s: 200 people ≈ 10 updates a second
SPARE = 400  # people who take over when one reaches the review
BURST = 50
CALLBACK_GOAL_MS = 100.0
REPLY_GOAL_MS = 1000.0
BURST_GOAL_S = 3.0
TIMEOUT = 30.0


@dataclass
class _Turn:
    update_id: int
    pushed: float
    press: bool
    delivered: float | None = None
    replied: asyncio.Future[float] = field(default_factory=asyncio.Future)
    answered: float | None = None  # the answerCallbackQuery's arrival


class Watch:
    """Times each person's current turn at the fake server: its delivery to the bot,
    the answer to its button press, and the reply with the next question."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.turns: dict[int, _Turn] = {}
        self.callbacks: list[float] = []  # press → answerCallbackQuery, s
        api.on_delivered = self._delivered
        api.on_call = self._called

    def _delivered(self, update: dict) -> None:
        body = update.get("message") or (update.get("callback_query") or {}).get("message") or {}
        turn = self.turns.get(body.get("chat", {}).get("id"))
        if turn is not None and turn.update_id == update["update_id"]:
            turn.delivered = turn.delivered or time.perf_counter()

    def _called(self, call: Call) -> None:
        now = time.perf_counter()
        if call.status != 200:
            return
        if call.method == "answerCallbackQuery":
            turn = self.turns.get(self.api.chat_of(call) or 0)
            if turn is not None and turn.press and turn.answered is None:
                turn.answered = now
                self.callbacks.append(now - (turn.delivered or turn.pushed))
        elif call.method == "sendMessage" and "reply_markup" in call.params:
            turn = self.turns.get(int(call.params.get("chat_id") or 0))
            if turn is not None and not turn.replied.done():
                turn.replied.set_result(now)

    async def act(self, chat: int, toggled: bool) -> tuple[float | None, bool, bool]:
        """One turn: press the answer on screen, or type "1". Returns (seconds from the
        update to the reply, or None if none came; whether it was a press; whether the
        person has reached the review)."""
        keyboard = [data or "" for row in self.api.last_keyboard(chat) for _, data in row]
        answer = next((d for d in keyboard if d.startswith("a:")), None)
        done = next((d for d in keyboard if d.startswith("d:")), None) if toggled else None
        press = answer or done
        pushed = time.perf_counter()
        push = self.api.push_callback if press else self.api.push_text
        update_id = push(chat, press or "1")
        turn = self.turns[chat] = _Turn(update_id, pushed, press is not None)
        try:
            replied = await asyncio.wait_for(asyncio.shield(turn.replied), TIMEOUT)
        except TimeoutError:
            return None, press is not None, False
        finally:
            self.turns.pop(chat, None)
        latency = replied - (turn.delivered or turn.pushed)
        return latency, press is not None, "r:send" in str(self.api.last_keyboard(chat))


async def busy_hour(bench: Bench, watch: Watch, chats: list[int]) -> tuple[list[float], int]:
    """(update-to-reply latencies in the window, lost turns)."""
    seconds, warmup = (10.0, 2.0) if bench.quick else (40.0, 5.0)
    start = time.perf_counter()
    window, stop = start + warmup, start + warmup + seconds
    spare = iter(chats[PEOPLE:])
    latencies: list[float] = []
    lost = 0

    async def person(chat: int, n: int) -> None:
        nonlocal lost
        rng = random.Random(n)
        toggled = False
        await asyncio.sleep(rng.expovariate(1 / THINK) % (stop - start))
        while time.perf_counter() < stop:
            asked = time.perf_counter()
            latency, _pressed, finished = await watch.act(chat, toggled)
            if latency is None:
                lost += 1
                return
            if window <= asked:
                latencies.append(latency)
            toggled = not toggled and not _pressed
            if finished:
                following = next(spare, None)
                if following is None:
                    return
                chat, toggled = following, False
            await asyncio.sleep(
                min(rng.expovariate(1 / THINK), max(0.0, stop - time.perf_counter()))
            )

    await asyncio.gather(*(person(chats[i], i) for i in range(PEOPLE)))
    return latencies, lost


async def group_burst(watch: Watch, chats: list[int]) -> tuple[float, float, int]:
    """(seconds from the first press to the last person's next question, slowest
    callback answer in s, people without a next question)."""
    # Each on a question with answer buttons, then quiet long enough for every chat's
    # budget to refill: the press comes as after a moment of reading.
    for round_ in range(6):  # "1" shows the question, "1" chooses, "Done" goes on
        waiting = [c for c in chats if not any(
            (d or "").startswith("a:") for row in watch.api.last_keyboard(c) for _, d in row
        )]  # fmt: skip
        if not waiting:
            break
        await asyncio.gather(*(watch.act(c, toggled=round_ % 3 == 2) for c in waiting))
        await asyncio.sleep(4.0)
    await asyncio.sleep(4.0)
    callbacks_before = len(watch.callbacks)
    first = time.perf_counter()
    offsets = sorted(random.Random(7).uniform(0, 1.0) for _ in chats)

    async def press(chat: int, after: float) -> float | None:
        await asyncio.sleep(max(0.0, first + after - time.perf_counter()))
        latency, _, _ = await watch.act(chat, toggled=False)
        return None if latency is None else time.perf_counter() - first

    done = await asyncio.gather(*(press(c, o) for c, o in zip(chats, offsets, strict=True)))
    answered = [d for d in done if d is not None]
    slowest_callback = max(watch.callbacks[callbacks_before:], default=float("nan"))
    return max(answered, default=float("nan")), slowest_callback, len(done) - len(answered)


async def run(bench: Bench) -> list[Figure]:
    async with FakeBotApi() as api, database("sqlite", bench.workdir, "real") as url:
        # The defaults, as run: 1 a second per chat, the municipality file's 25 overall.
        env = bot_env(api, url, bench.workdir, raised=False)
        cli(env, "db", "upgrade")
        chats = user_chats(PEOPLE + SPARE + BURST)
        await seed(url, 1_000, len(chats))
        bot = BotProcess(
            [WEGWIJS, "run", "--framework", "aiogram", "--no-dashboard", "--no-chat"],
            env,
            bench.workdir / "wegwijs-real-limits.log",
        )
        await bot.start()
        try:
            await bot.ready(wait_polling(api))
            watch = Watch(api)
            cpu = cpu_seconds(bot.pid), time.process_time(), time.perf_counter()
            latencies, lost = await busy_hour(bench, watch, chats[: PEOPLE + SPARE])
            elapsed = time.perf_counter() - cpu[2]
            bot_cpu = (cpu_seconds(bot.pid) - cpu[0]) / elapsed
            harness_cpu = (time.process_time() - cpu[1]) / elapsed
            callbacks = list(watch.callbacks)
            burst_s, burst_callback_s, burst_lost = await group_burst(watch, chats[-BURST:])
        finally:
            await bot.stop()
        errors = bot.errors()
    rate = len(latencies) / (10.0 if bench.quick else 40.0)
    reply_p99 = percentile(latencies, 99) * 1000
    callback_p99 = percentile(callbacks, 99) * 1000
    bench.log(
        f"  busy hour: {len(latencies)} turns ({rate:.1f}/s), reply p50 "
        f"{percentile(latencies, 50) * 1000:.0f} ms p99 {reply_p99:.0f} ms; callback p50 "
        f"{percentile(callbacks, 50) * 1000:.0f} ms p99 {callback_p99:.0f} ms; lost {lost}; "
        f"burst of {BURST}: last reply {burst_s:.2f} s, slowest callback "
        f"{burst_callback_s * 1000:.0f} ms, unanswered {burst_lost}; tracebacks {errors}; "
        f"CPU in the busy hour: bot {bot_cpu:.0%}, harness {harness_cpu:.0%} of a core; "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    return [
        Figure(NAME, "Busy hour: p50 / p99 update-to-reply (200 people, real limits)",
               f"{percentile(latencies, 50) * 1000:.0f} / {reply_p99:.0f}", "ms",
               note=f"at {rate:.1f} updates/s; CPU: bot {bot_cpu:.0%}, harness "
               f"{harness_cpu:.0%} of a core"),
        Figure(NAME, "Busy hour: p99 update-to-reply (real limits)", round(reply_p99), "ms",
               goal=f"≤ {REPLY_GOAL_MS:.0f} ms", met=reply_p99 <= REPLY_GOAL_MS),
        Figure(NAME, "Busy hour: p50 / p99 button press to answerCallbackQuery",
               f"{percentile(callbacks, 50) * 1000:.1f} / {callback_p99:.1f}", "ms",
               note=f"{len(callbacks)} presses"),
        Figure(NAME, "Busy hour: p99 button press to answerCallbackQuery", round(callback_p99, 1),
               "ms", goal=f"≤ {CALLBACK_GOAL_MS:.0f} ms", met=callback_p99 <= CALLBACK_GOAL_MS),
        Figure(NAME, f"Group burst: {BURST} people press within one second, until the last "
               "has the next question", round(burst_s, 2), "s", goal=f"≤ {BURST_GOAL_S:.0f} s",
               met=burst_s <= BURST_GOAL_S,
               note=f"slowest callback answer {burst_callback_s * 1000:.0f} ms"),
        Figure(NAME, "Real limits: updates without an answer (and tracebacks)",
               lost + burst_lost + errors, "", goal="0", met=lost + burst_lost + errors == 0),
    ]  # fmt: skip
