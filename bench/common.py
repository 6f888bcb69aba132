"""What the end-to-end benchmarks share: bots as subprocesses, databases seeded in bulk,
and simulated people talking to a bot through the fake Bot API.

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
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bot.core.app import consent_version
from bot.municipality import load_municipality
from bot.settings import DEFAULT_MUNICIPALITY
from flows.intake import INTAKE
from storage.db import create_engine
from tests.e2e.fake_bot_api import DEFAULT_TOKEN, Call, FakeBotApi

BIN = Path(sys.executable).parent
WEGWIJS = str(BIN / "wegwijs")
POSTGRES_ADMIN_URL = os.environ.get(
    "WEGWIJS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
LANGS = ("ar", "ti", "nl", "en")
USER_CHAT_BASE = 8_000_000_000  # the simulated people: chats beyond 32 bits, like Telegram's
BACKGROUND_CHAT_BASE = 9_000_000_000  # the other cases' chats
WEBHOOK_SECRET = "bench-webhook-secret"
REPLY_TIMEOUT = 30.0  # a reply later than this counts as lost


@dataclass
class Bench:
    """What every benchmark gets: a scratch directory, and PostgreSQL if reachable."""

    workdir: Path
    postgres: bool
    quick: bool = False
    log: Callable[[str], None] = print


# -- processes ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU seconds every process on this machine has used so far, all cores together
    (Linux /proc/stat: user, nice, system, irq, softirq and steal; not idle or iowait)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU seconds of the PostgreSQL server's processes on this machine, if it runs here
    (a backend that ended within a window is not counted)."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with suppress(OSError, ValueError, IndexError):
            if (proc / "comm").read_text().strip() == "postgres":
                total += cpu_seconds(int(proc.name))
    return total


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class BotProcess:
    """`wegwijs run` (or the echo bot) as a subprocess, logging to a file."""

    args: list[str]
    env: dict[str, str]
    log_path: Path
    proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("w") as log:
            self.proc = await asyncio.create_subprocess_exec(
                *self.args, env=self.env, stdout=log, stderr=log
            )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def stop(self) -> int:
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        return self.proc.returncode or 0

    def tail(self, lines: int = 30) -> str:
        log = self.log_path.read_text() if self.log_path.exists() else ""
        return "\n".join(log.splitlines()[-lines:])

    async def ready(self, started: Awaitable[None]) -> None:
        """Wait for `started`; if the process dies or it times out, say why (log tail)."""
        try:
            await started
        except TimeoutError:
            raise RuntimeError(f"{self.args[1:3]} did not start:\n{self.tail()}") from None

    def errors(self) -> int:
        """Tracebacks in the bot's log: each one is a failure the benchmark reports."""
        log = self.log_path.read_text() if self.log_path.exists() else ""
        return log.count("Traceback (most recent call last)")


RAISED_RATES = {"TELEGRAM_CHAT_RATE": "30", "TELEGRAM_RATE": "10000"}


def bot_env(
    api: FakeBotApi, database_url: str | None, workdir: Path, *, raised: bool = True
) -> dict[str, str]:
    """The environment of a bot under test. With `raised` the send rates are far above
    Telegram's (1 a second per chat, about 30 overall): that measures Wegwijs, not the
    limits Telegram imposes on every bot alike. Without, neither rate is set (not even
    from this shell's environment): the bot runs at its defaults, as a municipality
    runs it."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "WEGWIJS_SECRET_KEY": os.environ.get("WEGWIJS_SECRET_KEY", secrets.token_urlsafe(32)),
        "PYTHONUNBUFFERED": "1",
    }
    for name in RAISED_RATES:
        env.pop(name, None)
    if raised:
        env.update(RAISED_RATES)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    env.pop("CI", None)
    return env


def cli(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [WEGWIJS, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"wegwijs {' '.join(args)} failed: {result.stderr[-2000:]}")


async def wait_polling(api: FakeBotApi, since: int = 0, timeout: float = 60) -> None:
    await api.wait_for(
        lambda calls: any(c.method == "getUpdates" for c in calls[since:]), timeout=timeout
    )


async def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(OSError):
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


# -- databases ----------------------------------------------------------------------------


@asynccontextmanager
async def database(kind: str, workdir: Path, name: str) -> Any:
    """A fresh, empty database: a SQLite file, or a PostgreSQL database created here and
    dropped afterwards. Yields its DATABASE_URL."""
    if kind == "sqlite":
        path = workdir / f"{name}.db"
        for old in workdir.glob(f"{name}.db*"):
            old.unlink()
        yield f"sqlite:///{path}"
        return
    db_name = f"wegwijs_bench_{name}_{secrets.token_hex(4)}"
    await _pg_admin(f'CREATE DATABASE "{db_name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{db_name}"
    finally:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


async def _pg_admin(sql: str) -> None:
    engine = create_engine(
        POSTGRES_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT",
        connect_args={"timeout": 5},
    )  # fmt: skip
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def postgres_reachable() -> bool:
    try:
        await _pg_admin("SELECT 1")
    except Exception:
        return False
    return True


def _series(dialect: str, n: int) -> str:
    """A CTE `s(g)` of the numbers 1..n."""
    if dialect == "postgresql":
        return f"WITH s(g) AS (SELECT generate_series(1, {n}))"
    return f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n})"


async def seed(database_url: str, cases: int, users: int) -> None:
    """Bulk-insert `cases` cases (SQL, not the service), `users` of them the simulated
    people: linked, agreed, nothing answered yet. The others look like a municipality's
    caseload: a chat each, a conversation mid-intake, five answers, processed updates."""
    version = consent_version(load_municipality(DEFAULT_MUNICIPALITY))
    background = cases - users
    engine = create_engine(database_url, poolclass=NullPool)
    dialect = engine.dialect.name
    pg = dialect == "postgresql"
    hexid = "lpad(to_hex(g), 31, '0')" if pg else "printf('%031x', g)"
    ts = "'2026-11-01 10:00:00+00'" if pg else "'2026-11-01 10:00:00.000000'"
    lang = "(ARRAY['ar','ti','nl','en'])[1 + g % 4]" if pg else (
        "CASE g % 4 WHEN 0 THEN 'ar' WHEN 1 THEN 'ti' WHEN 2 THEN 'nl' ELSE 'en' END"
    )  # fmt: skip
    invite = "'B' || lpad(g::text, 8, '0')" if pg else "'B' || printf('%08d', g)"
    invite_u = invite.replace("'B'", "'U'")
    position = '{"lang":"ar","stage":"question","question":"reading.latin","history":[]}'
    questions = [q.id for q in INTAKE.questions[:5]]
    statements = [
        # The simulated people: case u…, account USER_CHAT_BASE + g.
        f"""{_series(dialect, users)}
        INSERT INTO wegwijs_case (id, invite_code, invite_used_at, language, consent_version,
            consent_at, status, created_at, updated_at)
        SELECT 'u' || {hexid}, {invite_u}, {ts}, {lang}, '{version}', {ts}, 'open', {ts}, {ts}
        FROM s""",
        f"""{_series(dialect, users)}
        INSERT INTO channel_account (channel, external_id, case_id, language, created_at,
            last_seen_at)
        SELECT 'telegram', {USER_CHAT_BASE} + g, 'u' || {hexid}, {lang}, {ts}, {ts} FROM s""",
    ]
    if background > 0:
        statements += [
            f"""{_series(dialect, background)}
            INSERT INTO wegwijs_case (id, invite_code, invite_used_at, language,
                consent_version, consent_at, status, created_at, updated_at)
            SELECT 'b' || {hexid}, {invite}, {ts}, {lang}, '{version}', {ts}, 'open', {ts},
                {ts}
            FROM s""",
            f"""{_series(dialect, background)}
            INSERT INTO channel_account (channel, external_id, case_id, language, created_at,
                last_seen_at)
            SELECT 'telegram', {BACKGROUND_CHAT_BASE} + g, 'b' || {hexid}, {lang}, {ts}, {ts}
            FROM s""",
            f"""INSERT INTO conversation (account_id, data, updated_at)
            SELECT id, '{position}', {ts} FROM channel_account
            WHERE external_id > {BACKGROUND_CHAT_BASE}""",
            # A day of processed updates, far from the ids the fake server hands out.
            f"""{_series(dialect, background * 3)}
            INSERT INTO processed_update (channel, update_id, processed_at)
            SELECT 'telegram', 1000000000000 + g, {ts} FROM s""",
        ]
        for question in questions:
            statements.append(
                f"""{_series(dialect, background)}
                INSERT INTO answer (case_id, question_id, codes, skipped, retracted,
                    answered_at)
                SELECT 'b' || {hexid}, '{question}', '["yes"]', false, false, {ts} FROM s"""
            )
    try:
        async with engine.begin() as conn:
            for sql in statements:
                await conn.execute(text(sql))
        if pg:  # what autovacuum does on a live database
            async with engine.connect() as conn:
                await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


# -- simulated people ---------------------------------------------------------------------


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


def cleanup(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
