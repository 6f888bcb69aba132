"""The web chat: how long one page step takes for a person without JavaScript — the form
post of a button, the redirect, and the next page (post, redirect, get) — at about ten
steps a second on SQLite, the load of a busy hour.

`wegwijs run --no-bot --no-worker --no-dashboard --chat …` serves the chat as a
subprocess, on a database with a municipality's caseload (1,000 cases, bulk-seeded) and
invite codes made through `bot.core` for the simulated people. Each person is an HTTP
client with its own cookie: opens the invite link, presses Start, then answers the
pre-intake one button at a time (their language, consent, the last answer of each
question or "rather in person"), thinking a while (exponential, mean THINK s) before each
press. A person whose intake is sent hands over to the next code. The step's time runs
from sending the post until the next page has been read whole; pages are counted in
bytes as they come over the wire (the issue asks ≤ 50 KB).
"""

from __future__ import annotations

import asyncio
import html
import os
import random
import re
import secrets
import time
from dataclasses import dataclass, field

import httpx

from bench.common import (
    LANGS,
    WEGWIJS,
    Bench,
    BotProcess,
    cli,
    cpu_seconds,
    database,
    free_port,
    percentile,
    seed,
    wait_port,
)
from bench.report import Figure

NAME = "web_chat"
PEOPLE = 200
THINK = 20.0  # s: 200 people, a press every 20 s on average ≈ 10 page steps a second
SPARE = 400  # codes for people who take over when one has sent their answers
CASES = 1_000  # the rest of the municipality's caseload
P99_GOAL_MS = 50.0
PAGE_GOAL_KB = 50.0
TIMEOUT = 30.0

_FIELD = re.compile(r'<input type="hidden" name="(k|v)" value="([^"]*)">')
_CHOICE = re.compile(r'<button type="submit" name="choice" value="([^"]*)"')


@dataclass
class Steps:
    latencies: list[float] = field(default_factory=list)  # s, of steps begun in the window
    posts: list[float] = field(default_factory=list)  # s, of those: the post until its redirect
    in_window: int = 0  # steps answered within the window, whenever begun
    failed: int = 0  # a step without a page, or a page without the next question
    largest_page: int = 0  # bytes of the biggest page read (body and headers)
    intakes_sent: int = 0


def _form(page: str) -> tuple[dict[str, str], list[str]]:
    """The choices form's hidden fields (the answer form has the same) and buttons."""
    start = page.find('id="choices"')
    part = page[start:] if start >= 0 else page
    fields = {name: html.unescape(value) for name, value in _FIELD.findall(part)[:2]}
    return fields, [html.unescape(value) for value in _CHOICE.findall(part)]


def _next_choice(choices: list[str], lang: str) -> str | None:
    """What the person presses: their language, yes to consent, send at the review, the
    last answer of a question with one answer, else "rather in person"."""
    if f"lang:{lang}" in choices:
        return f"lang:{lang}"
    for wanted in ("c:yes", "r:send"):
        if wanted in choices:
            return wanted
    singles = [c for c in choices if c.startswith(("a:", "n:"))]
    if singles:
        return singles[-1]
    return next((c for c in choices if c.startswith("s:")), None)


def _size(response: httpx.Response) -> int:
    head = sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
    return len(response.content) + head


async def make_cases(database_url: str, count: int) -> list[str]:
    """Invite codes of `count` new cases, made through `bot.core` as the dashboard does."""
    from bot.core.app import build
    from bot.settings import Settings

    app = build(Settings(_env_file=None, database_url=database_url))  # type: ignore[call-arg]
    try:
        return [(await app.service.create_case(label="bench")).invite_code for _ in range(count)]
    finally:
        await app.db.dispose()


async def measure(bench: Bench, url: str, codes: list[str], pid: int) -> tuple[Steps, float]:
    """(the steps, the server's CPU share) of PEOPLE paced people. They open their invite
    links before the clock starts, so presses come at the paced rate from the first
    second; a person who takes over opens theirs within the run (not timed)."""
    seconds, warmup = (10.0, 2.0) if bench.quick else (40.0, 4.0)
    steps = Steps()
    spare = iter(codes[PEOPLE:])
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients: list[httpx.AsyncClient] = []

    async def enter(code: str, lang: str) -> tuple[httpx.AsyncClient, httpx.Response]:
        client = httpx.AsyncClient(
            base_url=url, timeout=TIMEOUT, limits=limits, follow_redirects=True
        )
        clients.append(client)
        link = f"/c/{code.replace('-', '')}"
        await client.get(link)
        return client, await client.post(link, data={"lang": lang})

    gate = asyncio.Semaphore(8)

    async def ready(n: int) -> tuple[httpx.AsyncClient, httpx.Response]:
        async with gate:
            return await enter(codes[n], LANGS[n % len(LANGS)])

    entered = await asyncio.gather(*(ready(n) for n in range(PEOPLE)))
    start = time.perf_counter()
    window_start, stop = start + warmup, start + warmup + seconds

    async def pause(rng: random.Random) -> None:
        await asyncio.sleep(min(rng.expovariate(1 / THINK), max(0.0, stop - time.perf_counter())))

    async def person(n: int, client: httpx.AsyncClient, page: httpx.Response) -> None:
        rng = random.Random(n)
        lang = LANGS[n % len(LANGS)]
        while True:
            fields, choices = _form(page.text)
            choice = _next_choice(choices, lang)
            if page.status_code != 200 or choice is None or len(fields) != 2:
                steps.failed += 1
                return
            await pause(rng)
            if time.perf_counter() >= stop:
                return
            begun = time.perf_counter()
            try:
                page = await client.post("/say", data={**fields, "choice": choice})
            except httpx.HTTPError:
                steps.failed += 1
                return
            done = time.perf_counter()
            steps.largest_page = max(steps.largest_page, _size(page))
            if window_start <= done <= stop:
                steps.in_window += 1
                if begun >= window_start:
                    steps.latencies.append(done - begun)
                    if page.history:
                        steps.posts.append(page.history[0].elapsed.total_seconds())
            if choice == "r:send":  # this person is done: the next begins
                steps.intakes_sent += 1
                following = next(spare, None)
                if following is None:
                    return
                client, page = await enter(following, lang)

    async def cpu() -> float:
        await asyncio.sleep(max(0.0, window_start - time.perf_counter()))
        begun = cpu_seconds(pid)
        await asyncio.sleep(max(0.0, stop - time.perf_counter()))
        return (cpu_seconds(pid) - begun) / seconds

    share = asyncio.create_task(cpu())
    try:
        await asyncio.gather(*(person(n, *entered[n]) for n in range(PEOPLE)))
    finally:
        for client in clients:
            await client.aclose()
    return steps, await share


async def run(bench: Bench) -> list[Figure]:
    async with database("sqlite", bench.workdir, "webchat") as db_url:
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "WEGWIJS_SECRET_KEY": os.environ.get("WEGWIJS_SECRET_KEY", secrets.token_urlsafe(32)),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("CI", None)
        env.pop("TELEGRAM_BOT_TOKEN", None)
        cli(env, "db", "upgrade")
        await seed(db_url, CASES, 1)
        codes = await make_cases(db_url, PEOPLE + SPARE)
        port = free_port()
        server = BotProcess(
            [WEGWIJS, "run", "--no-bot", "--no-worker", "--no-dashboard",
             "--chat", f"127.0.0.1:{port}"],
            env,
            bench.workdir / "web-chat.log",
        )  # fmt: skip
        await server.start()
        try:
            await server.ready(wait_port(port))
            steps, cpu = await measure(bench, f"http://127.0.0.1:{port}", codes, server.pid)
        finally:
            await server.stop()
        errors = server.errors()
    ms = [s * 1000 for s in steps.latencies]
    rate = steps.in_window / (10.0 if bench.quick else 40.0)
    p99 = percentile(ms, 99)
    post_ms = [s * 1000 for s in steps.posts]
    kb = steps.largest_page / 1024
    bench.log(
        f"  {len(ms)} steps at {rate:.1f}/s: p50 {percentile(ms, 50):.1f} ms, p95 "
        f"{percentile(ms, 95):.1f} ms, p99 {p99:.1f} ms (the post alone: p50 "
        f"{percentile(post_ms, 50):.1f}, p99 {percentile(post_ms, 99):.1f} ms); "
        f"server CPU {cpu:.0%}; largest page "
        f"{kb:.1f} KB; {steps.intakes_sent} intakes sent; failed {steps.failed}, "
        f"tracebacks {errors}"
    )
    return [
        Figure(NAME, "SQLite: p50 / p95 page step without JavaScript (post, redirect, page)",
               f"{percentile(ms, 50):.1f} / {percentile(ms, 95):.1f}", "ms",
               note=f"{PEOPLE} people, 1,000 other cases, at {rate:.1f} steps/s; "
               f"server CPU {cpu:.0%} of a core"),
        Figure(NAME, "SQLite: p99 page step (post, redirect, page; paced)", round(p99, 2), "ms",
               goal=f"≤ {P99_GOAL_MS:.0f} ms", met=p99 <= P99_GOAL_MS,
               note=f"{len(ms)} steps"),
        Figure(NAME, "Largest chat page on the wire", round(kb, 1), "KB",
               goal=f"≤ {PAGE_GOAL_KB:.0f} KB", met=kb <= PAGE_GOAL_KB,
               note="body and headers, uncompressed, a whole intake's transcript"),
        Figure(NAME, "Page steps without the next page (and tracebacks)",
               steps.failed + errors, "", goal="0", met=steps.failed + errors == 0,
               note=f"{steps.intakes_sent} intakes sent in the run"),
    ]  # fmt: skip
