"""Runs `wegwijs run` as a subprocess against the fake Bot API, and talks to it like a
person would: push an update, wait for the bot's answer."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.fake_bot_api import DEFAULT_TOKEN, Call, FakeBotApi

WEGWIJS = str(Path(sys.executable).with_name("wegwijs"))
# Free text is encrypted at rest in the scenarios, as it must be in production.
SECRET_KEY = "e2e-secret-key-" + "0123456789abcdef" * 2


async def stop_process(proc: asyncio.subprocess.Process) -> int:
    """Stop a bot subprocess cleanly (SIGTERM), killing it after 20 s; its exit code."""
    if proc.returncode is None:
        proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), 20)
        except TimeoutError:
            proc.kill()
            await proc.wait()
    return proc.returncode or 0


@dataclass
class Harness:
    api: FakeBotApi
    framework: str
    workdir: Path
    proc: asyncio.subprocess.Process | None = None
    chat_rate: float = 20.0
    log: Path = field(init=False)
    extra_env: dict[str, str] = field(default_factory=dict)  # e.g. another municipality file
    # What must never appear in a log or an error message: invite codes and what people typed.
    secrets: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.log = self.workdir / f"bot-{self.framework}.log"

    @property
    def db_path(self) -> Path:
        return self.workdir / "wegwijs.db"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_BASE_URL": self.api.base_url,
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "PYTHONUNBUFFERED": "1",
            # Scenarios run at 20 messages a second per chat; the default of one a second
            # has its own scenario (test_replies_to_one_chat_are_paced).
            "TELEGRAM_CHAT_RATE": str(self.chat_rate),
            "WEGWIJS_SECRET_KEY": SECRET_KEY,
            **self.extra_env,
        }

    @staticmethod
    def command_line(*args: str) -> list[str]:
        return [WEGWIJS, *args]

    def migrate(self, template: Path) -> None:
        """The scenario's database at the newest schema: a copy of the test process's
        migrated one (the `migrated_sqlite` fixture; `tests/cli/test_db.py` tests
        `wegwijs db upgrade` itself)."""
        assert not self.db_path.exists(), "migrate() is for a new scenario's database"
        assert "DATABASE_URL" not in self.extra_env, "another database: run `db upgrade`"
        shutil.copyfile(template, self.db_path)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [WEGWIJS, *args], env=self.env, capture_output=True, text=True, timeout=60
        )
        with (self.workdir / "cli-stderr.log").open("a") as log:
            log.write(result.stderr)  # error messages count as logs (see leaks)
        return result

    def leaks(self) -> list[str]:
        """Secrets found in the bot's log or the CLI's error output: the token, the key,
        invite codes, what people typed."""
        logs = "".join(
            p.read_text() for p in (self.log, self.workdir / "cli-stderr.log") if p.exists()
        )
        found = [s for s in self.secrets if s in logs]
        found += [name for name, s in (("token", DEFAULT_TOKEN), ("key", SECRET_KEY)) if s in logs]
        return found

    def new_case(self) -> str:
        result = self.cli("case", "create")
        assert result.returncode == 0, result.stderr
        found = re.search(r"Invite code: (\S+)", result.stdout)
        assert found, result.stdout
        self.secrets |= {found.group(1), found.group(1).replace("-", "")}
        return found.group(1)

    async def start(self) -> None:
        with self.log.open("a") as log:
            self.proc = await asyncio.create_subprocess_exec(
                WEGWIJS,
                "run",
                "--framework",
                self.framework,
                # The dashboard and the web chat have their own tests; one port per bot
                # would only collide.
                "--no-dashboard",
                "--no-chat",
                env=self.env,
                stderr=log,
                stdout=log,
            )
        await self.api.wait_for(
            lambda calls: any(c.method == "getUpdates" for c in calls[self._mark :]), timeout=30
        )

    _mark: int = 0

    async def restart(self) -> None:
        self._mark = len(self.api.calls)
        await self.start()

    async def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        await self.proc.wait()

    async def stop(self) -> int:
        assert self.proc is not None
        return await stop_process(self.proc)

    # -- talking ------------------------------------------------------------------------

    async def _after(self, chat: int, before: int) -> list[Call]:
        """The messages the bot sent to `chat` in answer to what was just pushed: up to
        the one carrying buttons (the bot waits for the person there), or until quiet."""

        def answered(_calls: list[Call]) -> bool:
            new = self.api.sent(chat)[before:]
            return bool(new) and "reply_markup" in new[-1].params

        try:
            await self.api.wait_for(answered, timeout=4)
        except TimeoutError:
            await self.api.wait_sent(chat, before + 1, timeout=20)
            await self.api.wait_idle(chat, quiet=1.5, timeout=30)
        return self.api.sent(chat)[before:]

    async def say(self, chat: int, text: str, **kw: object) -> list[str]:
        if len(text.strip()) >= 5 and any(ch.isalpha() for ch in text):
            self.secrets.add(text.strip())  # a typed answer: never to be logged
        count = len(self.api.sent(chat))
        self.api.push_text(chat, text, **kw)  # type: ignore[arg-type]
        return [texts_of(c) for c in await self._after(chat, count)]

    async def command(self, chat: int, text: str, **kw: object) -> list[str]:
        count = len(self.api.sent(chat))
        self.api.push_command(chat, text, **kw)  # type: ignore[arg-type]
        return [texts_of(c) for c in await self._after(chat, count)]

    async def press(self, chat: int, data: str) -> list[str]:
        """Press the button with this callback data (it must be on screen)."""
        keyboard = [d for row in self.api.last_keyboard(chat) for _, d in row]
        assert data in keyboard, f"{data!r} not in {keyboard}"
        count = len(self.api.sent(chat))
        self.api.push_callback(chat, data)
        return [texts_of(c) for c in await self._after(chat, count)]

    def rows(self, sql: str, *args: object) -> list[tuple]:
        with sqlite3.connect(self.db_path) as connection:
            return connection.execute(sql, args).fetchall()


def texts_of(call: Call) -> str:
    return str(call.params.get("text") or call.params.get("caption") or "")


@asynccontextmanager
async def running(
    framework: str, workdir: Path, template: Path, extra_env: dict[str, str] | None = None
) -> AsyncIterator[Harness]:
    """A migrated bot on a fresh fake Bot API for one test; afterwards its log holds no
    traceback, no token and no secret, and it exited cleanly."""
    async with FakeBotApi() as api:
        harness = Harness(api, framework, workdir)
        harness.extra_env.update(extra_env or {})
        harness.migrate(template)
        await harness.start()
        try:
            yield harness
        finally:
            code = await harness.stop()
            log = harness.log.read_text()
            assert "Traceback" not in log, log
            assert api.token not in log, "the bot token appeared in the log"
            assert harness.leaks() == [], "secrets appeared in the logs"
            assert code == 0, log
