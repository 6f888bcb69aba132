"""What every web edge of Wegwijs shares (the consulent dashboard, the web chat): the
security headers and their strict Content-Security-Policy, the key that signs cookies,
a limit on request bodies, and serving an ASGI app on uvicorn until `stop`.

Kept here, below the edges, because edges never import each other."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import socket
import sys
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import uvicorn
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.core.app import App, StartupError
from storage import sqlite_file

log = logging.getLogger(__name__)

# -- headers ----------------------------------------------------------------------------

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


# -- the signing key ----------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    key: bytes
    source: str  # "WEGWIJS_SECRET_KEY", a file path, or "temporary"


def signing_key(secret_key: str | None, database_url: str) -> SigningKey:
    """The key that signs cookies (each use adds its own salt).

    ``WEGWIJS_SECRET_KEY`` when set (a key derived from it, so the same secret can serve
    other purposes). Otherwise, for a SQLite file, a random key kept next to the
    database in ``<database>.dashboard-key`` (mode 0600), so sessions survive a restart;
    otherwise (PostgreSQL, in-memory SQLite) a temporary key: sessions end at restart,
    and several workers would not accept each other's sessions.
    """
    if secret_key:
        derived = hmac.new(secret_key.encode(), b"wegwijs dashboard sessions", hashlib.sha256)
        return SigningKey(derived.digest(), "WEGWIJS_SECRET_KEY")
    path = sqlite_file(database_url)
    if path is not None:
        key_file = path.with_name(path.name + ".dashboard-key")
        return SigningKey(_key_from_file(key_file), str(key_file))
    return SigningKey(secrets.token_bytes(32), "temporary")


def app_signing_key(app: App, *, temporary_note: str, out: TextIO | None = None) -> bytes:
    """The signing key from `app`'s settings; prints `temporary_note` (what is lost at a
    restart) when the key is temporary, so the operator knows to set WEGWIJS_SECRET_KEY."""
    secret = app.settings.secret_key
    key = signing_key(secret.get_secret_value() if secret else None, app.settings.database_url)
    if key.source == "temporary":
        print(temporary_note, file=out or sys.stderr, flush=True)
    return key.key


def _key_from_file(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 64:
            return bytes.fromhex(text)
    except (FileNotFoundError, ValueError):
        pass
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


# -- response headers ---------------------------------------------------------------------


class SecurityHeaders:
    """Adds `headers` (the security headers) to every response; `no-store` to every page
    and `static_cache` to the static files; renews a session cookie when the handler
    asked for it (`scope["state"]["renew_cookie"]`). One wrapper for both web edges, each
    with its own policy and caching, so their headers cannot drift apart."""

    def __init__(
        self,
        app: ASGIApp,
        headers: dict[str, str] = SECURITY_HEADERS,
        static_cache: str = "no-cache",
    ) -> None:
        self.app = app
        self.headers = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
        self.static_cache = static_cache.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in self.headers if name not in names]
                if scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                if b"cache-control" not in names:
                    headers.append((b"cache-control", self.static_cache if static else b"no-store"))
                renew = scope.get("state", {}).get("renew_cookie")
                if renew:
                    headers.append((b"set-cookie", renew.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


# -- request bodies -----------------------------------------------------------------------

# The largest form is an appointment with 500 characters of notes: 64 KiB is plenty.
MAX_BODY = 64 * 1024


class BodyLimit:
    """Refuses a body over `limit` bytes with 413, when the handler reads it: the
    exception is raised inside the application, so the error page renders it. A
    declared Content-Length over the limit is refused before anything is read."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        too_large = not declared.isdigit() or int(declared) > self.limit
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_large:
                raise HTTPException(413)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413)
            return message

        await self.app(scope, limited, send)


# -- serving ------------------------------------------------------------------------------


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the caller's `stop` event decides."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def bind(host: str, port: int, *, what: str = "the dashboard", hint: str = "") -> socket.socket:
    """The listening socket, bound before uvicorn starts, so a busy port is one clear
    start-up error and not uvicorn's exit."""
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
        hint = hint or "(set WEGWIJS_DASHBOARD_PORT or --port)"
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
