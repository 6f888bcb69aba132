"""The Teksten page in Debian's headless Chromium: an Arabic translator filters on
concept, corrects a text right to left, sees the preview, saves; the status and the
share change. Its screenshot is docs/dashboard-texts.png."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.app import App, build
from bot.core.passwords import Passwords
from bot.dashboard.app import DashboardConfig
from bot.dashboard.security import AddressThrottle
from bot.dashboard.server import serve
from storage import UserRepository
from tests.dashboard.conftest import FAST_HASHER, settings_for
from tests.dashboard.test_browser import ARTIFACTS, CHROMIUM_ARGS, PASSWORD, chromium
from tests.live_server import served

DOCS = Path(__file__).resolve().parents[2] / "docs"
CORRECTED = "جوابك الحالي: {answer}"


async def _seed(app: App) -> None:
    passwords = Passwords(FAST_HASHER)
    async with app.db.session() as session, session.begin():
        user = await UserRepository(session).create(
            "samira", passwords.hash(PASSWORD), now=app.service.clock()
        )
        user.translates, user.is_consulent = "ar", False


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chromium()
    app = build(settings_for(tmp_path_factory.mktemp("texts") / "wegwijs.db"))
    config = DashboardConfig(
        secret=b"browser" * 5, passwords=Passwords(FAST_HASHER), throttle=AddressThrottle()
    )

    def serving(port: int, stop: asyncio.Event) -> Coroutine[Any, Any, None]:
        return serve(app, "127.0.0.1", port, stop, config=config)

    with served(app, serving, what="the dashboard", prepare=_seed) as (url, _loop):
        yield url


def test_a_translator_corrects_an_arabic_text_in_the_browser(live: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nl-NL")
            page.set_default_timeout(15_000)
            page.goto(f"{live}/login")
            page.fill("input[name=username]", "samira")
            page.fill("input[name=password]", PASSWORD)
            page.click("button:has-text('Inloggen')")
            page.wait_for_url("**/teksten/ar")
            assert page.locator("nav a:has-text('Caseload')").count() == 0
            assert page.locator(".share-total").get_attribute("data-share") == "0"

            page.select_option("select[name=status]", "concept")
            page.fill("input[name=q]", "Your answer now")
            page.click("button:has-text('Filteren')")
            row = page.locator("tr.text-row").first
            assert row.locator("td.translation").get_attribute("dir") == "rtl"
            row.locator("a:has-text('Aanpassen')").click()

            box = page.locator("textarea[name=form0]")
            assert box.evaluate("e => getComputedStyle(e).direction") == "rtl"
            box.fill(CORRECTED)
            page.click("button:has-text('Voorbeeld bekijken')")
            bubble = page.locator(".telegram .tg-bubble").first
            assert "جوابك الحالي" in bubble.inner_text()
            assert bubble.evaluate("e => getComputedStyle(e).direction") == "rtl"
            bilingual = page.locator(".bilingual .tg-bubble").inner_text()
            assert "جوابك الحالي" in bilingual and "―――――" in bilingual
            page.screenshot(path=str(ARTIFACTS / "texts-edit.png"), full_page=True)

            page.click("button:has-text('Opslaan')")
            page.wait_for_url("**/teksten/ar?**")
            assert "opgeslagen" in page.locator(".notice").inner_text()
            page.goto(f"{live}/teksten/ar?q=Your+answer+now")
            row = page.locator("tr.text-row").first
            assert "gecontroleerd" in row.locator(".badge").first.inner_text()
            assert CORRECTED in row.locator("td.translation").inner_text()
            assert "(1 van" in page.locator(".share-total").inner_text()

            page.set_viewport_size({"width": 1366, "height": 1000})
            page.goto(f"{live}/teksten/ar?part=Taal+en+toestemming")
            page.screenshot(path=str(ARTIFACTS / "texts.png"))
            if os.environ.get("WEGWIJS_SCREENSHOTS"):  # the README's picture, on request
                page.screenshot(path=str(DOCS / "dashboard-texts.png"))
        finally:
            browser.close()
