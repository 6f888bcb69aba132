"""The page itself: the dashboard's strict headers, no external resource, ≤ 50 KB, right
to left for Arabic, the menu of every command, files to download, and the JSON answer
the page's own script uses instead of a reload."""

from __future__ import annotations

import json
import re

import pytest

from bot.channels.web.app import CONTENT_SECURITY_POLICY
from bot.channels.web.chat import MENU
from bot.core.http import CONTENT_SECURITY_POLICY as DASHBOARD_POLICY
from flows.commands import COMMANDS
from tests.channels.web.conftest import Browser, WebChat

PAGE_LIMIT = 50 * 1024


async def _bound(webchat: WebChat, lang: str = "English") -> Browser:
    case = await webchat.case()
    browser = webchat.browser()
    await browser.enter(case.invite_code)
    await browser.press(lang)
    return browser


def test_the_policy_is_the_dashboards_and_lets_the_script_post_home() -> None:
    assert f"{DASHBOARD_POLICY}; connect-src 'self'" == CONTENT_SECURITY_POLICY


async def test_every_page_has_the_strict_headers(webchat: WebChat) -> None:
    browser = await _bound(webchat)
    for path in ("/", "/new", "/c/ABCDEFGH", "/nothing-here"):
        response = await browser.client.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
    assert (await browser.client.get("/nothing-here")).status_code == 404


async def test_the_page_loads_nothing_from_elsewhere_and_no_inline_script(
    webchat: WebChat,
) -> None:
    browser = await _bound(webchat)
    page = await browser.open("/")
    for url in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        assert url.startswith(("/", "#", "?", "data:")), url
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) is None
    assert " on" not in re.sub(r'"[^"]*"', '""', page.text).split("<body>")[1].split(">")[0]
    assert (await browser.client.get("/static/chat.js")).status_code == 200
    assert (await browser.client.get("/static/chat.css")).status_code == 200


async def test_arabic_is_laid_out_right_to_left(webchat: WebChat) -> None:
    browser = await _bound(webchat, "العربية")
    page = await browser.open("/")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert '<div class="block" lang="ar" dir="rtl">' in page.text
    assert '<div class="block dutch" lang="nl" dir="ltr">' in page.text  # bilingual mode


async def test_tigrinya_is_marked_as_tigrinya(webchat: WebChat) -> None:
    browser = await _bound(webchat, "ትግርኛ")
    page = await browser.open("/")
    assert '<html lang="ti" dir="ltr">' in page.text
    assert 'lang="ti"' in page.text.split('id="transcript"')[1]


async def test_the_menu_has_every_command(webchat: WebChat) -> None:
    browser = await _bound(webchat)
    page = await browser.open("/")
    assert {name for name, _ in MENU} == {name for name, _ in COMMANDS} - {"start"}
    for name, _ in MENU:
        assert f'name="command" value="{name}"' in page.text


@pytest.mark.parametrize("lang", ["English", "العربية", "ትግርኛ", "Nederlands"])
async def test_the_review_page_stays_under_50_kb(webchat: WebChat, lang: str) -> None:
    browser = await _bound(webchat, lang)
    page = await browser.press("c:yes")
    for _ in range(120):
        if any(data == "r:send" for data in page.buttons().values()):
            break
        buttons = page.buttons()
        typed = not any(data.startswith(("a:", "t:", "n:")) for data in buttons.values())
        if typed:
            page = await browser.say("Ik werk graag met mensen en wil later verpleegkundige worden")
        else:
            first = next(d for d in buttons.values() if d.startswith(("a:", "n:", "t:")))
            page = await browser.post("/say", {**page.fields(), "choice": first})
            if first.startswith("t:"):
                page = await browser.post(
                    "/say", {**page.fields(), "choice": "d:" + first.split(":")[1]}
                )
    else:
        raise AssertionError("the review never came")
    assert len(page.response.content) <= PAGE_LIMIT
    page = await browser.command("answers")
    assert len(page.response.content) <= PAGE_LIMIT
    for _ in range(5):
        page = await browser.command("help")
    assert len(page.response.content) <= PAGE_LIMIT


async def test_my_data_is_a_json_file_to_download(webchat: WebChat) -> None:
    browser = await _bound(webchat)
    await browser.press("Yes, I agree")
    page = await browser.command("mydata")
    link = re.search(r'href="(/file/\d+)" download="([^"]+)"', page.text)
    assert link is not None and link.group(2) == "wegwijs-my-data.json"
    response = await browser.client.get(link.group(1))
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
    data = json.loads(response.content)
    assert data["account"]["channel"] == "web"
    # The transcript is stored, so it is in the file too (what the person pressed).
    said = [(line["from"], line["text"]) for line in data["web_chat"]]
    assert ("person", "Yes, I agree") in said


async def test_my_appointments_come_each_with_a_calendar_file(webchat: WebChat) -> None:
    from datetime import timedelta

    from bot.core.appointments import AppointmentPlan

    case = await webchat.case()
    starts = webchat.clock() + timedelta(days=7)
    await webchat.app.appointments.plan(
        case.id, AppointmentPlan(kind="brede_intake", starts_at=starts)
    )
    browser = webchat.browser()
    await browser.enter(case.invite_code)
    await browser.press("English")
    page = await browser.command("appointments")
    link = re.search(r'href="(/file/\d+)" download="(afspraak-\d+\.ics)"', page.text)
    assert link is not None
    response = await browser.client.get(link.group(1))
    assert response.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    assert any(data.startswith("p:") for data in page.buttons().values())


async def test_the_script_gets_the_new_page_part_as_json(webchat: WebChat) -> None:
    browser = await _bound(webchat)
    page = browser.page
    assert page is not None
    response = await browser.client.post(
        "/say",
        data={**page.fields(), "choice": page.press_data("Yes, I agree")},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["lang"] == "en" and data["dir"] == "ltr"
    assert 'id="transcript"' in data["html"] and "<html" not in data["html"]
    assert 'name="k"' in data["html"]
    # The same post again (a double click): nothing new, the same conversation.
    again = await browser.client.post(
        "/say",
        data={**page.fields(), "choice": page.press_data("Yes, I agree")},
        headers={"accept": "application/json"},
    )
    assert again.json()["html"].count('class="msg ') == data["html"].count('class="msg ')


async def test_the_script_is_sent_where_to_go_when_the_conversation_ends(
    webchat: WebChat,
) -> None:
    browser = await _bound(webchat)
    page = await browser.command("delete")
    response = await browser.client.post(
        "/say",
        data={**page.fields(), "choice": page.press_data("Yes, erase everything")},
        headers={"accept": "application/json"},
    )
    assert response.json()["location"].startswith("/new?m=erased")


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site", "origin": "null"},
        {"sec-fetch-site": "same-site"},
        {"origin": "https://evil.example"},
        # A sandboxed frame or a data: page of another site, in a browser that does not
        # say where the form came from.
        {"origin": "null"},
    ],
)
async def test_a_form_from_another_site_is_refused(
    webchat: WebChat, headers: dict[str, str]
) -> None:
    case = await webchat.case()
    response = await webchat.client().post(
        "/code", data={"code": case.invite_code}, headers=headers
    )
    assert response.status_code == 403
    assert "another website" in response.text


@pytest.mark.parametrize(
    "headers",
    [
        # A browser under Referrer-Policy: no-referrer sends Origin "null" on its own forms.
        {"sec-fetch-site": "same-origin", "origin": "null"},
        {"origin": "http://chat.test"},
        {},
    ],
)
async def test_the_pages_own_forms_are_taken(webchat: WebChat, headers: dict[str, str]) -> None:
    case = await webchat.case()
    response = await webchat.client().post(
        "/code", data={"code": case.invite_code}, headers=headers
    )
    assert response.status_code == 303


async def test_a_body_too_large_gets_a_kind_page(webchat: WebChat) -> None:
    browser = await _bound(webchat)
    response = await browser.client.post("/say", data={"text": "x" * 70_000})
    assert response.status_code == 413
    assert "shorter" in response.text


@pytest.mark.parametrize("lang", ["English", "العربية", "ትግርኛ", "Nederlands"])
async def test_every_menu_item_answers_in_a_page_under_50_kb(webchat: WebChat, lang: str) -> None:
    browser = await _bound(webchat, lang)
    for name, _ in MENU:
        if name == "delete":
            continue  # asks first; erasing is tested on its own
        page = await browser.command(name)
        assert page.response.status_code == 200, name
        assert len(page.response.content) <= PAGE_LIMIT, name
        assert 'id="latest"' in page.text, name  # an answer, with the focus on it


async def test_a_wrong_method_gets_a_kind_page_and_what_is_allowed(webchat: WebChat) -> None:
    response = await webchat.client().get("/say")
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    # Not "something went wrong on our side": there is no page to show at that address.
    assert "This page does not exist." in response.text and "<html" in response.text
    assert "went wrong" not in response.text
    assert (await webchat.client().head("/new")).status_code == 200


async def test_a_trailing_slash_never_redirects_to_the_host_header(webchat: WebChat) -> None:
    """The framework's slash redirect was built from the Host header: `GET /new/` with
    `Host: evil.example` answered 307 to http://evil.example/new."""
    response = await webchat.client().get("/new/", headers={"host": "evil.example"})
    assert "evil.example" not in response.headers.get("location", "")
    assert response.status_code == 404
