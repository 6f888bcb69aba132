"""`throttle`: guessing codes is throttled per address, right codes are not counted, and
practice conversations are limited per address."""

from __future__ import annotations

import pytest

from bot.core import invites
from storage import INVITE_ALPHABET
from tests.channels.web.conftest import WebChat


async def test_guessing_codes_is_throttled_per_address(webchat: WebChat) -> None:
    guesser = webchat.browser("198.51.100.9")
    for letter in INVITE_ALPHABET[:20]:
        page = await guesser.post("/code", {"code": f"WXYZ-WXY{letter}"})
        assert "I do not know this code" in page.text
    page = await guesser.post("/code", {"code": "ABCD-EFGH"})
    assert "Too many wrong codes" in page.text
    # Even the right code waits, from that address; another address is not held up.
    case = await webchat.case()
    page = await guesser.enter(case.invite_code)
    assert "Too many wrong codes" in page.text
    page = await webchat.browser("198.51.100.10").enter(case.invite_code)
    assert "Choose your language" in page.transcript()
    webchat.clock.advance(minutes=16)
    other = await webchat.case()
    page = await guesser.enter(other.invite_code)
    assert "Choose your language" in page.transcript()


async def test_right_codes_from_one_address_are_not_counted(webchat: WebChat) -> None:
    """A group at the town hall's desk comes in from one address."""
    for _ in range(25):
        case = await webchat.case()
        page = await webchat.browser("192.0.2.1").enter(case.invite_code)
        assert "Choose your language" in page.transcript()


async def test_practice_conversations_are_limited_per_address(
    webchat: WebChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each is a case for a day: one address cannot fill the database with them."""
    monkeypatch.setattr(invites, "PRACTICE_FREE", 3)
    for _ in range(3):
        page = await webchat.browser("198.51.100.77").post("/practice", {"lang": "en"})
        assert "Choose your language" in page.transcript()
    page = await webchat.browser("198.51.100.77").post("/practice", {"lang": "en"})
    assert "Very many practice conversations" in page.text
    page = await webchat.browser("198.51.100.78").post("/practice", {"lang": "en"})
    assert "Choose your language" in page.transcript()
