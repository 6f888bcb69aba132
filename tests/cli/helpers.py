"""Running `wegwijs` in the CLI's tests, and reading what it stored."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from typer.testing import CliRunner, Result

from bot.cli import app
from storage import Database, Session

T = TypeVar("T")

# The installed console script, for the commands that run until a signal.
WEGWIJS = str(Path(sys.executable).with_name("wegwijs"))


def wegwijs(*args: str, stdin: str | None = None, **env: str) -> Result:
    """Run one command; whatever it does, a person never sees a traceback."""
    result = CliRunner().invoke(app, list(args), input=stdin, env=env or None)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def new_case(*options: str) -> str:
    """`wegwijs case create`; its invite code."""
    result = wegwijs("case", "create", *options)
    assert result.exit_code == 0, result.output
    found = re.search(r"Invite code: (\S+)", result.output)
    assert found
    return found.group(1)


def read(path: Path, work: Callable[[Session], Awaitable[T]], **db: Any) -> T:
    """`work` on one session of the test's database."""

    async def run() -> T:
        database = Database(f"sqlite:///{path}", **db)
        try:
            async with database.session() as session, session.begin():
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(run())


@dataclass(frozen=True)
class Served:
    first: httpx.Response  # the answer to the first request that got through
    returncode: int
    stderr: str


def serve_then_stop(
    args: list[str], cwd: Path, url: str, what: str, stop: signal.Signals = signal.SIGTERM
) -> Served:
    """Start the console script with `args`, wait until `url` answers, stop it with
    `stop`, and return that first answer with how the process ended."""
    proc = subprocess.Popen(
        args, env=dict(os.environ), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, f"{what} did not start"
                time.sleep(0.1)
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    return Served(response, proc.returncode, err)
