"""The database away while a person answers in the web chat: a kind page in their
language that keeps what they typed, to send again with one press; nothing doubled."""

from __future__ import annotations

import html
import sqlite3

from storage import AnswerRepository
from tests.channels.web.conftest import Page, WebChat


async def test_a_locked_database_gets_a_kind_page_that_keeps_the_typed_answer(
    webchat: WebChat,
) -> None:
    browser, case_id = await webchat.at_first_question()
    page = browser.page
    assert page is not None
    question = page.text
    skip = {**page.fields(), "choice": page.press_data("in person")}
    path = webchat.app.db.url.split("///", 1)[1]
    holder = sqlite3.connect(path, isolation_level=None)  # another process's transaction
    try:
        holder.execute("begin exclusive")
        response = await browser.client.post("/say", data=skip)
        typed = await browser.client.post(
            "/say", data={**page.fields(), "text": "Mijn antwoord <b>& meer</b>"}
        )
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert "try again in a minute" in response.text and "Traceback" not in response.text
    assert typed.status_code == 503
    assert html.escape("Mijn antwoord <b>& meer</b>", quote=False) in typed.text  # kept
    assert "<b>& meer" not in typed.text  # as text, not as markup
    kept = Page(response)
    assert kept.fields() == page.fields() and f'value="{skip["choice"]}"' in kept.text
    # A minute later the same form goes again, and counts once however often it is sent.
    again = {**kept.fields(), "choice": skip["choice"]}
    for _ in range(2):
        assert (await browser.client.post("/say", data=again)).status_code == 303
    async with webchat.app.db.session() as session:
        answers = await AnswerRepository(session).all(case_id)
    assert len(answers) == 1 and answers[0].skipped
    assert (await browser.open("/")).text != question
