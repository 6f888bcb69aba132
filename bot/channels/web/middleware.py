"""The ASGI wrappers around the web chat besides the shared ones (`bot.web.middleware`):
its headers (the dashboard's policy, and the page's own script may post to the page's
own address), its limit on request bodies, and `Quiet`, which keeps a failure's
message out of the logs."""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.middleware import CONTENT_SECURITY_POLICY as DASHBOARD_POLICY
from bot.web.middleware import SECURITY_HEADERS

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = f"{DASHBOARD_POLICY}; connect-src 'self'"
HEADERS = {**SECURITY_HEADERS, "Content-Security-Policy": CONTENT_SECURITY_POLICY}
# A typed answer of 5,000 characters in Ge'ez is 15 KB; forms are small otherwise.
MAX_BODY = 64 * 1024


class Quiet:
    """Nothing of a person in the logs, even from a failure: FastAPI renders the error
    page and then raises the exception again for the server to log, with a traceback
    whose message may quote a person's answer (a database error's parameters). Here it
    ends, logged by its type only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            log.error("web chat request failed: %s", type(exc).__name__)
            if scope["type"] == "http" and not started:
                body = b"Wegwijs: something went wrong. Please try again."
                await send(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
