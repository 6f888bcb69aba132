"""The web chat's state, one per application (`Chat`: the conversation side, the
cookie codec, the throttle, the templates) and how a page handler reaches it
(`request_chat`). Routes, pages and error pages import this, never the application
(`app`), which imports them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from bot.channels.web import texts as W
from bot.channels.web.binding import BindingCodec
from bot.channels.web.chat import WebChat
from bot.channels.web.render import direction, page_lang
from bot.channels.web.throttle import CodeThrottle
from bot.core.app import App
from bot.core.clock import utcnow
from bot.web.templates import environment
from flows.languages import LANGUAGES
from flows.replies import Msg

HERE = Path(__file__).resolve().parent


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
        self.env = environment(HERE / "templates")
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


def request_chat(request: Request) -> Chat:
    return request.app.state.chat  # type: ignore[no-any-return]
