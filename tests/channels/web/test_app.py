"""`app`, the web chat as a whole: a whole pre-intake without JavaScript (invite link,
language, consent, questions, review, sent — each step a form post, a redirect and a
page), and a group arriving together (a class at the town hall, a family's phones):
twenty browsers at once, each answer counted once and every conversation its own."""

from __future__ import annotations

import asyncio

from storage import AnswerRepository, CaseRepository
from tests.channels.web.conftest import WebChat

PEOPLE = 20


async def test_an_invite_link_leads_through_the_whole_intake_without_javascript(
    webchat_any: WebChat,
) -> None:
    """On SQLite and on PostgreSQL."""
    webchat = webchat_any
    case = await webchat.case()
    browser = webchat.browser()
    invite = await browser.open(f"/c/{case.invite_code.replace('-', '')}")
    assert "Start" in invite.text and case.invite_code in invite.text
    page = await browser.enter(case.invite_code)
    assert "Choose your language" in page.transcript()
    page = await browser.press("English")
    page = await browser.press("Yes, I agree")
    assert "Part" in page.transcript()
    for _ in range(200):
        buttons = page.buttons()
        if any("Send to my consulent" in label for label in buttons):
            break
        skip = next((label for label in buttons if "in person" in label), None)
        if skip is not None:
            page = await browser.press(skip)
        else:
            page = await browser.say("Ik wil werken in de zorg")
    else:
        raise AssertionError("the review never came")
    page = await browser.press("Send to my consulent")
    assert "Thank you" in page.transcript()
    async with webchat.app.db.session() as session:
        stored = await CaseRepository(session).get(case.id)
        answers = await AnswerRepository(session).current(case.id)
    assert stored is not None and stored.intake_submitted_at is not None
    assert answers


async def test_twenty_people_at_once_each_keep_their_own_conversation(
    webchat_any: WebChat,
) -> None:
    """On SQLite and on PostgreSQL."""
    webchat = webchat_any
    cases = [await webchat.case() for _ in range(PEOPLE)]

    async def person(index: int) -> str:
        # All from one address, as at a desk behind one router.
        browser = webchat.browser("192.0.2.50")
        await browser.enter(cases[index].invite_code)
        await browser.press("English")
        await browser.press("Yes, I agree")
        for _ in range(3):
            page = await browser.press("in person")
        page = await browser.open("/")
        assert page.response.status_code == 200
        return page.transcript()

    transcripts = await asyncio.gather(*(person(i) for i in range(PEOPLE)))
    for transcript in transcripts:
        assert "Part 2 of 9" in transcript
    async with webchat.app.db.session() as session:
        for case in cases:
            answers = await AnswerRepository(session).all(case.id)
            assert len(answers) == 3 and all(answer.skipped for answer in answers)


async def test_a_trailing_slash_never_redirects_to_the_host_header(webchat: WebChat) -> None:
    """The framework's slash redirect was built from the Host header: `GET /new/` with
    `Host: evil.example` answered 307 to http://evil.example/new."""
    response = await webchat.client().get("/new/", headers={"host": "evil.example"})
    assert "evil.example" not in response.headers.get("location", "")
    assert response.status_code == 404
