"""What the pages show: the start page (its language, the note after a redirect), the
conversation page's context, and where to send a browser that has to start again."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from bot.channels.web import texts as W
from bot.channels.web.binding import new_form_key
from bot.channels.web.chat import MENU, Conversation
from bot.channels.web.context import Chat
from bot.channels.web.render import transcript
from bot.core.language import hint_from_telegram
from bot.core.service import Attach
from flows import texts as T
from flows.languages import LANGUAGES
from storage import WebLine

# Notes on the start page after a redirect (`?m=`): codes, never anything typed.
NOTES = {
    "ended": W.SESSION_ENDED,
    "refused": W.COOKIE_REFUSED,
    "unknown": T.INVITE_UNKNOWN,
    "expired": T.INVITE_EXPIRED,
    "closed": T.CASE_CLOSED,
    "empty": W.CODE_EMPTY,
    "malformed": W.CODE_MALFORMED,
    "throttled": W.THROTTLED,
    "erased": T.DELETED,
    "left": W.LEFT,
    "busy": W.PRACTICE_BUSY,
}
# Notes about the code that was typed: the field is marked invalid with them.
CODE_NOTES = {"unknown", "expired", "empty", "malformed"}
# A used code is answered as an unknown one: a guess must not tell which codes exist.
ATTACH_NOTES = {
    Attach.UNKNOWN: "unknown",
    Attach.USED: "unknown",
    Attach.EXPIRED: "expired",
    Attach.CLOSED: "closed",
}


def page_language(request: Request, fallback: str | None = None) -> str:
    """A page's language before the conversation has one: `?lang=`, else the browser's
    languages, else English."""
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


def to_start(note: str, lang: str | None, **extra: str) -> RedirectResponse:
    """To the start page with a note (`NOTES`) in the given language."""
    query = {"m": note, **extra}
    if lang:
        query["lang"] = lang
    return RedirectResponse(f"/new?{urlencode(query)}", status_code=303)


def start_page(chat: Chat, request: Request, lang: str, *, bound: bool = False) -> Response:
    """The start page; `bound`: this browser has a conversation to go back to."""
    note = request.query_params.get("m", "")
    text = None
    if note in NOTES:
        params: dict[str, Any] = {}
        if note in ("throttled", "busy"):
            wait = request.query_params.get("w", "")
            params["minutes"] = int(wait) if wait.isdigit() and len(wait) < 4 else 15
        text = chat.t(NOTES[note], lang, **params)
    return chat.page(
        "start.html",
        lang,
        title=chat.t(W.PAGE_TITLE, lang),
        note=text,
        invalid=note in CODE_NOTES,
        typed="",
        here="/new",
        bound=bound,
    )


def chat_context(
    chat: Chat, conversation: Conversation, lines: list[WebLine], lang: str
) -> dict[str, Any]:
    """The conversation page's context: the transcript, a fresh form key, the menu."""
    return {
        "title": chat.t(W.PAGE_TITLE, lang),
        "view": transcript(lines),
        "key": new_form_key(),
        "practice": conversation.account.practice,
        "menu": MENU,
    }


def not_found_page(chat: Chat, request: Request) -> Response:
    lang = page_language(request)
    return chat.page("error.html", lang, status=404, message=chat.t(W.NOT_FOUND, lang))
