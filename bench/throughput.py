"""End-to-end throughput and latency, and flat cost as cases grow.

200 simulated people send updates through the fake Bot API to `wegwijs run` (polling,
aiogram) and, in the same harness, to a bare aiogram echo bot (bench/echo_bot.py). Two
phases per bot:

* throughput: all 200 at once, each sending the next message as soon as the answer
  came (a closed loop: the bot is saturated), counted as answered updates a second;
* latency: the same 200 people, each thinking a while (exponential, mean THINK s)
  before the next message — a busy hour, below saturation — with p50/p95/p99 of
  update-to-reply. At saturation latency only measures the queue (Little's law).

Wegwijs runs on SQLite and PostgreSQL with 1,000 and with 100,000 cases in the database
(bulk-seeded: each with a chat, a conversation and five answers); the flat-cost ratio is
the latency at 100,000 over the latency at 1,000.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.common import WEGWIJS, Bench
from bench.databases import database, seed
from bench.people import People, Result, user_chats
from bench.processes import BotProcess, bot_env, cli, peak_rss_mb, wait_polling
from bench.profile import PROFILES, Profile, record, write_report
from bench.report import Figure
from tests.e2e.fake_bot_api import FakeBotApi

NAME = "throughput"
USERS = 200
THINK = 20.0  # s: 200 people, one message every 20 s on average ≈ 10 updates a second
SPARE = 1000  # people who take over when one reaches the review
RATIO_GOAL = {"sqlite": 0.5, "postgresql": 0.35}  # issue #12: per database
P99_GOAL_MS = 50.0
FLAT_GOAL = 1.2
MEMORY_GOAL_MB = 200.0


async def measure(
    bench: Bench, api: FakeBotApi, bot: BotProcess, *, echo: bool
) -> tuple[Result, Result]:
    """(throughput phase, latency phase) against a running bot."""
    seconds, paced_seconds, warmup = (4.0, 6.0, 1.0) if bench.quick else (10.0, 16.0, 2.0)
    people = People(api, echo=echo)
    chats = user_chats(USERS + SPARE)
    closed = await people.run(
        chats, concurrency=USERS, seconds=seconds, warmup=warmup, pids=(bot.pid,)
    )
    # Fresh people for the latency phase, so both phases start at the first question.
    rest = chats[USERS + SPARE // 2 :] if not echo else chats
    paced = await people.run(
        rest,
        concurrency=USERS,
        seconds=paced_seconds,
        warmup=warmup,
        think=THINK,
        pids=(bot.pid,),
    )
    return closed, paced


async def run_echo(bench: Bench) -> tuple[Result, Result, float]:
    async with FakeBotApi() as api:
        bot = BotProcess(
            [sys.executable, "-m", "bench.echo_bot"],
            bot_env(api, None, bench.workdir),
            bench.workdir / "echo.log",
        )
        await bot.start()
        try:
            await bot.ready(wait_polling(api))
            closed, paced = await measure(bench, api, bot, echo=True)
            return closed, paced, peak_rss_mb(bot.pid)
        finally:
            await bot.stop()


@dataclass
class Run:
    closed: Result  # saturated
    paced: Result  # a busy hour
    rss: float  # peak MB
    profile: Profile | None = None  # where the CPU went at saturation


async def run_wegwijs(bench: Bench, kind: str, cases: int, *, profile: bool = False) -> Run:
    """`wegwijs run` on a seeded database: both phases, then (with `profile`) one more
    saturated stretch under py-spy, apart so that sampling does not touch the figures."""
    async with FakeBotApi() as api, database(kind, bench.workdir, f"{kind}{cases}") as url:
        env = bot_env(api, url, bench.workdir)
        cli(env, "db", "upgrade")
        await seed(url, cases, USERS + SPARE)
        bot = BotProcess(
            [WEGWIJS, "run", "--framework", "aiogram", "--no-dashboard", "--no-chat"],
            env,
            bench.workdir / f"wegwijs-{kind}-{cases}.log",
        )
        await bot.start()
        sampled = None
        try:
            await bot.ready(wait_polling(api))
            closed, paced = await measure(bench, api, bot, echo=False)
            rss = peak_rss_mb(bot.pid)
            if profile:
                sampled = await _profiled(bench, api, bot, bench.workdir / f"spy-{kind}.txt")
                if sampled is not None:
                    title = f"wegwijs run on {kind}, 200 people, saturated (bench/throughput.py)"
                    write_report(sampled, PROFILES / f"throughput-{kind}.txt", title)
        finally:
            await bot.stop()
        closed.errors = bot.errors()
        return Run(closed, paced, rss, sampled)


async def _profiled(bench: Bench, api: FakeBotApi, bot: BotProcess, path: Path) -> Profile | None:
    seconds = 4.0 if bench.quick else 8.0
    people = People(api)
    load = asyncio.create_task(
        people.run(user_chats(USERS + SPARE), concurrency=USERS, seconds=seconds, warmup=1.0)
    )
    await asyncio.sleep(1.0)
    sampled = await record(bot.pid, seconds - 1.0, path)
    await load
    return sampled


def _why_slower(kind: str, run: Run, echo: Result) -> str:
    """What a saturated update costs next to the echo bot's, and where it goes."""
    if not run.closed.turns or not echo.turns:
        return ""
    ours = 1000 * run.closed.bot_cpu / run.closed.turns
    theirs = 1000 * echo.bot_cpu / echo.turns
    where = ""
    if run.profile is not None:
        where = f"; py-spy, bench/profiles/throughput-{kind}.txt: {run.profile.summary()}"
    return f"CPU per update {ours:.2f} ms, the echo bot's {theirs:.2f} ms{where}"


def _describe(bench: Bench, label: str, closed: Result, paced: Result) -> None:
    bench.log(
        f"  {label}: {closed.per_second:.0f} updates/s saturated "
        f"(bot CPU {closed.bot_cpu / closed.seconds:.0%}, harness "
        f"{closed.harness_cpu / closed.seconds:.0%}); at {paced.per_second:.0f}/s p50 "
        f"{paced.ms(50):.1f} ms p95 {paced.ms(95):.1f} ms p99 {paced.ms(99):.1f} ms; "
        f"lost {closed.lost + paced.lost}"
    )


async def run(bench: Bench) -> list[Figure]:
    figures: list[Figure] = []
    echo_closed, echo_paced, echo_rss = await run_echo(bench)
    _describe(bench, "echo bot", echo_closed, echo_paced)
    figures += [
        Figure(NAME, "Echo bot: updates per second (saturated)", echo_closed.per_second,
               "updates/s",
               note=f"bot CPU {echo_closed.bot_cpu / echo_closed.seconds:.0%}, harness "
               f"{echo_closed.harness_cpu / echo_closed.seconds:.0%} of a core"),
        Figure(NAME, "Echo bot: p99 update-to-reply (paced)", echo_paced.ms(99), "ms",
               note=f"at {echo_paced.per_second:.0f} updates/s"),
    ]  # fmt: skip
    kinds = ["sqlite", "postgresql"] if bench.postgres else ["sqlite"]
    for kind in kinds:
        name = "SQLite" if kind == "sqlite" else "PostgreSQL"
        measured: dict[int, Run] = {}
        for cases in (1_000, 100_000):
            measured[cases] = await run_wegwijs(bench, kind, cases, profile=cases == 1_000)
            done = measured[cases]
            _describe(bench, f"{name}, {cases:,} cases", done.closed, done.paced)
        small, large = measured[1_000], measured[100_000]
        ratio = small.closed.per_second / echo_closed.per_second
        flat = large.paced.ms(50) / small.paced.ms(50)
        lost = sum(r.lost for m in measured.values() for r in (m.closed, m.paced))
        met = ratio >= RATIO_GOAL[kind]
        sqlite = kind == "sqlite"
        figures += [
            Figure(NAME, f"{name}: updates per second (saturated, 1,000 cases)",
                   small.closed.per_second, "updates/s",
                   note=f"bot CPU {small.closed.bot_cpu / small.closed.seconds:.0%} of a core"),
            Figure(NAME, f"{name}: throughput ÷ echo bot's", round(ratio, 2), "",
                   goal=f"≥ {RATIO_GOAL[kind]}", met=met,
                   note="" if met else _why_slower(kind, small, echo_closed)),
            Figure(NAME, f"{name}: p50 / p95 update-to-reply (paced, 1,000 cases)",
                   f"{small.paced.ms(50):.1f} / {small.paced.ms(95):.1f}", "ms",
                   note=f"at {small.paced.per_second:.0f} updates/s"),
            Figure(NAME, f"{name}: p99 update-to-reply (paced, 1,000 cases)",
                   small.paced.ms(99), "ms",
                   goal=f"≤ {P99_GOAL_MS:.0f} ms" if sqlite else None,
                   met=small.paced.ms(99) <= P99_GOAL_MS if sqlite else None),
            Figure(NAME, f"{name}: p99 update-to-reply (paced, 100,000 cases)",
                   large.paced.ms(99), "ms"),
            Figure(NAME, f"{name}: p50 latency, 100,000 ÷ 1,000 cases", round(flat, 2), "",
                   goal=f"≤ {FLAT_GOAL}", met=flat <= FLAT_GOAL,
                   note=f"throughput {large.closed.per_second / small.closed.per_second:.2f}×"),
            Figure(NAME, f"{name}: updates without an answer", lost, "", goal="0",
                   met=lost == 0),
        ]  # fmt: skip
        if sqlite:
            figures.append(
                Figure("memory", "Peak RSS of wegwijs run, 100,000 cases (SQLite)",
                       round(large.rss, 1), "MB", goal=f"≤ {MEMORY_GOAL_MB:.0f} MB",
                       met=large.rss <= MEMORY_GOAL_MB,
                       note=f"{small.rss:.0f} MB with 1,000 cases, after both phases; the "
                       f"echo bot: {echo_rss:.0f} MB (aiogram's ~400 types built at import; "
                       "Wegwijs builds those it uses when first used)")
            )  # fmt: skip
    return figures
