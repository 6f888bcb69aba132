"""The dashboard as an ASGI application, composed from data and nothing else: the
routers (`routes.ROUTERS`), the error pages, the static files, the state
(`context.Dashboard`) and the ASGI wrappers.

Every page needs a session (`current_user`; otherwise a redirect to the login page);
every form carries the session's CSRF token (`csrf_form`); every case is looked up
through `owned_case`, which answers 404 for a case of another consulent; every view,
export and change is written to the audit log before the response goes out.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.core.app import App
from bot.dashboard.context import HERE, Dashboard, DashboardConfig
from bot.dashboard.errors import install_error_pages
from bot.dashboard.middleware import BodyLimits, HeadAsGet
from bot.dashboard.routes import ROUTERS
from bot.dashboard.routes.texts_files import UPLOAD_MAX, UPLOAD_PATH
from bot.web.middleware import SecurityHeaders
from bot.web.probes import HealthProbes

__all__ = ["DashboardConfig", "asgi_app"]


def asgi_app(app: App, config: DashboardConfig) -> SecurityHeaders:
    """The dashboard on `app`'s database, flow and renderer, as an ASGI application (the
    FastAPI app is its `.app`)."""
    dash = Dashboard(app, config)
    # The routers' routes, flat (as Starlette takes `routes=`): the routers carry no
    # prefix or dependencies of their own, and `web.routes` lists every page, on every
    # FastAPI (since 0.137 `include_router` keeps a router as one opaque node).
    routes = [route for router in ROUTERS for route in router.routes]
    # No trailing-slash redirect: Starlette builds it from the Host header (an absolute
    # URL to whatever host a request names); "/login/" is a 404 like any unknown path.
    web = FastAPI(
        docs_url=None, redoc_url=None, openapi_url=None, routes=routes, redirect_slashes=False
    )
    web.state.dashboard = dash
    web.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_error_pages(web, dash)
    web.add_middleware(BodyLimits, larger=((UPLOAD_PATH, UPLOAD_MAX),))
    web.add_middleware(HeadAsGet)
    web.add_middleware(HealthProbes, health=app.health)
    return SecurityHeaders(web)
