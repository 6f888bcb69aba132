"""ASGI wrappers around the dashboard: security headers on every response, a limit on
the size of a request body, and HEAD answered as GET."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.dashboard.security import SECURITY_HEADERS

# The largest form is an appointment with 500 characters of notes: 64 KiB is plenty.
MAX_BODY = 64 * 1024


class SecurityHeaders:
    """Adds the security headers to every response; `no-store` to every page, `no-cache`
    to the static files (they carry an ETag: revalidated, never stale); renews the
    session cookie when the handler asked for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in names:
                        headers.append((name.encode(), value.encode()))
                if scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-cache" if static else b"no-store"))
                renew = scope.get("state", {}).get("renew_cookie")
                if renew:
                    headers.append((b"set-cookie", renew.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


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


class HeadAsGet:
    """Answers HEAD like GET without the body (RFC 9110), as Starlette's own `Route`
    does; FastAPI's `@router.get` routes answer HEAD with 405, which uptime monitors
    and link checkers read as the page being broken."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
