"""Failures that become pages: every error with its real status (404, 405 with `Allow`,
413, 400, 403, 429…), rendered as the friendly Dutch page, never FastAPI's JSON."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from bot.dashboard.context import Dashboard
from bot.dashboard.refusals import LoginRequired, NotFound, Refused
from bot.dashboard.security import SESSION_COOKIE

# What the page says for a status from the HTTP layer (a wrong method, a body too large).
HTTP_MESSAGES = {
    405: "Deze pagina kan zo niet worden opgevraagd.",
    413: "Het formulier is te groot.",
}


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes on this path (Starlette names only the first
    route's, and /login has a GET route and a POST route)."""
    allowed: set[str] = set()
    for route in request.app.routes:
        match, _child = route.matches(request.scope)
        if match is Match.PARTIAL:
            allowed |= getattr(route, "methods", None) or set()
    return sorted(allowed)


def install_error_pages(web: FastAPI, dash: Dashboard) -> None:
    """The exception handlers of the dashboard's FastAPI application."""

    async def login_required(request: Request, _exc: Exception) -> Response:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        if request.method != "GET" or target == "/":
            return RedirectResponse("/login", status_code=303)
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    async def not_found(request: Request, _exc: Exception) -> Response:
        return dash.page(
            request,
            "error.html",
            code=404,
            title="Niet gevonden",
            message="Deze pagina of case bestaat niet, of is niet van u.",
        )

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        return dash.page(
            request, "error.html", code=exc.status, title="Niet gelukt", message=exc.message
        )

    async def malformed(request: Request, _exc: Exception) -> Response:
        """A malformed or out-of-range number in a path: no session → the login page,
        else a 404 page."""
        if dash.codec.loads(request.cookies.get(SESSION_COOKIE), dash.clock()) is None:
            return await login_required(request, LoginRequired())
        return await not_found(request, NotFound())

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return await not_found(request, NotFound())
        response = dash.page(
            request,
            "error.html",
            code=exc.status_code,
            title="Niet gelukt",
            message=HTTP_MESSAGES.get(exc.status_code, "Dit verzoek kon niet worden verwerkt."),
        )
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        if exc.status_code == 405:
            response.headers["allow"] = ", ".join(allowed_methods(request))
        return response

    web.add_exception_handler(LoginRequired, login_required)
    web.add_exception_handler(NotFound, not_found)
    web.add_exception_handler(Refused, refused)
    web.add_exception_handler(RequestValidationError, malformed)
    web.add_exception_handler(StarletteHTTPException, http_error)
