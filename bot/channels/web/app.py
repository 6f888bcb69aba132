"""The web chat as an ASGI application of its own (FastAPI + Jinja2), so a municipality
can put only the chat on the internet and keep the dashboard inside. Composed from data
and nothing else: the routes (`routes.ROUTES`), the error pages, the static files, the
state (`context.Chat`) and the ASGI wrappers (the same strict Content-Security-Policy as
the dashboard, a limit on request bodies, nothing of a person in the logs)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.channels.web.context import HERE, Chat, ChatConfig
from bot.channels.web.errors import install_error_pages
from bot.channels.web.metrics import ChatMetrics
from bot.channels.web.middleware import HEADERS, MAX_BODY, Quiet
from bot.channels.web.routes import ROUTES
from bot.core.app import App
from bot.web.middleware import BodyLimit, SecurityHeaders
from bot.web.probes import HealthProbes

__all__ = ["ChatConfig", "asgi_app"]


def asgi_app(app: App, config: ChatConfig) -> SecurityHeaders:
    """The web chat on `app`'s service, as an ASGI application (the FastAPI app is its
    `.app`)."""
    # No trailing-slash redirect: Starlette builds it from the Host header (an absolute
    # URL to whatever host a request names); "/new/" is a 404 page like any unknown path.
    web = FastAPI(
        docs_url=None, redoc_url=None, openapi_url=None, routes=list(ROUTES), redirect_slashes=False
    )
    web.state.chat = Chat(app, config)
    web.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_error_pages(web)
    web.add_middleware(BodyLimit, limit=MAX_BODY)
    web.add_middleware(ChatMetrics)
    web.add_middleware(HealthProbes, health=app.health)
    # `no-store` on pages: a conversation is nobody else's business, not even a shared
    # browser's cache. The static files' URLs carry their version, so they may be kept.
    return SecurityHeaders(Quiet(web), HEADERS, static_cache="public, max-age=86400")
