"""A dashboard on a fresh SQLite database, an HTTP client for it, and helpers to log in
and post forms the way the browser does (with the page's CSRF token)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from bot.core.app import App, build
from bot.core.appointments import AppointmentService
from bot.core.passwords import Passwords
from bot.core.service import Service
from bot.dashboard.app import DashboardConfig, asgi_app
from bot.dashboard.security import AddressThrottle
from bot.settings import Settings
from storage import AuditEntry, Case, CaseRepository, User, UserRepository
from tests.clock import Clock
from tests.conftest import TestDatabase
from tests.dashboard.intake import complete_intake

BOT = "wegwijs_test_bot"
# Cheap hashes: the tests log in often. Production uses argon2-cffi's defaults.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def settings_for(path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{path}",
        telegram_bot_username=BOT,
        secret_key=None,
    )


@dataclass
class Dashboard:
    app: App
    web: object
    clock: Clock
    passwords: Passwords
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, address: str = "127.0.0.1") -> httpx.AsyncClient:
        """A browser at `address` (what the throttles see as the attempt's source)."""
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.web, client=(address, 50000)),  # type: ignore[arg-type]
            base_url="http://dashboard.test",
        )
        self.clients.append(client)
        return client

    async def add_user(
        self, name: str, password: str = "correct horse", *, admin: bool = False
    ) -> User:
        async with self.app.db.session() as session, session.begin():
            return await UserRepository(session).create(
                name, self.passwords.hash(password), is_admin=admin, now=self.clock()
            )

    async def login(
        self, name: str, password: str = "correct horse", client: httpx.AsyncClient | None = None
    ) -> httpx.AsyncClient:
        client = client or self.client()
        response = await try_login(client, name, password)
        assert response.status_code == 303, response.text
        return client

    async def case(self, consulent: str | None, label: str | None = None) -> Case:
        async with self.app.db.session() as session, session.begin():
            return await CaseRepository(session).create(
                now=self.clock(), label=label, consulent=consulent
            )


async def try_login(client: httpx.AsyncClient, name: str, password: str) -> httpx.Response:
    page = await client.get("/login")
    token = TOKEN.search(page.text)
    assert token, page.text
    return await client.post(
        "/login",
        data={"csrf_token": token.group(1), "username": name, "password": password, "next": "/"},
    )


async def token_of(client: httpx.AsyncClient, path: str = "/") -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    found = TOKEN.search(page.text)
    assert found, page.text
    return found.group(1)


async def post(
    client: httpx.AsyncClient, path: str, data: dict[str, str] | None = None, *, page: str = "/"
) -> httpx.Response:
    """A form post as the browser sends it: with the CSRF token of a page just shown."""
    return await client.post(
        path, data={"csrf_token": await token_of(client, page), **(data or {})}
    )


@pytest.fixture
async def dashboard(tmp_path: Path, database_url: TestDatabase) -> AsyncIterator[Dashboard]:
    """The dashboard on a fresh database: SQLite and PostgreSQL (`database_url`)."""
    application = build(settings_for(tmp_path / "unused.db"))
    clock = Clock()
    db = database_url.open()
    application.db = db
    application.service = Service(db, application.engine, application.renderer, clock)
    application.appointments = AppointmentService(db, application.municipality, clock)
    passwords = Passwords(FAST_HASHER)
    config = DashboardConfig(
        secret=b"t" * 32, clock=clock, passwords=passwords, throttle=AddressThrottle()
    )
    dash = Dashboard(application, asgi_app(application, config), clock, passwords)
    try:
        yield dash
    finally:
        for client in dash.clients:
            await client.aclose()
        await db.dispose()


# -- steps the page tests share -------------------------------------------------------

CHAT = 7_100_000_001


async def haddad(dashboard: Dashboard, consulent: str = "anna") -> Case:
    """A case of `consulent` whose person has answered the whole intake."""
    case = await dashboard.case(consulent, "gezin Haddad")
    await complete_intake(dashboard.app.service, case.invite_code, CHAT)
    return case


async def audit(dashboard: Dashboard) -> list[AuditEntry]:
    """The audit log, oldest first."""
    async with dashboard.app.db.session() as session:
        return list((await session.exec(select(AuditEntry).order_by(AuditEntry.id))).all())
