"""The web chat as an ASGI application of its own (FastAPI + Jinja2), so a municipality
can put only the chat on the internet and keep the dashboard inside. Built from data:
the routes (`routes.ROUTES`), the templates, the static files, the ASGI wrappers (the
same strict Content-Security-Policy as the dashboard, a limit on request bodies)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels.web import texts as W
from bot.channels.web.binding import BindingCodec
from bot.channels.web.chat import WebChat
from bot.channels.web.metrics import ChatMetrics
from bot.channels.web.render import direction, page_lang
from bot.channels.web.throttle import CodeThrottle
from bot.core.app import App
from bot.core.clock import utcnow
from bot.core.http import CONTENT_SECURITY_POLICY as DASHBOARD_POLICY
from bot.core.http import (
    SECURITY_HEADERS,
    BodyLimit,
    SecurityHeaders,
    address,
    app_signing_key,
    bind,
    serve_asgi,
)
from bot.core.probes import HealthProbes
from flows.languages import LANGUAGES
from flows.replies import Msg

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
# The dashboard's policy, and the page's own script may post to the page's own address.
CONTENT_SECURITY_POLICY = f"{DASHBOARD_POLICY}; connect-src 'self'"
HEADERS = {**SECURITY_HEADERS, "Content-Security-Policy": CONTENT_SECURITY_POLICY}
# A typed answer of 5,000 characters in Ge'ez is 15 KB; forms are small otherwise.
MAX_BODY = 64 * 1024


@dataclass
class ChatConfig:
    secret: bytes
    clock: Callable[[], datetime] = utcnow
    secure_cookie: bool = False  # set when the chat is served over https only


class Chat:
    """The web chat's state, one per application: the conversation side, the cookie
    codec, the throttle, the templates."""

    def __init__(self, app: App, config: ChatConfig) -> None:
        self.app = app
        self.config = config
        self.clock = config.clock
        self.codec = BindingCodec(config.secret)
        self.chat = WebChat(app, self.codec, config.clock)
        self.throttle = CodeThrottle(app.db, config.secret)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.static_version = _static_version()

    def t(self, msgid: str, lang: str, **params: Any) -> str:
        return self.app.renderer.text(Msg.of(msgid, **params), lang)

    def render(self, name: str, lang: str | None, **context: Any) -> str:
        lang = page_lang(lang)
        template = self.env.get_template(name)
        return template.render(
            lang=lang,
            dir=direction(lang),
            t=lambda msgid, **params: self.t(msgid, lang, **params),
            W=W,
            languages=LANGUAGES.values(),
            municipality=self.app.municipality.name,
            static_version=self.static_version,
            **context,
        )

    def page(
        self, name: str, lang: str | None, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        return HTMLResponse(self.render(name, lang, **context), status_code=status)


def _static_version() -> str:
    """A short hash of the static files, so a new version is fetched at once."""
    digest = hashlib.sha256()
    for path in sorted((HERE / "static").iterdir()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


class Quiet:
    """Nothing of a person in the logs, even from a failure: FastAPI renders the error
    page and then raises the exception again for the server to log, with a traceback
    whose message may quote a person's answer (a database error's parameters). Here it
    ends, logged by its type only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            log.error("web chat request failed: %s", type(exc).__name__)
            if scope["type"] == "http" and not started:
                body = b"Wegwijs: something went wrong. Please try again."
                await send(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": body})


def create_app(app: App, config: ChatConfig) -> SecurityHeaders:
    """The web chat as an ASGI application (the FastAPI app is its `.app`)."""
    from bot.channels.web.errors import install_error_pages
    from bot.channels.web.routes import ROUTES

    web = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, routes=list(ROUTES))
    web.state.chat = Chat(app, config)
    web.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_error_pages(web)
    web.add_middleware(BodyLimit, limit=MAX_BODY)
    web.add_middleware(ChatMetrics)
    web.add_middleware(HealthProbes, health=app.health)
    # `no-store` on pages: a conversation is nobody else's business, not even a shared
    # browser's cache. The static files' URLs carry their version, so they may be kept.
    return SecurityHeaders(Quiet(web), HEADERS, static_cache="public, max-age=86400")


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
    await serve_asgi(create_app(app, config), sock, stop, name="web chat")


def request_chat(request: Request) -> Chat:
    return request.app.state.chat  # type: ignore[no-any-return]
