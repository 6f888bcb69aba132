"""The ASGI wrappers both web edges put around their application (the consulent
dashboard, the web chat): the security headers with their strict Content-Security-Policy,
and a limit on request bodies. One wrapper for both, so their headers cannot drift apart."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
