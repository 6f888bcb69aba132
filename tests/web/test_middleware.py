"""`bot.web.middleware`: the security headers on every response of both web edges (pages
never cached, static files as the edge says, HSTS only over https, a renewed session
cookie when a handler asks), and request bodies over the limit refused with 413."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.web.middleware import CONTENT_SECURITY_POLICY, BodyLimit, SecurityHeaders


async def page(request: Request) -> Response:
    if request.query_params.get("renew"):
        request.state.renew_cookie = "session=new; Path=/"
    return PlainTextResponse("page")


async def cached(_request: Request) -> Response:
    return PlainTextResponse("kept", headers={"Cache-Control": "max-age=60"})


async def echo(request: Request) -> Response:
    return PlainTextResponse(str(len(await request.body())))


ROUTES = [
    Route("/", page),
    Route("/static/app.css", page),
    Route("/cached", cached),
    Route("/echo", echo, methods=["POST"]),
]


def client(asgi: object, base: str = "http://web.test") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi), base_url=base)  # type: ignore[arg-type]


async def test_every_response_has_the_strict_headers_and_pages_are_not_stored() -> None:
    async with client(SecurityHeaders(Starlette(routes=ROUTES))) as web:
        response = await web.get("/")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in response.headers


async def test_static_files_get_the_edges_caching_and_a_handlers_own_is_kept() -> None:
    asgi = SecurityHeaders(Starlette(routes=ROUTES), static_cache="public, max-age=86400")
    async with client(asgi) as web:
        static = await web.get("/static/app.css")
        own = await web.get("/cached")
    assert static.headers["cache-control"] == "public, max-age=86400"
    assert own.headers["cache-control"] == "max-age=60"


async def test_an_edges_own_policy_replaces_the_default() -> None:
    headers = {"Content-Security-Policy": "default-src 'self'"}
    async with client(SecurityHeaders(Starlette(routes=ROUTES), headers)) as web:
        response = await web.get("/")
    assert response.headers["content-security-policy"] == "default-src 'self'"
    assert "x-frame-options" not in response.headers


async def test_over_https_browsers_are_told_to_stay_on_https() -> None:
    async with client(SecurityHeaders(Starlette(routes=ROUTES)), "https://web.test") as web:
        response = await web.get("/")
    assert response.headers["strict-transport-security"] == "max-age=31536000"


async def test_a_handler_can_ask_for_a_renewed_session_cookie() -> None:
    async with client(SecurityHeaders(Starlette(routes=ROUTES))) as web:
        plain = await web.get("/")
        renewed = await web.get("/?renew=1")
    assert "set-cookie" not in plain.headers
    assert renewed.headers["set-cookie"] == "session=new; Path=/"


@pytest.mark.parametrize(
    ("body", "status"), [(b"x" * 100, 200), (b"x" * 101, 413)], ids=["at", "over"]
)
async def test_a_body_over_the_limit_is_refused_with_413(body: bytes, status: int) -> None:
    async with client(BodyLimit(Starlette(routes=ROUTES), limit=100)) as web:
        response = await web.post("/echo", content=body)
    assert response.status_code == status


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    async with client(BodyLimit(Starlette(routes=ROUTES), limit=100)) as web:
        response = await web.post("/echo", content=b"x", headers={"content-length": "5000"})
    assert response.status_code == 413
