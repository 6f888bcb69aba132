"""The web chat: how long one page step takes for a person without JavaScript — the form
post of a button, the redirect, and the next page (post, redirect, get) — at about ten
steps a second on SQLite, the load of a busy hour.

`wegwijs run --no-bot --no-worker --no-dashboard --chat …` serves the chat as a
subprocess, on a database with a municipality's caseload (1,000 cases, bulk-seeded) and
invite codes made through `bot.core` for the simulated people. Each person is an HTTP
client with its own cookie, one connection kept alive (as a browser keeps it): opens the
invite link, presses Start, then answers the pre-intake one button at a time (their
language, consent, the last answer of each question or "rather in person"). Before the
clock starts each goes a random part of the way, so pages of every length are asked for;
then each thinks a while (exponential, mean THINK s) before each press. A person whose
intake is sent hands over to the next code. The step's time runs from sending the post
until the next page has been read whole. The largest page is measured apart, over one
whole intake and the menu's longest answers (the issue asks ≤ 50 KB).
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

from bench.common import LANGS, WEGWIJS, Bench
from bench.databases import database, seed
from bench.people import percentile
from bench.processes import BotProcess, cli, cpu_seconds, free_port, wait_port
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
    largest_page: int = 0  # bytes of the biggest page of a whole intake (`largest_page`)
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


class Person:
    """One browser without JavaScript: its own cookie, one connection kept alive."""

    def __init__(self, url: str, lang: str) -> None:
        self.lang = lang
        self.client = httpx.AsyncClient(
            base_url=url,
            timeout=TIMEOUT,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            follow_redirects=True,
        )
        self.page: httpx.Response | None = None

    async def enter(self, code: str) -> None:
        """The invite link, then Start: the language menu."""
        link = f"/c/{code.replace('-', '')}"
        await self.client.get(link)
        self.page = await self.client.post(link, data={"lang": self.lang})

    def next_press(self) -> tuple[dict[str, str], str] | None:
        """The form to post next (hidden fields and the button), None when the page has
        no next question."""
        if self.page is None or self.page.status_code != 200:
            return None
        fields, choices = _form(self.page.text)
        choice = _next_choice(choices, self.lang)
        return ({**fields, "choice": choice}, choice) if choice and len(fields) == 2 else None

    async def post(self, data: dict[str, str]) -> httpx.Response:
        self.page = await self.client.post("/say", data=data)
        return self.page

    async def close(self) -> None:
        await self.client.aclose()


async def largest_page(url: str, code: str) -> int:
    """Bytes of the biggest page of a whole intake and of the menu's longest answers
    ("my answers", "who helps with what", "my data"): the page's size on the wire."""
    person = Person(url, "ti")  # Ge'ez: three bytes a character
    await person.enter(code)
    largest = 0
    try:
        for _ in range(120):
            press = person.next_press()
            if press is None:
                raise RuntimeError("a whole intake stopped before it was sent")
            largest = max(largest, _size(await person.post(press[0])))
            if press[1] == "r:send":
                break
        for command in ("answers", "roles", "mydata"):
            assert person.page is not None
            fields, _choices = _form(person.page.text)
            page = await person.post({**fields, "command": command})
            largest = max(largest, _size(page))
    finally:
        await person.close()
    return largest


async def measure(bench: Bench, url: str, codes: list[str], pid: int) -> tuple[Steps, float]:
    """(the steps, the server's CPU share) of PEOPLE paced people. Before the clock
    starts they open their invite links and go some way into the intake (each a random
    number of steps, so the pages are of every length), so presses come at the paced
    rate from the first second; a person who takes over begins within the run."""
    seconds, warmup = (10.0, 2.0) if bench.quick else (40.0, 4.0)
    steps = Steps()
    spare = iter(codes[PEOPLE:])
    people = [Person(url, LANGS[n % len(LANGS)]) for n in range(PEOPLE)]
    gate = asyncio.Semaphore(8)

    async def ready(n: int) -> None:
        async with gate:
            await people[n].enter(codes[n])
            for _ in range(random.Random(-n).randrange(30)):
                press = people[n].next_press()
                if press is None or press[1] == "r:send":
                    break
                await people[n].post(press[0])

    await asyncio.gather(*(ready(n) for n in range(PEOPLE)))
    start = time.perf_counter()
    window_start, stop = start + warmup, start + warmup + seconds

    async def pause(rng: random.Random) -> None:
        await asyncio.sleep(min(rng.expovariate(1 / THINK), max(0.0, stop - time.perf_counter())))

    async def paced(n: int) -> None:
        rng = random.Random(n)
        person = people[n]
        while True:
            press = person.next_press()
            if press is None:
                steps.failed += 1
                return
            await pause(rng)
            if time.perf_counter() >= stop:
                return
            begun = time.perf_counter()
            try:
                page = await person.post(press[0])
            except httpx.HTTPError:
                steps.failed += 1
                return
            done = time.perf_counter()
            if window_start <= done <= stop:
                steps.in_window += 1
                if begun >= window_start:
                    steps.latencies.append(done - begun)
                    if page.history:
                        steps.posts.append(page.history[0].elapsed.total_seconds())
            if press[1] == "r:send":  # this person is done: the next begins
                steps.intakes_sent += 1
                following = next(spare, None)
                if following is None:
                    return
                await person.close()
                person = Person(url, person.lang)
                people.append(person)
                await person.enter(following)

    async def cpu() -> float:
        await asyncio.sleep(max(0.0, window_start - time.perf_counter()))
        begun = cpu_seconds(pid)
        await asyncio.sleep(max(0.0, stop - time.perf_counter()))
        return (cpu_seconds(pid) - begun) / seconds

    share = asyncio.create_task(cpu())
    try:
        await asyncio.gather(*(paced(n) for n in range(PEOPLE)))
    finally:
        for person in people:
            await person.close()
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
        codes = await make_cases(db_url, PEOPLE + SPARE + 1)
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
            url = f"http://127.0.0.1:{port}"
            steps, cpu = await measure(bench, url, codes[:-1], server.pid)
            steps.largest_page = await largest_page(url, codes[-1])
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
               note="body and headers, uncompressed: a whole intake in Tigrinya, then "
               "my answers, who helps with what, my data"),
        Figure(NAME, "Page steps without the next page (and tracebacks)",
               steps.failed + errors, "", goal="0", met=steps.failed + errors == 0,
               note=f"{steps.intakes_sent} intakes sent in the run"),
    ]  # fmt: skip
