"""Serving the web chat: beside the bot, the worker and the dashboard (`wegwijs run`),
on uvicorn, until `stop` is set."""

from __future__ import annotations

import asyncio
import logging
from typing import TextIO

from bot.channels.web.app import asgi_app
from bot.channels.web.context import ChatConfig
from bot.core.app import App
from bot.web.keys import app_signing_key
from bot.web.serving import address, bind, serve_asgi

log = logging.getLogger(__name__)


def chat_config(app: App, *, out: TextIO | None = None) -> ChatConfig:
    key = app_signing_key(
        app,
        temporary_note="Web chat: WEGWIJS_SECRET_KEY is not set, so browsers are linked with a "
        "temporary key and lose their conversation when Wegwijs restarts.",
        out=out,
    )
    return ChatConfig(secret=key, secure_cookie=app.settings.chat_url.startswith("https:"))


async def serve(
    app: App,
    host: str,
    port: int,
    stop: asyncio.Event,
    *,
    config: ChatConfig | None = None,
    out: TextIO | None = None,
) -> None:
    """Serve the web chat on `host:port` until `stop` is set."""
    config = config or chat_config(app, out=out)
    sock = bind(host, port, what="the web chat", hint="(set WEGWIJS_CHAT_PORT or --chat)")
    log.info("web chat on %s", address(host, port))
    proxies = app.settings.trusted_proxy_list
    await serve_asgi(asgi_app(app, config), sock, stop, name="web chat", trusted_proxies=proxies)
