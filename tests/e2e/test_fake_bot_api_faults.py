"""Self-tests of the fake Bot API's faults: connections cut, a proxy's 502, going away
from a given call on, and webhook delivery with Telegram's redelivery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from bench.processes import free_port
from tests.e2e.fake_bot_api import DEFAULT_TOKEN, FakeBotApi


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


async def call(api: FakeBotApi, method: str, **params: object) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{api.base_url}/bot{DEFAULT_TOKEN}/{method}", json=params) as answer,
    ):
        return answer.status, await answer.text()


async def test_a_reset_cuts_the_connection_and_a_502_answers_a_proxy_page(
    api: FakeBotApi,
) -> None:
    api.go_away("reset")
    with pytest.raises(aiohttp.ClientError):
        await call(api, "getMe")
    api.go_away("502")
    status, body = await call(api, "sendMessage", chat_id=5, text="hallo")
    assert status == 502 and "Bad Gateway" in body and not body.startswith("{")
    api.come_back()
    assert (await call(api, "sendMessage", chat_id=5, text="hallo"))[0] == 200
    assert [c.status for c in api.calls] == [0, 502, 200]
    assert len(api.sent(5)) == 1  # only what really went counts as sent


async def test_away_from_a_call_on_includes_that_call(api: FakeBotApi) -> None:
    api.away_from(lambda c: c.params.get("chat_id") == 7, "502")
    assert (await call(api, "sendMessage", chat_id=6, text="a"))[0] == 200
    assert (await call(api, "sendMessage", chat_id=7, text="b"))[0] == 502
    assert (await call(api, "sendMessage", chat_id=6, text="c"))[0] == 502


async def test_an_update_not_answered_200_is_delivered_again_to_the_next_target(
    api: FakeBotApi,
) -> None:
    got: list[tuple[str, int]] = []

    def target(name: str, status: int) -> web.Application:
        async def receive(request: web.Request) -> web.Response:
            assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret"
            got.append((name, (await request.json())["update_id"]))
            return web.Response(status=status)

        app = web.Application()
        app.router.add_post("/hook", receive)
        return app

    runners, urls = [], []
    for name, status in (("refusing", 503), ("taking", 200)):
        runner = web.AppRunner(target(name, status))
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
        urls.append(f"http://127.0.0.1:{port}/hook")
    dead = f"http://127.0.0.1:{free_port()}/hook"  # nobody listens: a killed worker
    try:
        api.deliver_to([dead, *urls], "s3cret", redelivery=0.05)
        update_id = api.push_text(5, "hallo")
        await api.wait_for(lambda _c: ("taking", update_id) in got, timeout=10)
        await asyncio.sleep(0.2)
        assert got == [("refusing", update_id), ("taking", update_id)]  # then no more
        assert [status for _, _, status in api.deliveries] == [0, 503, 200]
    finally:
        for runner in runners:
            await runner.cleanup()
