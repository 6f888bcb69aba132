"""The benchmarks' processes: bots as subprocesses with their environment, waiting for
them to listen, and what they cost (CPU seconds, peak memory)."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import time
from collections.abc import Awaitable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from bench.common import WEBHOOK_SECRET, WEGWIJS
from tests.e2e.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from tests.e2e.harness import stop_process


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
        return await stop_process(self.proc)

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
