"""A group arriving together (a class at the town hall, a family's phones): twenty
browsers at once, each through its own intake steps, each answer counted once and
every conversation its own."""

from __future__ import annotations

import asyncio

from storage import AnswerRepository
from tests.channels.web.conftest import WebChat

PEOPLE = 20


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
