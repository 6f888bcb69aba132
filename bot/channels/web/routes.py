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
    POST /leave       leave this device (a shared tablet): the binding ends, and
                      every copy of its cookie with it; conversation and answers stay
    GET  /file/ID     a file of the transcript (my data, a calendar file)
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData
from starlette.routing import BaseRoute, Route

from bot.channels.web import texts as W
from bot.channels.web.binding import Binding, forget, new_form_key, read_cookie, set_cookie
from bot.channels.web.chat import Form, Outcome, parse_code
from bot.channels.web.context import Chat, request_chat
from bot.channels.web.errors import database_away_page
from bot.channels.web.pages import (
    ATTACH_NOTES,
    chat_context,
    not_found_page,
    page_language,
    start_page,
    to_start,
)
from bot.channels.web.render import direction, page_lang
from flows.events import Event
from flows.languages import LANGUAGES
from storage import database_away

INT64_MAX = 2**63 - 1
MAX_FIELDS = 10
MAX_TEXT = 20_000  # characters of a typed answer taken at all (the engine says "shorter")

# -- helpers --------------------------------------------------------------------------------


def foreign(request: Request) -> bool:
    """A post from another site: SameSite=Strict keeps the cookie from it, and this
    keeps it from binding this browser to someone else's code. Browsers say where a
    request comes from in `Sec-Fetch-Site`; under `Referrer-Policy: no-referrer` their
    `Origin` is "null" even on this site's own forms, so it is only read without it.
    Without it, "null" is refused: it is also what a sandboxed frame of any site sends."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if not origin:
        return False
    if origin == "null":
        return True
    return urlsplit(origin).netloc != request.headers.get("host", "")


async def read_form(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=MAX_FIELDS, max_part_size=MAX_TEXT * 4)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def refuse_foreign(chat: Chat, lang: str) -> Response:
    return chat.page("error.html", lang, status=403, message=chat.t(W.FOREIGN_FORM, lang))


def bound(chat: Chat, request: Request, binding: Binding, lang: str) -> RedirectResponse:
    """To the conversation, this browser now bound to it (the page in the start page's
    language until the conversation has one)."""
    response = RedirectResponse(f"/?lang={lang}#latest", status_code=303)
    secure = chat.config.secure_cookie or request.url.scheme == "https"
    set_cookie(chat.codec, response, binding, secure=secure)
    return response


def form_lang(request: Request, form: FormData) -> str:
    lang = form.get("lang")
    return lang if isinstance(lang, str) and lang in LANGUAGES else page_language(request)


# -- pages --------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    chat = request_chat(request)
    binding, had_cookie = read_cookie(chat.codec, request)
    if binding is None:
        if had_cookie:  # forged, altered or too old: removed, with a kind word
            return forget(to_start("refused", page_language(request)))
        return start_page(chat, request, page_language(request))
    found = await chat.chat.read(binding)
    if found is None:  # erased, or a practice case past its day
        return forget(to_start("ended", page_language(request)))
    conversation, lines = found
    if not lines:  # bound, nothing said yet (a post that failed half-way): resume
        await chat.chat.begin(binding, Event.start())
        conversation, lines = await chat.chat.read(binding) or (conversation, lines)
    lang = conversation.lang or page_language(request)
    return chat.page("chat.html", lang, **chat_context(chat, conversation, lines, lang))


async def new(request: Request) -> Response:
    chat = request_chat(request)
    binding, _ = read_cookie(chat.codec, request)
    found = await chat.chat.read(binding) if binding is not None else None
    lang = page_language(request, found[0].lang if found else None)
    return start_page(chat, request, lang, bound=found is not None)


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
    lang = form_lang(request, form)
    if foreign(request):
        return refuse_foreign(chat, lang)
    if not raw.strip():
        return to_start("empty", lang)
    code = parse_code(raw[:64])
    if code is None:
        return to_start("malformed", lang)
    address = request.client.host if request.client else "unknown"
    wait = await chat.throttle.attempt(address, chat.clock())
    if wait is not None:
        return to_start("throttled", lang, w=str(wait))
    current, _ = read_cookie(chat.codec, request)
    binding, attached = await chat.chat.bind_code(code, lang, current)
    if binding is None:
        return to_start(ATTACH_NOTES.get(attached, "unknown"), lang)
    await chat.throttle.right(address)
    return bound(chat, request, binding, lang)


async def practice(request: Request) -> Response:
    chat = request_chat(request)
    form = await read_form(request)
    lang = form_lang(request, form)
    if foreign(request):
        return refuse_foreign(chat, lang)
    address = request.client.host if request.client else "unknown"
    wait = await chat.throttle.practice(address, chat.clock())
    if wait is not None:
        return to_start("busy", lang, w=str(wait))
    return bound(chat, request, await chat.chat.practice(lang), lang)


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
    binding, had_cookie = read_cookie(chat.codec, request)
    as_json = wants_json(request)
    if foreign(request):
        return refuse_foreign(chat, page_language(request))
    form = await read_form(request)
    if binding is None:
        return _leave(as_json, forget(to_start("refused" if had_cookie else "ended", None)))
    try:
        outcome, lang = await chat.chat.post(binding, _form(form))
    except Exception as exc:
        if not database_away(exc):
            raise
        return database_away_page(request, form)
    if outcome is not Outcome.SHOWN:
        note = "erased" if outcome is Outcome.ERASED else "ended"
        return _leave(as_json, forget(to_start(note, lang)))
    if not as_json:
        return RedirectResponse("/#latest", status_code=303)
    found = await chat.chat.read(binding)
    if found is None:
        return _leave(as_json, forget(to_start("ended", None)))
    conversation, lines = found
    lang = page_lang(conversation.lang or page_language(request))
    context = chat_context(chat, conversation, lines, lang)
    return JSONResponse(
        {
            "html": chat.render("_page.html", lang, **context),
            "title": context["title"],
            "lang": lang,
            "dir": direction(lang),
        },
        headers={"cache-control": "no-store"},
    )


def _leave(as_json: bool, redirect: RedirectResponse) -> Response:
    """Leave the conversation page: a redirect, or for the script where to go."""
    if not as_json:
        return redirect
    response = JSONResponse({"location": redirect.headers["location"]})
    for name, value in redirect.raw_headers:
        if name == b"set-cookie":
            response.raw_headers.append((name, value))
    return response


async def leave(request: Request) -> Response:
    """A shared device: the browser forgets the conversation; nothing is erased."""
    chat = request_chat(request)
    if foreign(request):
        return refuse_foreign(chat, page_language(request))
    binding, _ = read_cookie(chat.codec, request)
    lang = await chat.chat.leave(binding) if binding is not None else None
    return forget(to_start("left", lang))


async def download(request: Request) -> Response:
    chat = request_chat(request)
    binding, _ = read_cookie(chat.codec, request)
    raw = request.path_params["message_id"]
    if binding is None or not raw.isdigit() or int(raw) > INT64_MAX:
        return not_found_page(chat, request)
    found = await chat.chat.file(binding, int(raw))
    if found is None:
        return not_found_page(chat, request)
    filename, content = found
    media = "text/calendar" if filename.endswith(".ics") else "application/json"
    return Response(
        content.encode("utf-8"),
        media_type=f"{media}; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


ROUTES: tuple[BaseRoute, ...] = (
    Route("/", home, methods=["GET"]),
    Route("/new", new, methods=["GET"]),
    Route("/c/{code}", invite, methods=["GET"]),
    Route("/c/{code}", enter_link, methods=["POST"]),
    Route("/code", enter_code, methods=["POST"]),
    Route("/practice", practice, methods=["POST"]),
    Route("/say", say, methods=["POST"]),
    Route("/leave", leave, methods=["POST"]),
    Route("/file/{message_id}", download, methods=["GET"]),
)
