"""`/healthz` and `/readyz` on every listener (the dashboard, the web chat, the Telegram
webhook server), all answering from the one readiness use case (`bot.core.health`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.telegram.runner import TelegramBot
from bot.channels.web.app import asgi_app as chat_app
from bot.channels.web.context import ChatConfig
from bot.core.app import App, build
from bot.core.health import BOT_API_WINDOW, Health
from bot.dashboard.app import DashboardConfig
from bot.dashboard.app import asgi_app as dashboard_app
from bot.settings import Settings
from storage import Database, head_revision
from tests.conftest import TestDatabase, fresh_sqlite
from tests.live_server import free_port

PROBES = ("/healthz", "/readyz")


def application(url: str) -> App:
    return build(Settings(_env_file=None, database_url=url, secret_key=None))  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def listeners(app: App) -> AsyncIterator[dict[str, Callable[[str], object]]]:
    """GET on each listener of `app`: name → get(path) → (status, json)."""
    dashboard = dashboard_app(app, DashboardConfig(secret=b"d" * 32))
    chat = chat_app(app, ChatConfig(secret=b"w" * 32))
    bot = TelegramBot.__new__(TelegramBot)
    bot.health = app.health
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=dashboard), base_url="http://d") as d,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=chat), base_url="http://c") as c,
        TestClient(TestServer(bot.webhook_app("s" * 32))) as w,
    ):

        async def on_asgi(client: httpx.AsyncClient, path: str) -> tuple[int, object]:
            response = await client.get(path)
            return response.status_code, response.json()

        async def on_webhook(path: str) -> tuple[int, object]:
            response = await w.get(path)
            return response.status, await response.json()

        yield {
            "dashboard": lambda path: on_asgi(d, path),
            "web chat": lambda path: on_asgi(c, path),
            "webhook": on_webhook,
        }
    await app.db.dispose()


async def test_every_listener_is_alive_and_ready_on_a_database_at_head(
    tmp_path: Path, migrated_sqlite: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = application(fresh_sqlite(migrated_sqlite, tmp_path).url)
    caplog.set_level(logging.INFO)
    async with listeners(app) as gets:
        for name, get in gets.items():
            assert await get("/healthz") == (200, {"status": "alive"}), name
            status, body = await get("/readyz")
            assert status == 200, (name, body)
            assert body == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}
    # No session, no login page, no log line at INFO for a probe (the test's own client
    # and aiohttp's test server log their requests; the real webhook server has no
    # access log, uvicorn's is off).
    ours = ("bot", "storage", "uvicorn")
    assert [r for r in caplog.records if r.name.split(".")[0] in ours] == []


async def test_a_database_behind_the_migrations_is_not_ready(tmp_path: Path) -> None:
    app = application(f"sqlite:///{tmp_path / 'empty.db'}")
    async with listeners(app) as gets:
        for name, get in gets.items():
            status, body = await get("/readyz")
            assert status == 503, name
            assert body["checks"]["migrations"] == f"at None, needs {head_revision()}"  # type: ignore[index]


async def test_a_process_running_the_bot_is_ready_only_while_the_bot_api_answers(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    now = [1000.0]
    db = Database(fresh_sqlite(migrated_sqlite, tmp_path).url)
    health = Health(db, clock=lambda: now[0])
    try:
        health.expect_bot_api()
        never = await health.readiness()
        assert (never.ready, never.checks["bot_api"]) == (False, "never reached")
        health.bot_api_reached()
        now[0] += BOT_API_WINDOW
        assert (await health.readiness()).ready
        now[0] += 1
        stale = await health.readiness()
        assert (stale.ready, stale.checks["bot_api"]) == (False, "last reached 121 s ago")
    finally:
        await db.dispose()


class Proxy:
    """A TCP proxy in front of PostgreSQL that can be stopped and started again: the
    database going away and coming back, as the application sees it."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.server: asyncio.Server | None = None
        self.pipes: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.pipes):
            writer.close()
        await self.server.wait_closed()
        self.pipes.clear()

    async def _connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.pipes |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_readyz_is_503_while_the_database_is_stopped_and_200_after_without_a_restart(
    database_url: TestDatabase,
) -> None:
    real = httpx.URL(database_url.url.replace("+asyncpg", ""))
    proxy = Proxy((real.host, real.port or 5432))
    await proxy.start()
    url = database_url.url.replace(f":{real.port or 5432}/", f":{proxy.port}/")
    app = application(url)
    app.db = Database(url, schema=database_url.schema)
    async with listeners(app) as gets:
        for get in gets.values():
            assert (await get("/readyz"))[0] == 200
        await proxy.stop()
        for name, get in gets.items():
            status, body = await get("/readyz")
            assert status == 503, name
            assert body["checks"] == {"database": "unreachable"}  # type: ignore[index]
            assert (await get("/healthz"))[0] == 200  # alive: a restart would not help
        await proxy.start()
        for name, get in gets.items():
            assert (await get("/readyz"))[0] == 200, name
    await proxy.stop()
