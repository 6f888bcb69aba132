"""The shared use cases on cases (`bot.core.cases`), as the dashboard and the CLI call
them (assigning a case needs a dashboard user: `bot.core.users`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.cases import (
    UnknownUser,
    assign_case,
    close_case,
    create_case,
    deep_link,
    find_case,
    label_case,
)
from bot.core.text import TextTooLong
from bot.core.users import add_user
from storage import Database
from tests.core.helpers import NOW, PASSWORDS, audit


def test_the_deep_link_carries_the_code_without_its_dash() -> None:
    assert deep_link("@wegwijs_bot", "ABCD-EFGH") == "https://t.me/wegwijs_bot?start=ABCDEFGH"
    assert deep_link(None, "ABCD-EFGH") is None


async def test_a_case_is_found_by_its_code_as_typed_or_by_its_id(db: Database) -> None:
    case = await create_case(db, actor="cli", now=NOW)
    typed = case.invite_code.lower().replace("-", " ")
    async with db.session() as session:
        assert (await find_case(session, typed)).id == case.id  # type: ignore[union-attr]
        assert (await find_case(session, f" {case.id} ")).id == case.id  # type: ignore[union-attr]
        assert await find_case(session, "ZZZZ-ZZZZ") is None


async def test_closing_twice_keeps_the_first_date_and_audits_once(db: Database) -> None:
    case = await create_case(db, actor="anna", now=NOW, consulent="anna")
    first = await close_case(db, case.id, actor="anna", now=NOW)
    again = await close_case(db, case.id, actor="cli", now=NOW + timedelta(days=1))
    assert (first.was_closed, again.was_closed) == (False, True)
    assert again.closed_at == NOW
    assert [a for _, a, _, _ in await audit(db)] == ["case.create", "case.close"]


async def test_a_label_is_cleaned_and_too_long_is_refused(db: Database) -> None:
    case = await create_case(db, actor="anna", now=NOW, label="\u202egnp.exe\u202c")
    assert case.label == "gnp.exe"
    await label_case(db, case.id, "mw.\u200b Osman\n", actor="anna", now=NOW)
    async with db.session() as session:
        assert (await find_case(session, case.id)).label == "mw. Osman"  # type: ignore[union-attr]
    with pytest.raises(TextTooLong):
        await label_case(db, case.id, "x" * 81, actor="anna", now=NOW)


async def test_assigning_to_a_name_that_is_no_user_is_refused(db: Database) -> None:
    case = await create_case(db, actor="beheer", now=NOW)
    with pytest.raises(UnknownUser):
        await assign_case(db, case.id, "nobody", actor="beheer", now=NOW)
    await add_user(db, PASSWORDS, "Anna", "long enough pw", actor="cli", now=NOW)
    assert await assign_case(db, case.id, "ANNA", actor="beheer", now=NOW) == "anna"
