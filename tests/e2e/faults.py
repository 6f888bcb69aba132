"""What the fault scenarios (test_faults.py) share: a group of people talking to a bot on
the fake Bot API, a PostgreSQL server of the test's own to stop and start, a SQLite file
locked by another process, and the check that nobody was left without an answer and no
answer was lost or doubled."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.common import LANGS, USER_CHAT_BASE, WEGWIJS
from bench.processes import BotProcess, bot_env, free_port
from bench.scale_out import _answer_rows, _expected_question, _keyboard_question, expected_answers
from tests.e2e.fake_bot_api import Call, FakeBotApi
from tests.e2e.harness import SECRET_KEY

RECOVERY = 30.0  # seconds after a fault ends by which everyone has their answer


def lang_of(chat: int) -> str:
    return LANGS[(chat - USER_CHAT_BASE - 1) % len(LANGS)]


@dataclass
class Group:
    """Seeded people (bench.common.seed: linked, agreed) each typing "1" to the question
    on screen; every message must bring the next question, once."""

    api: FakeBotApi
    chats: list[int]
    said: dict[int, list[float]] = field(default_factory=dict)  # when each message went

    def questions(self, chat: int) -> list[Call]:
        return [c for c in self.api.sent(chat) if "reply_markup" in c.params]

    def say(self, chat: int) -> None:
        self.said.setdefault(chat, []).append(time.monotonic())
        self.api.push_text(chat, "1", language_code=lang_of(chat))

    def all_say(self) -> None:
        for chat in self.chats:
            self.say(chat)

    def unanswered(self) -> list[int]:
        """People whose last message has no question after it yet."""
        return [
            c
            for c in self.chats
            if len(self.questions(c)) < len(self.said.get(c, []))
            or (self.said.get(c) and self.questions(c)[-1].at < self.said[c][-1])
        ]

    async def all_answered(self, timeout: float) -> float:
        """Wait until every message has its question; returns when the last one came."""
        with contextlib.suppress(TimeoutError):
            await self.api.wait_for(lambda _calls: not self.unanswered(), timeout=timeout)
        late = self.unanswered()
        assert not late, f"no answer within {timeout:.0f} s for {late}:\n{self.describe(late)}"
        return max(self.questions(c)[-1].at for c in self.chats)

    async def recovered(self, back: float) -> None:
        """Everyone had their answer within RECOVERY seconds of `back` (the moment the
        fault ended), and the next message of everyone is answered as usual."""
        last = await self.all_answered(timeout=RECOVERY + 5)
        assert last - back <= RECOVERY
        self.all_say()
        await self.all_answered(timeout=30)

    def describe(self, chats: list[int]) -> str:
        """The calls for these chats, and how their updates were delivered."""
        lines = [
            f"  {c.at:.1f} {c.method} [{c.status}] chat={self.api.chat_of(c)} "
            f"{str(c.params.get('text', ''))[:50]!r}"
            for c in self.api.calls
            if self.api.chat_of(c) in chats
        ]
        ids = {
            u["update_id"]
            for u in self.api.pushed
            if (u.get("message") or {}).get("chat", {}).get("id") in chats
        }
        lines += [f"  delivery {d}" for d in self.api.deliveries if d[0] in ids]
        return "\n".join(lines[-40:])

    async def check(self, database_url: str, *, shown_again: bool = False) -> None:
        """Every message answered by the expected question, once, in order; every answer
        in the database once (none lost, none doubled). `shown_again`: a question may
        come twice in a row (a killed worker's update, delivered again, shows it)."""
        rows = await _answer_rows(database_url)
        problems = []
        for chat in self.chats:
            count, lang = len(self.said[chat]), lang_of(chat)
            asked = [_keyboard_question(c.params) for c in self.questions(chat)]
            if shown_again:
                asked = [q for n, q in enumerate(asked) if n == 0 or asked[n - 1] != q]
            want = [_expected_question(n, lang) for n in range(1, count + 1)]
            if asked != want:
                problems.append(f"chat {chat}: asked {asked}, expected {want}")
            if rows.get(chat, []) != expected_answers(count, lang):
                problems.append(f"chat {chat}: answers {rows.get(chat)} after {count} messages")
        assert problems == []


def start_bot(
    api: FakeBotApi,
    framework: str,
    database_url: str,
    workdir: Path,
    name: str,
    *,
    port: int | None = None,
    defaults: bool = False,
    env: dict[str, str] | None = None,
) -> BotProcess:
    """`wegwijs run` polling, or on a webhook `port`; at Telegram's limits (`defaults`)
    or raised ones."""
    args = [WEGWIJS, "run", "--framework", framework, "--no-dashboard", "--no-chat"]
    if port is not None:
        args += ["--webhook", "--host", "127.0.0.1", "--port", str(port)]
    environment = {
        **bot_env(api, database_url, workdir, raised=not defaults),
        "WEGWIJS_SECRET_KEY": SECRET_KEY,  # one key for every worker and restart
        **(env or {}),
    }
    return BotProcess(args, environment, workdir / f"{name}.log")


def clean_log(bot: BotProcess) -> str:
    log = bot.log_path.read_text()
    assert "Traceback" not in log, log[-5000:]
    return log


# -- a SQLite file locked by another process ------------------------------------------------

_LOCKER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("begin exclusive")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.rollback()
"""


@contextlib.asynccontextmanager
async def sqlite_locked(path: Path, seconds: float) -> AsyncIterator[asyncio.Task[float]]:
    """Another process holds an exclusive transaction on the file for `seconds`; yields
    a task that ends with the moment the lock was released."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _LOCKER, str(path), str(seconds), stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    assert (await proc.stdout.readline()).strip() == b"locked"

    async def released() -> float:
        await proc.wait()
        return time.monotonic()

    task = asyncio.ensure_future(released())
    try:
        yield task
    finally:
        if proc.returncode is None:
            proc.kill()
        await task


# -- a PostgreSQL server of the test's own -------------------------------------------------


@dataclass
class OwnPostgres:
    """initdb into a temporary directory owned by postgres, served on a free port with
    its socket there; stopped and started like a real server (`pg_ctl`)."""

    base: Path
    port: int = field(default_factory=free_port)

    @classmethod
    def available(cls) -> str | None:
        """Why it cannot run here, or None."""
        if os.geteuid() != 0:
            return "needs root (runuser -u postgres)"
        if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
            return "no PostgreSQL server binaries in /usr/lib/postgresql"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "no postgres user"
        return None

    @property
    def bin(self) -> Path:
        return Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1]).parent

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def init(self) -> None:
        user = pwd.getpwnam("postgres")
        os.chown(self.base, user.pw_uid, user.pw_gid)
        self._run(str(self.bin / "initdb"), "-D", str(self.base / "data"), "-A", "trust",
                  "-U", "postgres", "--no-sync")  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.base / "data"), "-o", options,
                  "-l", str(self.base / "server.log"), "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.base / "data"), "-m", "fast",
                  "-w", "-t", "60", "stop")  # fmt: skip


@contextlib.contextmanager
def own_postgres():  # type: ignore[no-untyped-def]
    why = OwnPostgres.available()
    if why is not None:
        pytest.skip(f"a PostgreSQL server of the test's own {why}")
    base = Path(tempfile.mkdtemp(prefix="wegwijs-pg-"))
    server = OwnPostgres(base)
    try:
        server.init()
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            server.stop()
        shutil.rmtree(base, ignore_errors=True)
