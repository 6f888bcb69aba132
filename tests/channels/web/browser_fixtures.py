"""The web chat in a real browser: one chat server per test module (the real
`bot.channels.web.server.serve` on uvicorn, in a thread with its own event loop, on a fresh
SQLite database and a free port), one headless Chromium per module (Debian's, as for
the dashboard: never a browser that Playwright downloads), and a person's browser with
JavaScript on or off, on a phone-sized screen.

Cases are made through `bot.core` (`Service.create_case`), as the dashboard makes them;
what a test checks of the stored answers it reads through `storage` on the server's loop
(`ChatLive.run`). The fixtures (`live`, `chat_browser`, `contexts`) are imported by the
browser test modules; the directory's conftest.py belongs to the web chat's own tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

from bot.channels.web.binding import COOKIE, BindingCodec
from bot.channels.web.context import ChatConfig
from bot.channels.web.server import serve
from bot.core.app import App, build
from storage import (
    Answer,
    AnswerRepository,
    Case,
    CaseRepository,
    WebAccount,
    WebChatRepository,
    WebMessage,
)
from tests.channels.web.conftest import settings_for
from tests.dashboard.test_browser import CHROMIUM_ARGS, chromium
from tests.live_server import served

T = TypeVar("T")
SECRET = b"browser-chat" * 3
CHANNEL = "web"
PHONE = {"width": 360, "height": 740}  # a common Android phone
NARROW = {"width": 320, "height": 640}  # the narrowest the chat must work on


@dataclass
class ChatLive:
    """The running chat: its address, the application behind it, its loop."""

    app: App
    url: str
    loop: asyncio.AbstractEventLoop
    codec: BindingCodec

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the server's loop (the database belongs to it)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def new_case(self, language: str | None = None) -> Case:
        """A case with a fresh invite code, made the way the dashboard makes one."""
        return self.run(self.app.service.create_case(label="browser", language=language))

    def invite_link(self, case: Case) -> str:
        return f"{self.url}/c/{case.invite_code.replace('-', '')}"

    # -- what is stored --------------------------------------------------------------------

    def case(self, case_id: str) -> Case | None:
        async def read() -> Case | None:
            async with self.app.db.session(readonly=True) as session:
                return await CaseRepository(session).get(case_id)

        return self.run(read())

    def answers(self, case_id: str) -> list[Answer]:
        """Every answer row of the case, superseded ones too (a double count shows here)."""

        async def read() -> list[Answer]:
            async with self.app.db.session(readonly=True) as session:
                return list(await AnswerRepository(session).all(case_id))

        return self.run(read())

    def account(self, context: Any) -> WebAccount | None:
        """The web chat account a browser context's cookie points to (None: no cookie,
        or nothing behind it)."""
        chat_id = self.chat_id(context)
        if chat_id is None:
            return None

        async def read() -> WebAccount | None:
            async with self.app.db.session(readonly=True) as session:
                return await WebChatRepository(session).account(CHANNEL, chat_id)

        return self.run(read())

    def lines(self, account_id: int) -> list[WebMessage]:
        async def read() -> list[WebMessage]:
            async with self.app.db.session(readonly=True) as session:
                return list(await WebChatRepository(session).lines(account_id))

        return self.run(read())

    def chat_id(self, context: Any) -> int | None:
        for cookie in context.cookies(self.url):
            if cookie["name"] == COOKIE:
                binding = self.codec.loads(cookie["value"])
                return binding.chat_id if binding else None
        return None


@pytest.fixture(name="live", scope="module")
def live_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatLive]:
    """The web chat on a fresh SQLite database and a free port, for one module."""
    chromium()  # no server without a browser to look at it
    settings = settings_for(tmp_path_factory.mktemp("webchat") / "wegwijs.db")
    # The browsers' X-Forwarded-For is believed from this machine only, as behind a proxy.
    app = build(settings.model_copy(update={"trusted_proxies": "127.0.0.1"}))

    def serving(port: int, stop: asyncio.Event) -> Coroutine[Any, Any, None]:
        return serve(app, "127.0.0.1", port, stop, config=ChatConfig(secret=SECRET))

    with served(app, serving, what="the web chat") as (url, loop):
        yield ChatLive(app, url, loop, BindingCodec(SECRET))


@pytest.fixture(name="chat_browser", scope="module")
def chat_browser_fixture() -> Iterator[Any]:
    """One headless Chromium for the module; each test opens its own contexts. Not for
    the session: Playwright's sync API runs one at a time in a process, and the
    dashboard's browser tests start their own after this module is done."""
    from playwright.sync_api import sync_playwright

    path = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


class Contexts:
    """Opens browser contexts (a person's browser each: own cookies) and closes them."""

    def __init__(self, browser: Any, live: ChatLive) -> None:
        self.browser = browser
        self.live = live
        self.opened: list[Any] = []

    def new(
        self,
        *,
        js: bool = True,
        viewport: dict[str, int] | None = None,
        locale: str = "en-GB",
        address: str | None = None,
    ) -> Any:
        """A person's browser. `address`: as if from that address (the chat trusts the
        X-Forwarded-For of a proxy on this machine), so throttling one address in a test
        leaves the others alone."""
        headers = {"X-Forwarded-For": address} if address else None
        context = self.browser.new_context(
            java_script_enabled=js,
            viewport=viewport or PHONE,
            locale=locale,
            base_url=self.live.url,
            accept_downloads=True,
            extra_http_headers=headers,
        )
        context.set_default_timeout(10_000)
        self.opened.append(context)
        return context

    def page(self, **kwargs: Any) -> Any:
        return self.new(**kwargs).new_page()

    def close(self) -> None:
        for context in self.opened:
            context.close()


@pytest.fixture(name="contexts")
def contexts_fixture(chat_browser: Any, live: ChatLive) -> Iterator[Contexts]:
    """Browser contexts for one test, closed after it."""
    opened = Contexts(chat_browser, live)
    try:
        yield opened
    finally:
        opened.close()
