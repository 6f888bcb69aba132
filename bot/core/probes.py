"""`/healthz` and `/readyz` for the ASGI listeners (the dashboard, the web chat): answered
before routing, sessions and logins, as plain JSON, never logged (uvicorn's access log
is off; nothing here logs). The Telegram webhook server (aiohttp) has its own two routes
on the same `Health` (`bot.channels.telegram.probes`).

Registered with one line on each app: `web.add_middleware(HealthProbes, health=...)`."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from bot.core.health import Health

__all__ = ["PROBE_PATHS", "HealthProbes", "probe_answer"]

PROBE_PATHS = ("/healthz", "/readyz")


async def probe_answer(health: Health, path: str) -> tuple[int, bytes]:
    """The status and JSON body for a probe path: 200, or 503 when not ready."""
    if path == "/healthz":
        return 200, json.dumps(health.liveness()).encode()
    readiness = await health.readiness()
    return (200 if readiness.ready else 503), json.dumps(readiness.as_json()).encode()


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
            status, body = await probe_answer(self.health, scope["path"])
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )
