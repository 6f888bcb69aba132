"""The ASGI wrapper around the dashboard besides the shared ones (`bot.web.middleware`:
the security headers, the limit on request bodies): HEAD answered as GET."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
