"""Scale-out: three `wegwijs run --webhook` workers on one PostgreSQL, updates spread
over them round-robin (each update posted to the next worker, as a load balancer would).

Every conversation must stay correct: each person's answers in the database are exactly
the ones the engine gives for the messages sent — none lost, none doubled, in order — and
each reply asks the expected next question. On top of that, for some chats two different
updates are posted to two workers at the same moment (both must count, once each), and
one update is posted to two workers at once (it must count once): the account row lock
and the processed-update claim on PostgreSQL serialise them.

`check_scale_out` is shared by the benchmark and tests/e2e/test_scale_out.py.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bench.common import LANGS, USER_CHAT_BASE, WEBHOOK_SECRET, WEGWIJS, Bench
from bench.databases import database, seed
from bench.people import People, Result, user_chats
from bench.processes import BotProcess, bot_env, cli, free_port, wait_port
from bench.report import Figure
from flows.callbacks import (
    DoneChoosing,
    GoBack,
    PickNumber,
    PickOption,
    SkipQuestion,
    ToggleOption,
    parse,
)
from flows.engine import Context, Engine
from flows.events import Event
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.state import CaseFacts, Position, Stage, State
from storage.db import create_engine
from tests.e2e.fake_bot_api import FakeBotApi

NAME = "scale_out"
WORKERS = 3
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_NOW = datetime(2026, 12, 1, tzinfo=UTC)
QUESTION_BUTTONS = (PickOption, ToggleOption, SkipQuestion, PickNumber, DoneChoosing, GoBack)


def expected_answers(count: int, lang: str) -> list[str]:
    """The question ids that `count` messages of "1" answer, from the first message on
    (the first only brings up the first question), as the engine decides them."""
    engine = Engine(INTAKE, Context("bench", consent_version="x"), Renderer({}).text)
    state = State(position=Position(lang=lang), case=CaseFacts(has_case=True, consent_version="x"))
    answered: list[str] = []
    for _ in range(count):
        step = engine.step(state, Event.say("1"), _NOW)
        answered += [r.question_id for r in step.answers if r.value is not None]
        state = step.state
    return answered


def _expected_question(count: int, lang: str) -> str | None:
    """The question on screen after `count` messages of "1"."""
    engine = Engine(INTAKE, Context("bench", consent_version="x"), Renderer({}).text)
    state = State(position=Position(lang=lang), case=CaseFacts(has_case=True, consent_version="x"))
    for _ in range(count):
        state = engine.step(state, Event.say("1"), _NOW).state
    # At the end of the intake the review shows no question's buttons.
    return state.position.question if state.position.stage is Stage.QUESTION else None


@dataclass
class Workers:
    """Webhook workers and a round-robin poster in front of them."""

    ports: list[int]
    session: aiohttp.ClientSession
    _turn: itertools.cycle = field(init=False)

    def __post_init__(self) -> None:
        self._turn = itertools.cycle(range(len(self.ports)))

    async def post_to(self, worker: int, update: dict[str, Any]) -> None:
        url = f"http://127.0.0.1:{self.ports[worker]}/telegram/webhook"
        async with self.session.post(
            url, json=update, headers={SECRET_HEADER: WEBHOOK_SECRET}
        ) as response:
            if response.status != 200:
                raise RuntimeError(f"worker {worker} answered {response.status}")

    async def post(self, _chat: int, update: dict[str, Any]) -> None:
        await self.post_to(next(self._turn), update)


@dataclass
class Outcome:
    result: Result
    checked_chats: int
    problems: list[str]
    concurrent_checked: int


async def _answer_rows(url: str) -> dict[int, list[str]]:
    """Every answer row (superseded ones too) per simulated chat, in answering order."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT a.external_id, n.question_id FROM answer n "
                    "JOIN channel_account a ON a.case_id = n.case_id "
                    "WHERE a.external_id < :high AND a.external_id > :low "
                    "ORDER BY n.answered_at, n.id"
                ),
                {"low": USER_CHAT_BASE, "high": USER_CHAT_BASE + 10_000_000},
            )
            found: dict[int, list[str]] = {}
            for chat, question in rows:
                found.setdefault(int(chat), []).append(question)
            return found
    finally:
        await engine.dispose()


async def check_scale_out(
    workdir: Any,
    *,
    people: int,
    seconds: float,
    warmup: float,
    concurrent_chats: int,
    workers: int = WORKERS,
) -> Outcome:
    """Run the workers, talk to them, and list every inconsistency found."""
    problems: list[str] = []
    spare = 400
    async with FakeBotApi() as api, database("postgresql", workdir, f"scale{workers}") as url:
        env = bot_env(api, url, workdir)
        cli(env, "db", "upgrade")
        await seed(url, 1000, people + spare + concurrent_chats)
        ports = [free_port() for _ in range(workers)]
        bots = [
            BotProcess(
                [
                    WEGWIJS,
                    "run",
                    "--webhook",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-dashboard",
                    "--no-chat",
                ],
                env,
                workdir / f"worker-{n}.log",
            )
            for n, port in enumerate(ports)
        ]
        for bot in bots:
            await bot.start()
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            try:
                for bot, port in zip(bots, ports, strict=True):
                    await bot.ready(wait_port(port))
                poster = Workers(ports, session)
                talk = People(api, post=poster.post)
                chats = user_chats(people + spare)
                result = await talk.run(
                    chats,
                    concurrency=people,
                    seconds=seconds,
                    warmup=warmup,
                    pids=tuple(b.pid for b in bots),
                )
                sent = dict(talk.sent)
                replies = {chat: list(calls) for chat, calls in talk.replies.items()}
                extra = user_chats(people + spare + concurrent_chats)[-concurrent_chats:]
                concurrent = await _concurrent(talk, poster, extra)
            finally:
                for bot in bots:
                    await bot.stop()
        result.errors = sum(b.errors() for b in bots)
        rows = await _answer_rows(url)
    if result.lost:
        problems.append(f"{result.lost} update(s) got no answer")
    if result.errors:
        problems.append(f"the workers logged {result.errors} traceback(s)")
    for chat, count in sent.items():
        lang = LANGS[(chat - USER_CHAT_BASE - 1) % len(LANGS)]
        want = expected_answers(count, lang)
        got = rows.get(chat, [])
        if got != want:
            problems.append(f"chat {chat}: answers {got} after {count} messages, expected {want}")
        asked = [_keyboard_question(c.params) for c in replies.get(chat, [])]
        want_asked = [_expected_question(n, lang) for n in range(1, count + 1)]
        if asked != want_asked:
            problems.append(f"chat {chat}: replies asked {asked}, expected {want_asked}")
    for chat, count in concurrent.items():
        lang = LANGS[(chat - USER_CHAT_BASE - 1) % len(LANGS)]
        want = expected_answers(count, lang)
        if rows.get(chat, []) != want:
            problems.append(
                f"chat {chat} (concurrent updates): answers {rows.get(chat, [])}, expected {want}"
            )
    return Outcome(result, len(sent), problems, len(concurrent))


def _keyboard_question(params: dict[str, Any]) -> str | None:
    """The question id a reply's buttons belong to (an option, Skip, Back …)."""
    markup = params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            payload = parse(str(button.get("callback_data") or ""))
            if isinstance(payload, QUESTION_BUTTONS):
                return payload.question
    return None


async def _concurrent(talk: People, workers: Workers, chats: list[int]) -> dict[int, int]:
    """Per chat: bring up the first question, then two different updates to two workers
    at once, then one update posted to two workers at once. Returns how many messages
    of "1" each chat effectively sent (4: the duplicate counts once)."""
    counts: dict[int, int] = {}

    async def one(chat: int, n: int) -> None:
        lang = LANGS[(chat - USER_CHAT_BASE - 1) % len(LANGS)]
        count = len(workers.ports)
        first = talk.update(chat, "1", lang)
        await workers.post_to(n % count, first)
        pair = [talk.update(chat, "1", lang), talk.update(chat, "1", lang)]
        await asyncio.gather(
            workers.post_to(n % count, pair[0]), workers.post_to((n + 1) % count, pair[1])
        )
        twice = talk.update(chat, "1", lang)
        await asyncio.gather(
            workers.post_to(n % count, twice), workers.post_to((n + 2) % count, twice)
        )
        counts[chat] = 4

    await asyncio.gather(*(one(chat, n) for n, chat in enumerate(chats)))
    return counts


async def run(bench: Bench) -> list[Figure]:
    if not bench.postgres:
        return [Figure(NAME, "Three webhook workers on PostgreSQL", "not run", "",
                       note="PostgreSQL not reachable")]  # fmt: skip
    seconds, warmup = (4.0, 1.0) if bench.quick else (10.0, 2.0)
    outcomes: dict[int, Outcome] = {}
    for count in (1, WORKERS):
        outcome = await check_scale_out(
            bench.workdir, people=200, seconds=seconds, warmup=warmup, concurrent_chats=20,
            workers=count,
        )  # fmt: skip
        r = outcome.result
        for problem in outcome.problems[:20]:
            bench.log(f"  scale-out problem ({count} worker(s)): {problem}")
        bench.log(
            f"  {count} worker(s): {r.per_second:.0f} updates/s, p50 {r.ms(50):.1f} ms p99 "
            f"{r.ms(99):.1f} ms; {outcome.checked_chats} chats checked, "
            f"{len(outcome.problems)} problem(s); cores: {r.cpu_shares()}"
        )
        outcomes[count] = outcome
    one, three = outcomes[1].result, outcomes[WORKERS].result
    ratio = three.per_second / one.per_second if one.per_second else 0.0
    problems = outcomes[1].problems + outcomes[WORKERS].problems
    return [
        Figure(NAME, "1 webhook worker, PostgreSQL: updates per second (saturated)",
               one.per_second, "updates/s", note=f"cores: {one.cpu_shares()}"),
        Figure(NAME, "3 webhook workers, PostgreSQL: updates per second (saturated)",
               three.per_second, "updates/s", note=f"cores: {three.cpu_shares()}"),
        Figure(NAME, "3 webhook workers ÷ 1 worker", round(ratio, 2), "×", goal="≥ 2.5",
               met=ratio >= 2.5, note=_why_not_scaled(one, three, ratio)),
        Figure(NAME, "3 webhook workers: p50 / p99 update-to-reply (saturated)",
               f"{three.ms(50):.0f} / {three.ms(99):.0f}", "ms"),
        Figure(NAME, "1 and 3 webhook workers: conversations with a lost, doubled or "
               "out-of-order answer", len(problems), "",
               goal="0", met=not problems,
               note=f"{outcomes[WORKERS].checked_chats} chats round-robin, "
               f"{outcomes[WORKERS].concurrent_checked} with simultaneous updates"),
    ]  # fmt: skip


def _why_not_scaled(one: Result, three: Result, ratio: float) -> str:
    """The ceiling this machine puts on the ratio, from where its CPU went.

    With one worker, an update cost w, p and h CPU seconds in the worker, PostgreSQL and
    the harness; it costs that wherever it is handled. With three workers the machine's
    `cores`, less what the rest took ("other": the kernel's share of the traffic, the
    hypervisor, other processes), allow at most (cores - other) / (w + p + h) updates
    a second.
    """
    if ratio >= 2.5 or not one.turns or not three.seconds:
        return ""
    cores = os.cpu_count() or 1
    per_update = (one.bot_cpu + one.postgres_cpu + one.harness_cpu) / one.turns
    usable = cores - three.other_cpu / three.seconds
    ceiling = usable / per_update / one.per_second if per_update else float("inf")
    return (
        f"CPU-bound: an update costs {1000 * one.bot_cpu / one.turns:.2f} ms of CPU in a "
        f"worker, {1000 * one.postgres_cpu / one.turns:.2f} in PostgreSQL and "
        f"{1000 * one.harness_cpu / one.turns:.2f} in the harness (one worker); this "
        f"machine's {cores} cores, less {cores - usable:.2f} for the rest, allow at most "
        f"{usable / per_update:.0f} updates a second, {ceiling:.2f}× one worker; three "
        f"workers kept {three.machine_cpu / three.seconds / cores:.0%} of the cores busy. "
        "A core for each worker and for PostgreSQL would lift that ceiling"
    )
