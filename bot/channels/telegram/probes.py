"""`/healthz` and `/readyz` on the Telegram webhook server (aiohttp), the same answers
as the other listeners give (`Health.probe`). The webhook server has no access log."""

from __future__ import annotations

from aiohttp import web

from bot.core.health import PROBE_PATHS, Health

__all__ = ["add_probes"]


def add_probes(application: web.Application, health: Health) -> None:
    async def probe(request: web.Request) -> web.Response:
        status, body = await health.probe(request.path)
        return web.Response(
            status=status,
            body=body,
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    for path in PROBE_PATHS:
        application.router.add_get(path, probe)  # HEAD too (aiohttp adds it)
