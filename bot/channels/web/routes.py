"""The web chat's pages. Without JavaScript every button is a form post, answered with
a redirect to the page (post, redirect, get); with it, `static/chat.js` posts the same
forms with `fetch` and gets the new page part as JSON.

    GET  /            the conversation (bound) or the start page (code, practice)
    GET  /new         the start page, also when bound: a new code ends this binding
    GET  /c/CODE      an invite link: a page with a Start button (a link preview must
                      not use the code up)
    POST /c/CODE      start with that code
    POST /code        start with a typed code (`code`)
    POST /practice    "Try it without a code"
    POST /say         one step: `k` (idempotency key), `v` (page version) and one of
                      `choice` (a button's data), `text` (a typed answer), `command`
    GET  /file/ID     a file of the transcript (my data, a calendar file)
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Route

from bot.channels.web import texts as W
from bot.channels.web.app import Chat, request_chat
from bot.channels.web.binding import COOKIE, LIFETIME, Binding, new_form_key
from bot.channels.web.chat import MENU, Conversation, Form, Outcome, parse_code
from bot.channels.web.render import WEGWIJS, transcript
from bot.core.language import hint_from_telegram
from bot.core.service import Attach
from flows import texts as T
from flows.languages import LANGUAGES

log = logging.getLogger(__name__)

INT64_MAX = 2**63 - 1
MAX_FIELDS = 10
MAX_TEXT = 20_000  # characters of a typed answer taken at all (the engine says "shorter")

# Notes on the start page after a redirect (`?m=`): codes, never anything typed.
NOTES = {
    "ended": W.SESSION_ENDED,
    "refused": W.COOKIE_REFUSED,
    "unknown": T.INVITE_UNKNOWN,
    "used": T.INVITE_USED,
    "expired": T.INVITE_EXPIRED,
    "empty": W.CODE_EMPTY,
    "malformed": W.CODE_MALFORMED,
    "throttled": W.THROTTLED,
    "erased": T.DELETED,
}
ATTACH_NOTES = {Attach.UNKNOWN: "unknown", Attach.USED: "used", Attach.EXPIRED: "expired"}


# -- helpers ------------------------------------------------------------------------------


def page_language(request: Request, fallback: str | None = None) -> str:
    """The start page's language: `?lang=`, else the browser's languages, else English."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    if fallback in LANGUAGES:
        return fallback  # type: ignore[return-value]
    for part in request.headers.get("accept-language", "").split(","):
        hint = hint_from_telegram(part.split(";")[0])
        if hint is not None:
            return hint
    return "en"


def cookie_binding(chat: Chat, request: Request) -> tuple[Binding | None, bool]:
    """The binding in the cookie, and whether a cookie was there at all."""
    raw = request.cookies.get(COOKIE)
    return chat.codec.loads(raw), raw is not None


def set_binding(chat: Chat, request: Request, response: Response, binding: Binding) -> None:
    response.set_cookie(
        COOKIE,
        chat.codec.dumps(binding),
        max_age=int(LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=chat.config.secure_cookie or request.url.scheme == "https",
    )


def end_binding(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def _forget(response: RedirectResponse) -> RedirectResponse:
    end_binding(response)
    return response


def to_start(note: str, lang: str | None, **extra: str) -> RedirectResponse:
    query = {"m": note, **extra}
    if lang:
        query["lang"] = lang
    return RedirectResponse(f"/new?{urlencode(query)}", status_code=303)


def foreign(request: Request) -> bool:
    """A post from another site: SameSite=Strict keeps the cookie from it, and this
    keeps it from binding this browser to someone else's code. Browsers say where a
    request comes from in `Sec-Fetch-Site`; under `Referrer-Policy: no-referrer` their
    `Origin` is "null" even on this site's own forms, so it is only read without it."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return False
    return urlsplit(origin).netloc != request.headers.get("host", "")


async def read_form(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=MAX_TEXT * 4)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


# -- pages --------------------------------------------------------------------------------


def start_page(
    chat: Chat, request: Request, lang: str, *, status: int = 200, forget: bool = False
) -> Response:
    note = request.query_params.get("m", "")
    text = None
    if note in NOTES:
        params: dict[str, Any] = {}
        if note == "throttled":
            wait = request.query_params.get("w", "")
            params["minutes"] = int(wait) if wait.isdigit() and len(wait) < 4 else 15
        text = chat.t(NOTES[note], lang, **params)
    response = chat.page(
        "start.html",
        lang,
        status=status,
        title=chat.t(W.PAGE_TITLE, lang),
        note=text,
        typed="",
        here="/new",
    )
    if forget:
        end_binding(response)
    return response


def chat_page_context(chat: Chat, conversation: Conversation, lines: list[Any]) -> dict[str, Any]:
    view = transcript(lines)
    lang = conversation.lang
    return {
        "title": chat.t(W.PAGE_TITLE, lang or "en"),
        "view": view,
        "key": new_form_key(),
        "practice": conversation.account.practice,
        "menu": MENU,
        "sender_you": WEGWIJS,
    }


async def home(request: Request) -> Response:
    chat = request_chat(request)
    binding, had_cookie = cookie_binding(chat, request)
    if binding is None:
        if had_cookie:  # forged, altered or too old: removed, with a kind word
            return _forget(to_start("refused", page_language(request)))
        return start_page(chat, request, page_language(request))
    found = await chat.chat.read(binding)
    if found is None:  # erased, or a practice case past its day
        return _forget(to_start("ended", page_language(request)))
    conversation, lines = found
    if not lines:  # bound, nothing said yet (a post that failed half-way): resume
        await chat.chat.begin(binding, _start_event(request))
        conversation, lines = await chat.chat.read(binding) or (conversation, lines)
    context = chat_page_context(chat, conversation, lines)
    return chat.page("chat.html", conversation.lang, **context)


def _start_event(request: Request) -> Any:
    from flows.events import Event

    return Event.start(page_language(request) if request.query_params.get("lang") else None)


async def new(request: Request) -> Response:
    chat = request_chat(request)
    return start_page(chat, request, page_language(request))


async def invite(request: Request) -> Response:
    chat = request_chat(request)
    lang = page_language(request)
    raw = request.path_params["code"]
    code = parse_code(raw)
    if code is None:
        return to_start("malformed", lang)
    return chat.page(
        "invite.html",
        lang,
        title=chat.t(W.INVITE_HEADING, lang),
        code=code,
        here=f"/c/{code.replace('-', '')}",
    )


async def enter_link(request: Request) -> Response:
    return await _enter(request, request.path_params["code"], await read_form(request))


async def enter_code(request: Request) -> Response:
    form = await read_form(request)
    return await _enter(request, str(form.get("code") or ""), form)


async def _enter(request: Request, raw: str, form: FormData) -> Response:
    chat = request_chat(request)
    lang = str(form.get("lang") or "")
    lang = lang if lang in LANGUAGES else page_language(request)
    if foreign(request):
        return chat.page("error.html", lang, status=403, message=chat.t(W.FOREIGN_FORM, lang))
    if not raw.strip():
        return to_start("empty", lang)
    code = parse_code(raw[:64])
    if code is None:
        return to_start("malformed", lang)
    address = request.client.host if request.client else "unknown"
    wait = await chat.throttle.attempt(address, chat.clock())
    if wait is not None:
        return to_start("throttled", lang, w=str(wait))
    current, _ = cookie_binding(chat, request)
    binding, attached = await chat.chat.bind_code(code, lang, current)
    if binding is None:
        return to_start(ATTACH_NOTES.get(attached, "unknown"), lang)
    await chat.throttle.right(address)
    response = RedirectResponse("/#latest", status_code=303)
    set_binding(chat, request, response, binding)
    return response


async def practice(request: Request) -> Response:
    chat = request_chat(request)
    form = await read_form(request)
    lang = str(form.get("lang") or "")
    lang = lang if lang in LANGUAGES else page_language(request)
    if foreign(request):
        return chat.page("error.html", lang, status=403, message=chat.t(W.FOREIGN_FORM, lang))
    binding = await chat.chat.practice(lang)
    response = RedirectResponse("/#latest", status_code=303)
    set_binding(chat, request, response, binding)
    return response


def _form(form: FormData) -> Form:
    def field(name: str) -> str | None:
        value = form.get(name)
        return value if isinstance(value, str) else None

    key = field("k") or new_form_key()
    version = field("v")
    return Form(
        key=key[:64],
        version=int(version) if version and version.isdigit() and len(version) < 19 else None,
        choice=field("choice"),
        text=(field("text") or "")[:MAX_TEXT] if field("text") is not None else None,
        command=field("command"),
    )


async def say(request: Request) -> Response:
    chat = request_chat(request)
    binding, had_cookie = cookie_binding(chat, request)
    as_json = wants_json(request)
    if foreign(request):
        lang = page_language(request)
        return chat.page("error.html", lang, status=403, message=chat.t(W.FOREIGN_FORM, lang))
    form = await read_form(request)
    if binding is None:
        return _leave(as_json, _forget(to_start("refused" if had_cookie else "ended", None)))
    outcome, lang = await chat.chat.post(binding, _form(form))
    if outcome is not Outcome.SHOWN:
        note = "erased" if outcome is Outcome.ERASED else "ended"
        return _leave(as_json, _forget(to_start(note, lang)))
    if not as_json:
        return RedirectResponse("/#latest", status_code=303)
    found = await chat.chat.read(binding)
    if found is None:
        return _leave(as_json, _forget(to_start("ended", None)))
    conversation, lines = found
    context = chat_page_context(chat, conversation, lines)
    lang = conversation.lang
    html = chat.render("_page.html", lang, **context)
    return JSONResponse(
        {"html": html, "title": context["title"], "lang": lang or "en", "dir": _dir(lang)},
        headers={"cache-control": "no-store"},
    )


def _dir(lang: str | None) -> str:
    from bot.channels.web.render import direction, page_lang

    return direction(page_lang(lang))


def _leave(as_json: bool, redirect: RedirectResponse) -> Response:
    """Leave the conversation page: a redirect, or for the script where to go."""
    if not as_json:
        return redirect
    response = JSONResponse({"location": redirect.headers["location"]})
    for name, value in redirect.raw_headers:
        if name == b"set-cookie":
            response.raw_headers.append((name, value))
    return response


async def download(request: Request) -> Response:
    chat = request_chat(request)
    binding, _ = cookie_binding(chat, request)
    raw = request.path_params["message_id"]
    if binding is None or not raw.isdigit() or int(raw) > INT64_MAX:
        return not_found_page(chat, request)
    conversation = await chat.chat.conversation(binding)
    found = await chat.chat.file(conversation, int(raw)) if conversation else None
    if found is None:
        return not_found_page(chat, request)
    filename, content = found
    media = "text/calendar" if filename.endswith(".ics") else "application/json"
    return Response(
        content.encode("utf-8"),
        media_type=f"{media}; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


def not_found_page(chat: Chat, request: Request) -> Response:
    lang = page_language(request)
    return chat.page("error.html", lang, status=404, message=chat.t(W.NOT_FOUND, lang))


ROUTES: tuple[BaseRoute, ...] = (
    Route("/", home, methods=["GET"]),
    Route("/new", new, methods=["GET"]),
    Route("/c/{code}", invite, methods=["GET"]),
    Route("/c/{code}", enter_link, methods=["POST"]),
    Route("/code", enter_code, methods=["POST"]),
    Route("/practice", practice, methods=["POST"]),
    Route("/say", say, methods=["POST"]),
    Route("/file/{message_id}", download, methods=["GET"]),
)


def install_error_pages(web: FastAPI) -> None:
    """Every failure as a kind page in the visitor's language, with its real status."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        chat = request_chat(request)
        lang = page_language(request)
        if exc.status_code == 404:
            return not_found_page(chat, request)
        message = W.TOO_LARGE if exc.status_code == 413 else W.ERROR
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
