"""The invite page shows the web chat's link and QR code beside Telegram's."""

from __future__ import annotations

import re

from tests.dashboard.conftest import Dashboard, post


async def test_the_invite_page_shows_the_web_chat_link_and_its_qr_code(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    created = await post(client, "/cases", {"label": "gezin Haddad", "language": "ar"})
    page = (await client.get(created.headers["location"])).text
    code = re.search(r"start=(\w+)", page).group(1)  # type: ignore[union-attr]
    link = f"{dashboard.app.settings.chat_url}/c/{code}"
    assert f'class="chat-link" href="{link}"' in page
    assert page.count("<svg") == 2  # Telegram's QR code and the web chat's
