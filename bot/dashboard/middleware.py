"""The ASGI wrapper around the dashboard besides the shared ones (`bot.web.middleware`:
the security headers, the limit on request bodies): a larger body limit for the Teksten
upload, and HEAD answered as GET."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.middleware import BodyLimit

__all__ = ["BodyLimits", "HeadAsGet"]


class BodyLimits:
    """`BodyLimit` with a larger limit for the paths ending in one of `larger`'s
    suffixes (the Teksten upload takes a file; every other form stays small)."""

    def __init__(self, app: ASGIApp, larger: tuple[tuple[str, int], ...] = ()) -> None:
        self.default = BodyLimit(app)
        self.larger = tuple((suffix, BodyLimit(app, limit)) for suffix, limit in larger)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        for suffix, limited in self.larger:
            if path.endswith(suffix):
                await limited(scope, receive, send)
                return
        await self.default(scope, receive, send)


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
