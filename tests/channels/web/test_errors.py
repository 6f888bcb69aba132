"""`errors` (and `middleware.Quiet`): every failure is a kind page with its real status,
never a traceback, and its log line holds nothing of the person."""

from __future__ import annotations

import pytest

from tests.channels.web.conftest import WebChat


async def test_a_failure_is_a_kind_page_and_a_log_line_without_the_person(
    webchat: WebChat, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser, _ = await webchat.at_first_question()

    async def broken(_inbound: object) -> None:
        raise RuntimeError("INSERT failed for 'Mijn naam is Yusuf Haddad'")

    monkeypatch.setattr(webchat.app.service, "handle", broken)
    assert browser.page is not None
    response = await browser.client.post("/say", data={**browser.page.fields(), "text": "Yusuf"})
    assert response.status_code == 500
    assert "something went wrong on our side" in response.text
    assert "Haddad" not in caplog.text and "RuntimeError" in caplog.text


async def test_a_body_too_large_gets_a_kind_page(webchat: WebChat) -> None:
    browser = await webchat.bound()
    response = await browser.client.post("/say", data={"text": "x" * 70_000})
    assert response.status_code == 413
    assert "shorter" in response.text


async def test_a_wrong_method_gets_a_kind_page_and_what_is_allowed(webchat: WebChat) -> None:
    response = await webchat.client().get("/say")
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    # Not "something went wrong on our side": there is no page to show at that address.
    assert "This page does not exist." in response.text and "<html" in response.text
    assert "went wrong" not in response.text
    assert (await webchat.client().head("/new")).status_code == 200
