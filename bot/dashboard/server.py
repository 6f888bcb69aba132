"""Serving the dashboard: beside the bot and the worker (`wegwijs run`) or alone
(`wegwijs review`), on uvicorn, until `stop` is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
from collections.abc import Callable, Generator
from datetime import datetime
from typing import TextIO

import uvicorn

from bot.core.app import App, StartupError
from bot.core.clock import utcnow
from bot.core.passwords import Passwords, generate_password
from bot.core.users import create_first_admin
from bot.dashboard.security import signing_key
from bot.dashboard.web import DashboardConfig, create_app
from storage import UserRepository

log = logging.getLogger(__name__)

FIRST_ADMIN = "admin"


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the caller's `stop` event decides."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


async def ensure_first_admin(
    app: App,
    passwords: Passwords,
    *,
    out: TextIO | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> str | None:
    """With no user at all, create the admin `admin` with a random password and print
    it once to the terminal (stderr; never to the logs). Returns the password, or None
    when there were users already."""
    async with app.db.session(readonly=True) as session:
        if await UserRepository(session).count() > 0:
            return None
    password = generate_password()
    if not await create_first_admin(app.db, passwords, FIRST_ADMIN, password, now=clock()):
        return None  # another process made it at the same moment, and printed it
    stream = out or sys.stderr
    print(
        "\n".join(
            (
                "",
                "=" * 64,
                "The dashboard had no users: created the admin account.",
                f"  username: {FIRST_ADMIN}",
                f"  password: {password}",
                "This password is shown only this once. Keep it safe; make accounts",
                "for consulenten with `wegwijs user add NAME`.",
                "=" * 64,
                "",
            )
        ),
        file=stream,
        flush=True,
    )
    return password


def dashboard_config(app: App, *, out: TextIO | None = None) -> DashboardConfig:
    secret = app.settings.secret_key
    key = signing_key(secret.get_secret_value() if secret else None, app.settings.database_url)
    if key.source == "temporary":
        print(
            "Dashboard: WEGWIJS_SECRET_KEY is not set, so sessions are signed with a "
            "temporary key and end when Wegwijs restarts (set it, the same on every worker).",
            file=out or sys.stderr,
            flush=True,
        )
    return DashboardConfig(secret=key.key)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before uvicorn starts, so a busy port is one clear
    start-up error and not uvicorn's exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StartupError(
            f"the dashboard cannot listen on {host}:{port}: {exc.strerror or exc} "
            "(set WEGWIJS_DASHBOARD_PORT or --port)"
        ) from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


async def serve(
    app: App,
    host: str,
    port: int,
    stop: asyncio.Event,
    *,
    config: DashboardConfig | None = None,
    out: TextIO | None = None,
) -> None:
    """Serve the dashboard on `host:port` until `stop` is set, then finish the open
    requests and return. Creates the first admin when there are no users."""
    config = config or dashboard_config(app, out=out)
    await ensure_first_admin(app, config.passwords, out=out, clock=config.clock)
    sock = bind(host, port)
    server = _Server(
        uvicorn.Config(
            create_app(app, config),
            log_config=None,  # keep the application's logging
            access_log=False,  # paths hold case ids: the audit log records who saw what
            proxy_headers=True,
            server_header=False,
            lifespan="off",
            timeout_graceful_shutdown=5,
        )
    )
    task = asyncio.create_task(server.serve(sockets=[sock]), name="dashboard")
    log.info("dashboard on http://%s:%s", host if ":" not in host else f"[{host}]", port)
    waiter = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        server.should_exit = True
        waiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sock.close()
