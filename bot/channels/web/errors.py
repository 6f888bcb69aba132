"""Every failure as a kind page in the visitor's language, with its real status (404,
405 with `Allow`, 413, 400, 500); never FastAPI's JSON, never a traceback."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.channels.web import texts as W
from bot.channels.web.context import request_chat
from bot.channels.web.pages import not_found_page, page_language


def install_error_pages(web: FastAPI) -> None:
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        chat = request_chat(request)
        if exc.status_code == 404:
            return not_found_page(chat, request)
        lang = page_language(request)
        # A wrong method (GET on a form's address) is no page to show, not our failure.
        message = {413: W.TOO_LARGE, 405: W.NOT_FOUND}.get(exc.status_code, W.ERROR)
        response = chat.page(
            "error.html", lang, status=exc.status_code, message=chat.t(message, lang)
        )
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def malformed(request: Request, _exc: Exception) -> Response:
        chat = request_chat(request)
        lang = page_language(request)
        return chat.page("error.html", lang, status=400, message=chat.t(W.ERROR, lang))

    async def failed(request: Request, _exc: Exception) -> Response:
        chat = request_chat(request)
        lang = page_language(request)
        return chat.page("error.html", lang, status=500, message=chat.t(W.ERROR, lang))

    web.add_exception_handler(StarletteHTTPException, http_error)
    web.add_exception_handler(RequestValidationError, malformed)
    web.add_exception_handler(Exception, failed)


def database_away_page(request: Request, form: FormData) -> Response:
    """The database is away: a kind page (503) that keeps what was sent, to send again
    in a minute with one press (the form's key `k` makes a repeat count once)."""
    chat = request_chat(request)
    lang = page_language(request)
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    hidden = [(n, fields[n]) for n in ("k", "v", "choice", "command") if fields.get(n)]
    kept = {"hidden": hidden, "text": fields.get("text")}
    message = chat.t(W.DATABASE_AWAY, lang)
    return chat.page("error.html", lang, status=503, message=message, kept=kept)
