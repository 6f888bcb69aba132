"""A whole pre-intake in the web chat without JavaScript: invite link, language,
consent, questions, review, sent — each step a form post, a redirect and a page."""

from __future__ import annotations

from storage import AnswerRepository, CaseRepository
from tests.channels.web.conftest import WebChat


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
