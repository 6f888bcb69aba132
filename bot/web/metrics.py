"""Serving the metrics (`GET /metrics`, Prometheus' text format) on their own address,
never on a listener that faces the internet. The figures that live in the database are
read when Prometheus scrapes, at most every `REFRESH` seconds
(`bot.core.metrics.refresh_figures`): on no person's path, and not at all where nobody
scrapes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from prometheus_client import make_asgi_app
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.core.app import App, StartupError
from bot.core.clock import utcnow
from bot.core.metrics import REFRESH, refresh_figures
from bot.web.probes import HealthProbes
from bot.web.serving import address, bind, serve_asgi

__all__ = ["check_metrics_address", "serve_metrics"]

log = logging.getLogger(__name__)


def check_metrics_address(metrics: tuple[str, int], *others: tuple[str, int] | None) -> None:
    """Refuse the metrics on the port of a listener that serves people."""
    for other in others:
        if other is not None and other[1] == metrics[1]:
            raise StartupError(
                f"the metrics cannot share port {metrics[1]} with the web chat, the dashboard "
                "or the webhook: give them a port of their own (WEGWIJS_METRICS_PORT, --metrics)"
            )


class _Figures:
    """The database figures, read again when older than `REFRESH` (one reading at a
    time, however many scrapes arrive together)."""

    def __init__(self, app: App, clock: Callable[[], datetime]) -> None:
        self.app = app
        self.clock = clock
        self.read_at: float | None = None
        self.lock = asyncio.Lock()

    async def fresh(self) -> None:
        async with self.lock:
            now = time.monotonic()
            if self.read_at is not None and now - self.read_at < REFRESH:
                return
            try:
                await refresh_figures(self.app.db, self.clock())
                self.read_at = now
            except Exception as exc:  # the database away: old figures; /readyz says so
                log.warning("metrics: cannot read the database figures (%s)", type(exc).__name__)


async def serve_metrics(
    app: App, host: str, port: int, stop: asyncio.Event, *, clock: Callable[[], datetime] = utcnow
) -> None:
    """Serve `/metrics` (and the probes) on `host:port` until `stop` is set."""
    sock = bind(host, port, what="the metrics", hint="(set WEGWIJS_METRICS_PORT or --metrics)")
    log.info("metrics on %s/metrics", address(host, port))
    await serve_asgi(metrics_app(app, clock), sock, stop, name="metrics")


def metrics_app(app: App, clock: Callable[[], datetime] = utcnow) -> ASGIApp:
    """`/metrics`, and the probes; 404 for anything else."""
    exposition = make_asgi_app()
    figures = _Figures(app, clock)

    async def only_metrics(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] != "/metrics":
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"not found"})
            return
        await figures.fresh()
        await exposition(scope, receive, send)

    return HealthProbes(only_metrics, app.health)
