"""The web edges' listening socket: one clear error for a busy port, no Nagle delay on
kept-alive connections, and forwarded addresses taken from trusted proxies only."""

from __future__ import annotations

import asyncio
import io
import socket
from pathlib import Path

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from bot.core.app import StartupError
from bot.settings import Settings
from bot.web.serving import bind, serve_asgi
from tests.conftest import fresh_sqlite


def test_the_listening_socket_is_tcp_without_nagle() -> None:
    """asyncio sets TCP_NODELAY on accepted sockets only when the socket says it is TCP;
    otherwise each response after the first waits 40 ms for a delayed ACK."""
    sock = bind("127.0.0.1", 0, what="the web chat", hint="")
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        sock.close()


def test_a_busy_port_is_one_clear_startup_error() -> None:
    first = bind("127.0.0.1", 0, what="the web chat", hint="")
    try:
        port = first.getsockname()[1]
        with pytest.raises(StartupError, match=r"the web chat cannot listen .*WEGWIJS_CHAT_PORT"):
            bind("127.0.0.1", port, what="the web chat", hint="(set WEGWIJS_CHAT_PORT or --chat)")
    finally:
        first.close()


async def _peer_seen(trusted: tuple[str, ...]) -> str:
    """What the application reads as the client's address of a request that claims
    to come from 198.51.100.9 (`X-Forwarded-For`), served by `serve_asgi`."""
    seen: list[str] = []

    async def echo(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        seen.append(scope["client"][0])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sock = bind("127.0.0.1", 0, what="the web chat", hint="")
    port = sock.getsockname()[1]
    stop = asyncio.Event()
    server = asyncio.create_task(serve_asgi(echo, sock, stop, name="test", trusted_proxies=trusted))
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(200):  # until uvicorn accepts
                try:
                    await client.get(
                        f"http://127.0.0.1:{port}/", headers={"x-forwarded-for": "198.51.100.9"}
                    )
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
    finally:
        stop.set()
        await server
    return seen[0]


async def test_forwarded_addresses_are_ignored_unless_the_peer_is_a_trusted_proxy() -> None:
    """Throttles key on the client's address: a header any peer can send must not
    choose it (the probe guessed 300 codes in 0.7 s with a new X-Forwarded-For each)."""
    assert await _peer_seen(()) == "127.0.0.1"
    assert await _peer_seen(("192.0.2.1",)) == "127.0.0.1"
    assert await _peer_seen(("127.0.0.1",)) == "198.51.100.9"


def test_trusted_proxies_are_a_comma_separated_setting_default_none() -> None:
    assert Settings(_env_file=None).trusted_proxy_list == ()  # type: ignore[call-arg]
    given = Settings(_env_file=None, trusted_proxies=" 10.0.0.1, 10.0.1.0/24 ,")  # type: ignore[call-arg]
    assert given.trusted_proxy_list == ("10.0.0.1", "10.0.1.0/24")


@pytest.mark.parametrize("edge", ["dashboard", "web chat"])
async def test_both_web_edges_serve_with_the_trusted_proxies_setting(
    edge: str, monkeypatch: pytest.MonkeyPatch, migrated_sqlite: Path, tmp_path: Path
) -> None:
    from bot.channels.web import server as chat_server
    from bot.core.app import build
    from bot.dashboard import server as dashboard_server

    given: dict[str, object] = {}

    async def capture(*args: object, **kwargs: object) -> None:
        given.update(kwargs)

    module = dashboard_server if edge == "dashboard" else chat_server
    monkeypatch.setattr(module, "serve_asgi", capture)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=fresh_sqlite(migrated_sqlite, tmp_path).url.replace("+aiosqlite", ""),
        trusted_proxies="10.0.0.7",
    )
    app = build(settings)
    try:
        await module.serve(app, "127.0.0.1", 0, asyncio.Event(), out=io.StringIO())
    finally:
        await app.db.dispose()
    assert given["trusted_proxies"] == ("10.0.0.7",)
