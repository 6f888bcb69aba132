"""Serving the dashboard: beside the bot and the worker (`wegwijs run`) or alone
(`wegwijs dashboard`), on uvicorn, until `stop` is set."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.core.app import App
from bot.core.clock import utcnow
from bot.core.passwords import Passwords, generate_password
from bot.core.users import create_first_admin
from bot.dashboard.app import DashboardConfig, asgi_app
from bot.web.keys import app_signing_key
from bot.web.serving import address, bind, serve_asgi
from storage import UserRepository

log = logging.getLogger(__name__)

FIRST_ADMIN = "admin"


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
    key = app_signing_key(
        app,
        temporary_note="Dashboard: WEGWIJS_SECRET_KEY is not set, so sessions are signed with a "
        "temporary key and end when Wegwijs restarts (set it, the same on every worker).",
        out=out,
    )
    return DashboardConfig(secret=key)


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
    sock = bind(host, port, what="the dashboard", hint="(set WEGWIJS_DASHBOARD_PORT or --port)")
    log.info("dashboard on %s", address(host, port))
    # Paths hold case ids: no access log; the audit log records who saw what.
    proxies = app.settings.trusted_proxy_list
    await serve_asgi(asgi_app(app, config), sock, stop, name="dashboard", trusted_proxies=proxies)
