"""`/healthz` and `/readyz` for the ASGI listeners (the dashboard, the web chat, the
metrics): answered before routing, sessions and logins, as plain JSON, never logged
(uvicorn's access log is off; nothing here logs). The answer is the core's
(`Health.probe`); the Telegram webhook server (aiohttp) gives the same on its own two
routes (`bot.channels.telegram.probes`).

Registered with one line on each app: `web.add_middleware(HealthProbes, health=...)`."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from bot.core.health import PROBE_PATHS, Health

__all__ = ["HealthProbes"]


class HealthProbes:
    def __init__(self, app: ASGIApp, health: Health) -> None:
        self.app = app
        self.health = health

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in PROBE_PATHS:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            status, body = 405, b'{"status": "method not allowed"}'
        else:
            status, body = await self.health.probe(scope["path"])
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )
