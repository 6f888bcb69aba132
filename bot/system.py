"""`wegwijs run`: the Telegram bot, the reminder worker, the dashboard and the web chat
in one process, each of them optional, all stopped together on SIGTERM or when one of
them fails."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.app import App
from bot.core.translations_live import keep_fresh
from bot.worker import Maintenance, ReminderWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Parts:
    bot: bool = True
    worker: bool = True
    dashboard: bool = True
    framework: str = "aiogram"
    webhook: bool = False
    host: str = "127.0.0.1"
    port: int = 8080
    secret: str | None = None
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = 8000
    chat: bool = True
    chat_host: str = "127.0.0.1"
    chat_port: int = 8001
    metrics: tuple[str, int] | None = None  # Prometheus' /metrics: off unless an address


def maintenance_jobs(app: App) -> list[Maintenance]:
    """What the worker does now and then besides sending: the retention purge, and the
    web chat's practice cases, erased after a day."""
    from bot.core.practice import purge_practice
    from bot.core.retention import purge_expired

    async def retention(now: datetime) -> None:
        purged = await purge_expired(app.db, app.municipality, now)
        if purged:
            log.info("retention: %d closed case(s) past the retention period erased", purged)

    async def practice(now: datetime) -> None:
        await purge_practice(app.db, now)

    return [retention, practice]


async def run_system(
    app: App, parts: Parts, stop: asyncio.Event | None = None, *, only_send: bool = False
) -> None:
    """`only_send`: the bot sends the worker's messages but takes no updates (a
    separate `wegwijs worker` beside webhook workers)."""
    from bot.channels.telegram.observe import watch_bot_api
    from bot.channels.telegram.runner import make_bot, serve_bot, stop_on_signals
    from bot.web.metrics import check_metrics_address, serve_metrics

    if stop is None:
        stop = asyncio.Event()
        stop_on_signals(stop)
    if parts.metrics is not None:
        check_metrics_address(
            parts.metrics,
            (parts.chat_host, parts.chat_port) if parts.chat else None,
            (parts.dashboard_host, parts.dashboard_port) if parts.dashboard else None,
            (parts.host, parts.port) if parts.bot and parts.webhook else None,
        )
    bot = make_bot(app, parts.framework) if parts.bot else None
    try:
        if bot is not None:
            await bot.start()
        jobs: list[Coroutine[Any, Any, None]] = []
        if bot is not None:
            jobs.append(bot.close_outbox_on(stop))
            jobs.append(watch_bot_api(bot, app.health, stop))
        if parts.metrics is not None:
            jobs.append(serve_metrics(app, *parts.metrics, stop))
        if bot is not None and not only_send:
            jobs.append(serve_bot(bot, parts.webhook, parts.host, parts.port, parts.secret, stop))
        if parts.worker:
            worker = ReminderWorker(
                app.db,
                app.renderer,
                app.municipality,
                bot,
                lease=timedelta(seconds=app.settings.worker_lease_seconds),
                rate=app.settings.telegram_rate or app.municipality.reminders.rate_per_second,
                maintenance=maintenance_jobs(app),
            )
            jobs.append(worker.run(stop))
        if parts.dashboard:
            from bot.dashboard.server import serve as serve_dashboard

            jobs.append(serve_dashboard(app, parts.dashboard_host, parts.dashboard_port, stop))
        if parts.chat:
            from bot.channels.web.server import serve as serve_chat

            jobs.append(serve_chat(app, parts.chat_host, parts.chat_port, stop))
        settle_memory()
        # Beside the parts, not one of them: it ends when they end.
        fresh = asyncio.create_task(keep_fresh(app.db, app.renderer, stop))
        try:
            await _together(jobs, stop)
        finally:
            fresh.cancel()
    finally:
        if bot is not None:
            await bot.close()


def settle_memory() -> None:
    """Everything imported and built at start-up lives as long as the process: moved
    out of the garbage collector's sight, so that its full collections no longer walk
    the quarter of a million objects of the Telegram library and SQLAlchemy on every
    round (measured: about 0.7 s in 10 s of load went to them). Once a process: what
    a later call would freeze (tests run the system many times) could never be freed."""
    if gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()


async def _together(jobs: list[Coroutine[Any, Any, None]], stop: asyncio.Event) -> None:
    """Run the parts until `stop`; the first part that fails stops the others, and its
    error is raised."""
    tasks = [asyncio.create_task(job) for job in jobs]
    if not tasks:
        return
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    stop.set()
    for task in tasks:
        if not task.done():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), 20)
            task.cancel()
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
