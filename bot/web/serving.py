"""Serving a web edge's ASGI application on uvicorn, on a socket bound beforehand,
until `stop` is set."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Generator

import uvicorn
from starlette.types import ASGIApp

from bot.core.app import StartupError


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the caller's `stop` event decides."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def bind(host: str, port: int, *, what: str, hint: str) -> socket.socket:
    """The listening socket, bound before uvicorn starts, so a busy port is one clear
    start-up error and not uvicorn's exit: `what` cannot listen, `hint` how to change it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are
    # TCP. Without it, uvicorn's head and body writes wait for the client's delayed ACK:
    # 40 ms on every request of a kept-alive connection but the first (found by the web
    # chat's browser tests and bench).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise StartupError(
            f"{what} cannot listen on {host}:{port}: {exc.strerror or exc} {hint}"
        ) from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def address(host: str, port: int) -> str:
    """`http://host:port` (an IPv6 host in brackets)."""
    return f"http://{host if ':' not in host else f'[{host}]'}:{port}"


async def serve_asgi(
    asgi: ASGIApp,
    sock: socket.socket,
    stop: asyncio.Event,
    *,
    name: str,
    trusted_proxies: tuple[str, ...] = (),
) -> None:
    """Serve `asgi` on a bound socket until `stop` is set, then finish the open
    requests and return. `X-Forwarded-For`/`-Proto` count only from `trusted_proxies`
    (WEGWIJS_TRUSTED_PROXIES); from any other peer they are ignored."""
    server = _Server(
        uvicorn.Config(
            asgi,
            log_config=None,  # keep the application's logging
            access_log=False,  # paths hold ids and codes: nothing of a person in logs
            proxy_headers=bool(trusted_proxies),
            # Never uvicorn's default (127.0.0.1, or FORWARDED_ALLOW_IPS from the shell).
            forwarded_allow_ips=list(trusted_proxies) or [],
            server_header=False,
            lifespan="off",
            timeout_graceful_shutdown=5,
        )
    )
    task = asyncio.create_task(server.serve(sockets=[sock]), name=name)
    waiter = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        server.should_exit = True
        waiter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sock.close()
