"""Serving the metrics (`GET /metrics`, Prometheus' text format) on their own address,
never on a listener that faces the internet, and reading the database figures there
every `REFRESH` seconds (`bot.core.metrics.refresh_figures`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from prometheus_client import make_asgi_app

from bot.core.app import App, StartupError
from bot.core.clock import utcnow
from bot.core.http import address, bind, serve_asgi
from bot.core.metrics import REFRESH, refresh_figures
from bot.core.probes import HealthProbes

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


async def _refresh(app: App, stop: asyncio.Event, clock: Callable[[], datetime]) -> None:
    while not stop.is_set():
        try:
            await refresh_figures(app.db, clock())
        except Exception as exc:  # the database away: the figures wait; /readyz says so
            log.warning("metrics: cannot read the database figures (%s)", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), REFRESH)


async def serve_metrics(
    app: App, host: str, port: int, stop: asyncio.Event, *, clock: Callable[[], datetime] = utcnow
) -> None:
    """Serve `/metrics` (and the probes) on `host:port` until `stop` is set."""
    sock = bind(host, port, what="the metrics", hint="(set WEGWIJS_METRICS_PORT or --metrics)")
    log.info("metrics on %s/metrics", address(host, port))
    metrics = make_asgi_app()

    async def only_metrics(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http" and scope["path"] != "/metrics":
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"not found"})
            return
        await metrics(scope, receive, send)

    refresher = asyncio.create_task(_refresh(app, stop, clock))
    try:
        await serve_asgi(HealthProbes(only_metrics, app.health), sock, stop, name="metrics")
    finally:
        refresher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await refresher
