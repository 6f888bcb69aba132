"""`middleware`: the dashboard's strict headers on every page, its policy widened only so
the page's own script may post to the page's own address."""

from __future__ import annotations

from bot.channels.web.middleware import CONTENT_SECURITY_POLICY
from bot.web.middleware import CONTENT_SECURITY_POLICY as DASHBOARD_POLICY
from tests.channels.web.conftest import WebChat


def test_the_policy_is_the_dashboards_and_lets_the_script_post_home() -> None:
    assert f"{DASHBOARD_POLICY}; connect-src 'self'" == CONTENT_SECURITY_POLICY


async def test_every_page_has_the_strict_headers(webchat: WebChat) -> None:
    browser = await webchat.bound()
    for path in ("/", "/new", "/c/ABCDEFGH", "/nothing-here"):
        response = await browser.client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
    assert (await browser.client.get("/nothing-here")).status_code == 404
