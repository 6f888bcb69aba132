"""A web chat on a fresh SQLite database (PostgreSQL too where a test asks for
`webchat_any`), with clients that post forms the way a browser without JavaScript does
(`Browser`), and helpers to read the page."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from bot.channels.web.app import ChatConfig, asgi_app
from bot.core.app import App, build
from bot.core.appointments import AppointmentService
from bot.core.service import Service
from bot.settings import Settings
from storage import Answer, AnswerRepository, Case, CaseRepository
from tests.clock import Clock
from tests.conftest import TestDatabase, fresh_sqlite

HOST = "chat.test"
FIELD = re.compile(r'<input type="hidden" name="(k|v)" value="([^"]*)">')
BUTTON = re.compile(r'<button type="submit" name="choice" value="([^"]*)"[^>]*>([^<]*)</button>')
TAG = re.compile(r"<[^>]+>")


def settings_for(path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{path}",
        secret_key=None,
    )


@dataclass
class Page:
    """What a test reads of a chat page."""

    response: httpx.Response

    @property
    def text(self) -> str:
        return self.response.text

    def fields(self) -> dict[str, str]:
        """The idempotency key and version of the page's forms."""
        return {name: html.unescape(value) for name, value in FIELD.findall(self.text)}

    def buttons(self) -> dict[str, str]:
        """label → data of the buttons of the newest answer."""
        return {
            html.unescape(label).strip(): html.unescape(data)
            for data, label in BUTTON.findall(self.text)
        }

    def transcript(self) -> str:
        """The visible words of the transcript (markup removed, entities read)."""
        start = self.text.find('<ol class="transcript"')
        end = self.text.find("</ol>", start)
        return html.unescape(TAG.sub(" ", self.text[start:end]))

    def press_data(self, label_part: str) -> str:
        """A button's data, by a part of its label (or by its data itself)."""
        if label_part in self.buttons().values():
            return label_part
        for label, data in self.buttons().items():
            if label_part.casefold() in label.casefold():
                return data
        raise AssertionError(f"no button with {label_part!r} in {list(self.buttons())}")


@dataclass
class Browser:
    """One browser without JavaScript: follows redirects, keeps its cookie."""

    client: httpx.AsyncClient
    page: Page | None = None

    async def open(self, path: str = "/") -> Page:
        self.page = Page(await self.client.get(path, follow_redirects=True))
        assert self.page.response.status_code == 200, self.page.text
        return self.page

    async def post(self, path: str, data: dict[str, str]) -> Page:
        response = await self.client.post(path, data=data, follow_redirects=True)
        self.page = Page(response)
        return self.page

    async def press(self, label_part: str) -> Page:
        assert self.page is not None
        data = self.page.press_data(label_part)
        return await self.post("/say", {**self.page.fields(), "choice": data})

    async def say(self, text: str) -> Page:
        assert self.page is not None
        return await self.post("/say", {**self.page.fields(), "text": text})

    async def command(self, name: str) -> Page:
        assert self.page is not None
        return await self.post("/say", {**self.page.fields(), "command": name})

    async def enter(self, code: str, lang: str = "en") -> Page:
        return await self.post(f"/c/{code.replace('-', '')}", {"lang": lang})


@dataclass
class WebChat:
    app: App
    web: object
    clock: Clock
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, address: str = "203.0.113.7") -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.web, client=(address, 50000)),  # type: ignore[arg-type]
            base_url=f"http://{HOST}",
        )
        self.clients.append(client)
        return client

    def browser(self, address: str = "203.0.113.7") -> Browser:
        return Browser(self.client(address))

    async def case(self, consulent: str | None = "anna") -> Case:
        async with self.app.db.session() as session, session.begin():
            return await CaseRepository(session).create(now=self.clock(), consulent=consulent)

    async def bound(self, lang: str = "English") -> Browser:
        """A browser in by a new case's invite link, its language chosen."""
        case = await self.case()
        browser = self.browser()
        await browser.enter(case.invite_code)
        await browser.press(lang)
        return browser

    async def at_first_question(self, lang: str = "English") -> tuple[Browser, str]:
        """A browser in by a new case's invite link, past consent: the browser, the case."""
        case = await self.case()
        browser = self.browser()
        await browser.enter(case.invite_code)
        await browser.press(lang)
        await browser.press("Yes, I agree" if lang == "English" else "c:yes")
        return browser, case.id

    async def answers(self, case_id: str) -> list[Answer]:
        """Every answer stored for the case, superseded ones too."""
        async with self.app.db.session() as session:
            return await AnswerRepository(session).all(case_id)


async def _webchat(tmp_path: Path, database: TestDatabase) -> AsyncIterator[WebChat]:
    application = build(settings_for(tmp_path / "unused.db"))
    clock = Clock()
    db = database.open()
    application.db = db
    application.service = Service(db, application.engine, application.renderer, clock)
    application.appointments = AppointmentService(db, application.municipality, clock)
    config = ChatConfig(secret=b"w" * 32, clock=clock)
    chat = WebChat(application, asgi_app(application, config), clock)
    try:
        yield chat
    finally:
        for client in chat.clients:
            await client.aclose()
        await db.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path, migrated_sqlite: Path) -> TestDatabase:
    return fresh_sqlite(migrated_sqlite, tmp_path)


@pytest.fixture
async def webchat(tmp_path: Path, sqlite_url: TestDatabase) -> AsyncIterator[WebChat]:
    """The web chat on a fresh SQLite database."""
    async for chat in _webchat(tmp_path, sqlite_url):
        yield chat


@pytest.fixture
async def webchat_any(tmp_path: Path, database_url: TestDatabase) -> AsyncIterator[WebChat]:
    """The web chat on SQLite and on PostgreSQL."""
    async for chat in _webchat(tmp_path, database_url):
        yield chat
