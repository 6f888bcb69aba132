"""The web chat's page steps, counted and timed for Prometheus (`bot.core.metrics`): the
step is the route's handler name (home, invite, say, …), never the path, which may hold
an invite code."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.core.metrics import WEB_CHAT_REQUESTS, WEB_CHAT_SECONDS

__all__ = ["ChatMetrics"]


class ChatMetrics:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noted)
        finally:
            step = _step(scope)
            WEB_CHAT_REQUESTS.labels(step, str(status)).inc()
            WEB_CHAT_SECONDS.labels(step).observe(time.perf_counter() - started)


def _step(scope: Scope) -> str:
    """The routing fills `endpoint` into the scope it was given (Starlette updates it in
    place); the static files and unknown paths have none of ours."""
    if scope["path"].startswith("/static/"):
        return "static"
    endpoint = scope.get("endpoint")
    name = getattr(endpoint, "__name__", None)
    return name if isinstance(name, str) and endpoint.__module__.startswith("bot.") else "other"
