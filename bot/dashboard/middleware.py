"""ASGI wrappers around the dashboard: security headers on every response, a limit on
the size of a request body, and HEAD answered as GET."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.core.http import MAX_BODY, SECURITY_HEADERS, BodyLimit

__all__ = ["MAX_BODY", "BodyLimit", "HeadAsGet", "SecurityHeaders"]


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
