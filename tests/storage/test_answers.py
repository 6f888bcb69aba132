"""Answers: a changed answer keeps its history; ``current`` shows only the newest."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import Answer
from storage.repositories import AnswerRepository, CaseRepository
from tests.clock import NOW


def at(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


async def _case(db: Database) -> str:
    async with db.session() as s, s.begin():
        return (await CaseRepository(s).create(now=NOW)).id


async def test_changed_answer_keeps_history_and_current_shows_the_newest(db: Database) -> None:
    case_id = await _case(db)
    async with db.session() as s, s.begin():
        repo = AnswerRepository(s)
        await repo.record(case_id, "dutch_level", codes=["none"], at=at(1))
        await repo.record(case_id, "school_years", number=6, at=at(2))
    async with db.session() as s, s.begin():
        await AnswerRepository(s).record(case_id, "dutch_level", codes=["some_words"], at=at(3))
    async with db.session() as s, s.begin():
        await AnswerRepository(s).record(case_id, "dutch_level", codes=["simple_talk"], at=at(4))

    async with db.session() as s:
        repo = AnswerRepository(s)
        current = await repo.current(case_id)
        assert [(a.question_id, a.codes, a.number) for a in current] == [
            ("school_years", None, 6),
            ("dutch_level", ["simple_talk"], None),
        ]
        history = await repo.history(case_id, "dutch_level")
        assert [a.codes for a in history] == [["none"], ["some_words"], ["simple_talk"]]
        assert [a.superseded_at for a in history] == [at(3), at(4), None]
        assert len(await repo.all(case_id)) == 4


async def test_skipped_retracted_and_free_text_are_stored(db: Database) -> None:
    case_id = await _case(db)
    async with db.session() as s, s.begin():
        repo = AnswerRepository(s)
        await repo.record(case_id, "health", skipped=True, at=at(1))
        await repo.record(case_id, "goal", free_text="أريد أن أدرس", text_lang="ar", at=at(2))
        await repo.record(case_id, "children", codes=["under_4", "4_12"], at=at(3))
        await repo.record(case_id, "children", retracted=True, at=at(4))
    async with db.session() as s:
        current = {a.question_id: a for a in await AnswerRepository(s).current(case_id)}
    assert current["health"].skipped is True
    assert current["health"].retracted is False
    assert (current["goal"].free_text, current["goal"].text_lang) == ("أريد أن أدرس", "ar")
    assert current["children"].retracted is True
    assert current["children"].codes is None


async def test_answers_of_other_cases_do_not_mix(db: Database) -> None:
    one, two = await _case(db), await _case(db)
    async with db.session() as s, s.begin():
        repo = AnswerRepository(s)
        await repo.record(one, "q", codes=["a"], at=at(1))
        await repo.record(two, "q", codes=["b"], at=at(2))
    async with db.session() as s:
        repo = AnswerRepository(s)
        assert [a.codes for a in await repo.current(one)] == [["a"]]
        assert [a.codes for a in await repo.current(two)] == [["b"]]


async def test_database_refuses_two_current_answers_to_one_question(db: Database) -> None:
    """Guards against a writer bypassing ``record`` (or racing it without the lock)."""
    case_id = await _case(db)
    async with db.session() as s:
        async with s.begin():
            await AnswerRepository(s).record(case_id, "q", codes=["a"], at=at(1))
        with pytest.raises(IntegrityError):
            async with s.begin():
                s.add(Answer(case_id=case_id, question_id="q", codes=["b"], answered_at=at(2)))
