"""Getting into the web chat: an invite link, a typed code, or practice without a code;
a code binds one browser once; guessing codes is throttled per address."""

from __future__ import annotations

import asyncio
import html
from datetime import timedelta

import pytest

from bot.channels.web.binding import COOKIE
from bot.core import invites
from bot.core.caseload import caseload
from bot.core.cases import close_case
from bot.core.practice import purge_practice
from flows import texts as T
from flows.replies import Msg
from storage import (
    INVITE_ALPHABET,
    AccountRepository,
    AnswerRepository,
    CaseRepository,
    PersonRequestRepository,
)
from tests.channels.web.conftest import WebChat


async def test_the_start_page_offers_the_code_and_practice_in_each_language(
    webchat: WebChat,
) -> None:
    page = await webchat.browser().open("/?lang=ar")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert 'id="code-form"' in page.text and 'id="practice-form"' in page.text
    for own_name in ("العربية", "ትግርኛ", "Nederlands", "English"):
        assert own_name in page.text


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


async def test_the_start_page_leads_a_bound_browser_back_in_its_language(
    webchat: WebChat,
) -> None:
    case = await webchat.case()
    browser = webchat.browser()
    await browser.enter(case.invite_code)
    await browser.press("Nederlands")
    page = await browser.open("/new")
    assert '<html lang="nl"' in page.text and 'id="back-to-conversation"' in page.text
    assert 'id="back-to-conversation"' not in (await webchat.browser().open("/new")).text


async def test_before_a_language_is_chosen_the_page_speaks_the_start_pages(
    webchat: WebChat,
) -> None:
    case = await webchat.case()
    page = await webchat.browser().enter(case.invite_code, lang="ar")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "إجابتك" in page.text  # "Your answer", the label of the text field


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
