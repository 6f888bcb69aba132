"""`binding`: a browser is bound to its conversation by a signed cookie that cannot be
altered, nor made into another browser's."""

from __future__ import annotations

import pytest

from bot.channels.web.binding import COOKIE
from tests.channels.web.conftest import WebChat


@pytest.mark.parametrize("cookie", ["MTIz.forged.signature", "", "x" * 4000])
async def test_a_tampered_cookie_is_refused_kindly(webchat: WebChat, cookie: str) -> None:
    alice, _ = await webchat.at_first_question()
    real = alice.client.cookies[COOKIE]
    browser = webchat.browser()
    altered = ("A" if real[0] != "A" else "B") + real[1:]  # the chat id changed
    browser.client.cookies.set(COOKIE, cookie or altered, domain="chat.test")
    page = await browser.open("/")
    assert page.response.status_code == 200
    assert "could not be read" in page.text
    assert COOKIE not in browser.client.cookies
    response = await browser.client.post("/say", data={"text": "hallo"})
    assert response.status_code == 303 and "/new" in response.headers["location"]


async def test_another_accounts_id_in_a_signed_cookie_cannot_be_made(webchat: WebChat) -> None:
    """The cookie holds a random chat id, signed: one browser's cannot be turned into
    another's without the key."""
    alice, _ = await webchat.at_first_question()
    bob, _ = await webchat.at_first_question()
    a, b = alice.client.cookies[COOKIE], bob.client.cookies[COOKIE]
    swapped = b.split(".")[0] + "." + ".".join(a.split(".")[1:])
    eve = webchat.browser()
    eve.client.cookies.set(COOKIE, swapped, domain="chat.test")
    page = await eve.open("/")
    assert "could not be read" in page.text
