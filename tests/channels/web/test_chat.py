"""`chat`, the conversation side, with the same guarantees as on Telegram: an answer
counts once however often the form is sent, an older page's button is stale (never a
wrong answer), /delete erases everything and ends the binding, one browser never sees
another's conversation, odd input gets a clear answer, and nothing of the person
reaches the logs."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.channels.web.binding import COOKIE
from storage import AccountRepository, CaseRepository
from tests.channels.web.conftest import Browser, Page, WebChat


async def test_a_double_submit_counts_once(webchat: WebChat) -> None:
    browser, _case_id = await webchat.at_first_question()
    page = browser.page
    assert page is not None
    # Tick an option twice with the same form: one tick, not a tick and an untick.
    option = next(v for v in page.buttons().values() if v.startswith("t:"))
    tick = {**page.fields(), "choice": option}
    first = await browser.client.post("/say", data=tick)
    second = await browser.client.post("/say", data=tick)
    assert first.status_code == second.status_code == 303
    page = await browser.open("/")
    assert [label for label in page.buttons() if "✅" in label] != []
    assert len([label for label in page.buttons() if "✅" in label]) == 1


async def test_two_submits_at_once_count_once(webchat: WebChat) -> None:
    browser, case_id = await webchat.at_first_question()
    page = browser.page
    assert page is not None
    skip = {**page.fields(), "choice": page.press_data("in person")}
    await asyncio.gather(*(browser.client.post("/say", data=skip) for _ in range(5)))
    answers = await webchat.answers(case_id)
    assert len(answers) == 1 and answers[0].skipped


async def test_a_reload_repeats_nothing(webchat: WebChat) -> None:
    browser, case_id = await webchat.at_first_question()
    await browser.press("in person")
    before = (await browser.open("/")).transcript()
    after = (await browser.open("/")).transcript()
    assert before == after
    assert len(await webchat.answers(case_id)) == 1


async def test_a_button_of_an_older_page_is_stale_never_an_answer(webchat: WebChat) -> None:
    browser, case_id = await webchat.at_first_question()
    old = browser.page
    assert old is not None
    await browser.press("in person")  # the first question is skipped; the second is asked
    answers = await webchat.answers(case_id)
    # The old page again (another tab, the back button): a fresh key, the old version.
    fields = {**old.fields(), "k": "another-tab"}
    stale = {**fields, "choice": old.press_data("Done")}
    page = await browser.post("/say", stale)
    assert "does not belong to this question" in page.transcript()
    typed = await browser.post("/say", {**fields, "text": "Nederlands"})
    assert "does not belong to this question" in typed.transcript()
    assert await webchat.answers(case_id) == answers


async def test_a_forged_button_gets_the_stale_note(webchat: WebChat) -> None:
    browser, case_id = await webchat.at_first_question()
    assert browser.page is not None
    page = await browser.post("/say", {**browser.page.fields(), "choice": "a:forged:x" * 9})
    assert "does not belong to this question" in page.transcript()
    assert await webchat.answers(case_id) == []


async def test_delete_erases_everything_and_ends_the_binding(webchat: WebChat) -> None:
    browser, case_id = await webchat.at_first_question()
    await browser.say("Arabisch en een beetje Engels")
    page = await browser.command("delete")
    page = await browser.press("Yes, erase everything")
    assert "Everything is erased" in page.text
    assert COOKIE not in browser.client.cookies
    async with webchat.app.db.session() as session:
        assert await CaseRepository(session).get(case_id) is None
        assert await AccountRepository(session).for_case(case_id) == []
    page = await browser.open("/")
    assert 'id="code-form"' in page.text


async def test_one_browser_never_sees_another_conversation(webchat: WebChat) -> None:
    alice, _ = await webchat.at_first_question()
    await alice.say("Mijn geheime antwoord")
    await alice.command("mydata")
    page = await alice.open("/")
    file_id = page.text.split('href="/file/')[1].split('"')[0]
    bob, _ = await webchat.at_first_question()
    page = await bob.open("/")
    assert "Mijn geheime antwoord" not in page.text
    assert (await bob.client.get(f"/file/{file_id}")).status_code == 404
    assert (await alice.client.get(f"/file/{file_id}")).status_code == 200
    stranger = webchat.browser()
    assert (await stranger.client.get(f"/file/{file_id}")).status_code == 404


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", "I could not find any text"),
        ("   \u200b  ", "I could not find any text"),
        ("x" * 5000, "Please keep it under"),
    ],
)
async def test_odd_input_gets_a_clear_answer(webchat: WebChat, typed: str, expected: str) -> None:
    browser, _case_id = await webchat.at_first_question()
    # At a typed question: skip until the text field is the answer.
    page = await _to_text_question(browser)
    page = await browser.say(typed)
    assert page.response.status_code == 200
    assert expected in page.transcript()


async def _to_text_question(browser: Browser) -> Page:
    assert browser.page is not None
    page = browser.page
    for _ in range(80):
        if "Type your answer in your own words" in page.transcript().rsplit("Wegwijs:", 1)[-1]:
            return page
        page = await browser.press("in person")
    raise AssertionError("no text question")


async def test_markup_control_and_bidi_characters_are_shown_as_text(webchat: WebChat) -> None:
    browser, _ = await webchat.at_first_question()
    await _to_text_question(browser)
    page = await browser.say('<script>alert("x")</script>\u202eevil\x07 <b>bold</b>')
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "\u202e" not in page.text and "\x07" not in page.text


async def test_nothing_of_the_person_reaches_the_logs(
    webchat: WebChat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    browser, _ = await webchat.at_first_question()
    await _to_text_question(browser)
    await browser.say("Mijn naam is Yusuf Haddad")
    await browser.say("x" * 5000)
    assert "Haddad" not in caplog.text
    assert "xxxxxxxxxx" not in caplog.text


async def test_the_farewell_after_delete_is_in_the_persons_language(webchat: WebChat) -> None:
    case = await webchat.case()
    browser = webchat.browser()
    await browser.enter(case.invite_code)
    await browser.press("Nederlands")
    await browser.command("delete")
    page = await browser.press("Ja, verwijder alles")
    assert '<html lang="nl"' in page.text
    assert "We hebben alles verwijderd" in page.text


async def test_a_typed_command_works_as_the_messages_say(webchat: WebChat) -> None:
    """The texts say "change this with /language"; typed in the field, it does."""
    browser, _ = await webchat.at_first_question()
    page = await browser.say("/language")
    assert "Choose your language" in page.transcript().rsplit("Wegwijs:", 1)[-1]
    page = await browser.say("/nonsense")
    assert "I do not know that command" in page.transcript()


async def test_leaving_a_shared_device_ends_the_binding_and_keeps_the_answers(
    webchat: WebChat,
) -> None:
    browser, case_id = await webchat.at_first_question()
    await browser.press("in person")
    page = await browser.post("/leave", {})
    assert "You have left this device" in page.text
    assert COOKIE not in browser.client.cookies
    assert len(await webchat.answers(case_id)) == 1
    page = await browser.open("/")
    assert 'id="code-form"' in page.text
