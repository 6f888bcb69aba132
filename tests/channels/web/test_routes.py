"""`routes`: getting in (an invite link, a typed code, or practice without a code; a code
binds one browser once), files to download, the JSON answer the page's own script uses
instead of a reload, and forms from another site refused."""

from __future__ import annotations

import asyncio
import html
import json
import re
from datetime import timedelta

import pytest

from bot.channels.web.binding import COOKIE
from bot.core.caseload import caseload
from bot.core.cases import close_case
from bot.core.practice import purge_practice
from flows import texts as T
from flows.replies import Msg
from storage import AccountRepository, AnswerRepository, CaseRepository, PersonRequestRepository
from tests.channels.web.conftest import WebChat


async def test_opening_an_invite_link_does_not_use_the_code_up(webchat: WebChat) -> None:
    """Messaging apps fetch links for a preview: only the Start button binds."""
    case = await webchat.case()
    await webchat.browser().open(f"/c/{case.invite_code.replace('-', '')}")
    async with webchat.app.db.session() as session:
        stored = await CaseRepository(session).get(case.id)
    assert stored is not None and stored.invite_used_at is None


async def test_a_typed_code_binds_the_browser_with_a_strict_cookie(webchat: WebChat) -> None:
    case = await webchat.case()
    browser = webchat.browser()
    response = await browser.client.post(
        "/code", data={"code": case.invite_code.lower().replace("-", " "), "lang": "nl"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/?lang=nl#latest"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    page = await browser.open("/")
    assert "Kies je taal" in page.transcript()


async def test_a_code_binds_one_browser_once(webchat: WebChat) -> None:
    case = await webchat.case()
    first, second = webchat.browser(), webchat.browser()
    await first.enter(case.invite_code)
    used = await second.client.post(f"/c/{case.invite_code.replace('-', '')}", data={"lang": "en"})
    unknown = await second.client.post("/c/ZZZZZZZZ", data={"lang": "en"})
    # A used code is answered exactly as an unknown one: guessing tells no code exists.
    assert (used.status_code, used.headers["location"]) == (
        unknown.status_code,
        unknown.headers["location"],
    )
    page = await second.open(used.headers["location"])
    assert "I do not know this code" in page.text
    assert COOKIE not in second.client.cookies
    # The person's own link again, in the browser it binds: the conversation goes on.
    page = await first.enter(case.invite_code)
    assert "Choose your language" in page.transcript()
    async with webchat.app.db.session() as session:
        accounts = await AccountRepository(session).for_case(case.id, "web")
    assert len(accounts) == 1


async def test_wrong_codes_get_a_clear_answer_in_the_page_language(webchat: WebChat) -> None:
    browser = webchat.browser()
    page = await browser.post("/code", {"code": "  ", "lang": "en"})
    assert "Please type the code from your invitation" in page.text
    page = await browser.post("/code", {"code": "ABC", "lang": "en"})
    assert "eight letters and numbers" in page.text
    page = await browser.post("/code", {"code": "ABCD-EFGH", "lang": "en"})
    assert "I do not know this code" in page.text


async def test_an_expired_code_says_so(webchat: WebChat) -> None:
    case = await webchat.case()
    webchat.clock.advance(days=31)
    page = await webchat.browser().enter(case.invite_code)
    assert "no longer valid" in page.text


async def test_practice_is_on_no_caseload_and_erased_after_a_day(webchat: WebChat) -> None:
    browser = webchat.browser()
    page = await browser.post("/practice", {"lang": "en"})
    assert "Choose your language" in page.transcript()
    page = await browser.press("English")
    assert 'id="practice-note"' in page.text
    page = await browser.command("person")
    assert "This is practice: nothing is sent and nobody is told" in page.transcript()
    assert await caseload(webchat.app.db) == []
    async with webchat.app.db.session() as session:
        assert await PersonRequestRepository(session).open_all() == []
    webchat.clock.advance(hours=23)
    assert await purge_practice(webchat.app.db, webchat.clock()) == 0
    webchat.clock.advance(hours=1, seconds=1)
    assert await purge_practice(webchat.app.db, webchat.clock()) == 1
    page = await browser.open("/")
    assert "has ended" in page.text
    assert COOKIE not in browser.client.cookies


async def test_a_new_code_ends_the_binding_of_the_old_one(webchat: WebChat) -> None:
    first_case, second_case = await webchat.case(), await webchat.case()
    browser = webchat.browser()
    await browser.enter(first_case.invite_code)
    await browser.press("English")
    await browser.open("/new")
    page = await browser.enter(second_case.invite_code)
    assert "Welcome! Your code is accepted" in page.transcript()
    assert "English" not in page.transcript()  # the other conversation is not shown
    async with webchat.app.db.session() as session:
        accounts = await AccountRepository(session).for_case(second_case.id, "web")
    assert len(accounts) == 1


async def test_practice_cases_are_not_listed_even_for_an_admin(webchat: WebChat) -> None:
    await webchat.browser().post("/practice", {})
    async with webchat.app.db.session() as session:
        assert await CaseRepository(session).list() == []
        old = await CaseRepository(session).practice_created_before(
            webchat.clock() + timedelta(seconds=1)
        )
    assert len(old) == 1


async def test_my_data_is_a_json_file_to_download(webchat: WebChat) -> None:
    browser = await webchat.bound()
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
    browser = await webchat.bound()
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
    browser = await webchat.bound()
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


async def test_the_code_of_a_closed_case_binds_nothing_and_says_so(webchat: WebChat) -> None:
    case = await webchat.case()
    await close_case(webchat.app.db, case.id, actor="anna", now=webchat.clock())
    browser = webchat.browser()
    page = await browser.enter(case.invite_code, lang="nl")
    assert webchat.app.renderer.text(Msg.of(T.CASE_CLOSED), "nl") in html.unescape(page.text)
    assert COOKIE not in browser.client.cookies


async def test_a_bound_browser_of_a_closed_case_is_told_so_and_nothing_is_kept(
    webchat: WebChat,
) -> None:
    case = await webchat.case()
    browser = webchat.browser()
    await browser.enter(case.invite_code)
    await browser.press("English")
    await browser.press("Yes")
    await close_case(webchat.app.db, case.id, actor="anna", now=webchat.clock())
    page = await browser.say("1, 3")
    assert "conversation has been closed" in page.transcript()
    async with webchat.app.db.session() as session:
        assert await AnswerRepository(session).all(case.id) == []


async def test_twenty_browsers_posting_one_code_at_once_bind_one(webchat_any: WebChat) -> None:
    """The probe's race, on both databases: 20 `POST /c/CODE` at the same moment gave
    14-15 working bindings on PostgreSQL; exactly one browser gets in, and the others
    are told what an unknown code is told."""
    case = await webchat_any.case()
    browsers = [webchat_any.browser(f"198.51.100.{n}") for n in range(20)]
    path = f"/c/{case.invite_code.replace('-', '')}"
    responses = await asyncio.gather(*(b.client.post(path, data={"lang": "en"}) for b in browsers))
    places = sorted(r.headers["location"] for r in responses)
    assert places == ["/?lang=en#latest"] + ["/new?m=unknown&lang=en"] * 19
    assert sum(COOKIE in b.client.cookies for b in browsers) == 1
    async with webchat_any.app.db.session() as session:
        assert len(await AccountRepository(session).for_case(case.id, "web")) == 1
