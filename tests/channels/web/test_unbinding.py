"""Ending a binding ends every copy of its cookie: "leave this device", a new code in the
same browser, a consulent's new code and "unbind all browsers" raise the case's binding
version, and a cookie made before (a copy taken on a shared tablet) opens nothing. Other
people's browsers are not touched."""

from __future__ import annotations

import asyncio

from bot.channels.web.binding import COOKIE, BindingCodec
from bot.core.cases import new_invite, unbind_browsers
from storage import AnswerRepository, Case
from tests.channels.web.conftest import Browser, WebChat


async def _bound(webchat: WebChat) -> tuple[Browser, Case]:
    case = await webchat.case()
    browser = webchat.browser()
    await browser.enter(case.invite_code)
    await browser.press("English")
    return browser, case


def _copy(webchat: WebChat, browser: Browser) -> Browser:
    """Another browser with a copy of this one's cookie (a shared device, a backup)."""
    copy = webchat.browser("198.51.100.23")
    copy.client.cookies.set(COOKIE, browser.client.cookies[COOKIE], domain="chat.test")
    return copy


async def _opens(browser: Browser) -> bool:
    """Whether the browser's cookie still opens a conversation."""
    response = await browser.client.get("/", follow_redirects=False)
    return response.status_code == 200 and 'id="transcript"' in response.text


async def test_leaving_the_device_ends_every_copy_of_the_cookie(webchat: WebChat) -> None:
    browser, _ = await _bound(webchat)
    assert await _opens(_copy(webchat, browser))
    copies = [_copy(webchat, browser) for _ in range(2)]
    await browser.post("/leave", {})
    response = await copies[0].client.get("/", follow_redirects=False)
    assert response.headers["location"].startswith("/new?m=ended")
    assert COOKIE not in copies[0].client.cookies  # removed, with a kind note
    say = await copies[1].client.post("/say", data={"text": "nog iets"}, follow_redirects=False)
    assert say.status_code == 303 and say.headers["location"].startswith("/new")


async def test_a_new_code_in_the_same_browser_ends_the_old_binding(webchat: WebChat) -> None:
    browser, first = await _bound(webchat)
    copy = _copy(webchat, browser)
    second = await webchat.case()
    page = await browser.enter(second.invite_code)
    assert "Choose your language" in page.transcript()
    assert await _opens(browser)  # the new binding
    assert not await _opens(copy)  # the old one, copied before
    async with webchat.app.db.session() as session:
        assert await AnswerRepository(session).all(first.id) == []  # nothing erased


async def test_a_consulents_new_code_ends_the_browsers_bound_before(webchat: WebChat) -> None:
    browser, case = await _bound(webchat)
    await new_invite(webchat.app.db, case.id, actor="anna", now=webchat.clock())
    assert not await _opens(browser)


async def test_unbinding_all_browsers_touches_no_other_case(webchat: WebChat) -> None:
    """Ten people at once, one case's browsers unbound: only those are refused."""
    people = await asyncio.gather(*(_bound(webchat) for _ in range(10)))
    target = people[0][1]
    await unbind_browsers(webchat.app.db, target.id, actor="anna", now=webchat.clock())
    opened = await asyncio.gather(*(_opens(browser) for browser, _ in people))
    assert opened == [False] + [True] * 9


async def test_a_cookie_of_before_binding_versions_still_opens_its_conversation(
    webchat: WebChat,
) -> None:
    """Cookies made before the version was in them (the chat id alone) are version 0,
    the version every case starts with: nobody is logged out by the upgrade."""
    browser, _ = await _bound(webchat)
    codec = BindingCodec(b"w" * 32)  # the fixture's key
    binding = codec.loads(browser.client.cookies[COOKIE])
    assert binding is not None and binding.version == 0
    old = codec._serializer.dumps(binding.chat_id)  # the old format
    browser.client.cookies.set(COOKIE, old, domain="chat.test")
    assert await _opens(browser)
