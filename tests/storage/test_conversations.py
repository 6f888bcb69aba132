"""Conversation state: an opaque JSON dict, stored and loaded unchanged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.db import Database
from storage.repositories import AccountRepository, ConversationRepository
from tests.clock import NOW

STATE = {
    "flow": "intake",
    "step": ["reading", 3],
    "answers": {
        "goal": {"text": "أريد أن أعمل ممرضة", "lang": "ar"},
        "hobby": {"text": "ኩዕሶ እግሪ ምጽዋት", "lang": "ti"},
        "nl": "Ik wil graag fietsen leren 🚲",
    },
    "progress": {"part": 3, "of": 9, "done": False, "ratio": 0.33, "none": None},
}


async def test_nested_state_with_arabic_and_geez_round_trips(db: Database) -> None:
    async with db.session() as s, s.begin():
        account = await AccountRepository(s).get_or_create("telegram", 7, NOW)
        await ConversationRepository(s).save(account.id, STATE, NOW)
    async with db.session() as s:
        assert await ConversationRepository(s).load(account.id) == STATE


async def test_save_replaces_the_previous_state(db: Database) -> None:
    async with db.session() as s, s.begin():
        account = await AccountRepository(s).get_or_create("telegram", 7, NOW)
        repo = ConversationRepository(s)
        await repo.save(account.id, {"step": 1}, NOW)
        await repo.save(account.id, {"step": 2}, NOW + timedelta(seconds=1))
    async with db.session() as s, s.begin():
        await ConversationRepository(s).save(account.id, {"step": 3}, NOW + timedelta(seconds=2))
    async with db.session() as s:
        assert await ConversationRepository(s).load(account.id) == {"step": 3}


async def test_account_without_state_loads_none(db: Database) -> None:
    async with db.session() as s, s.begin():
        account = await AccountRepository(s).get_or_create("telegram", 7, NOW)
        assert await ConversationRepository(s).load(account.id) is None


async def test_state_must_be_a_dict(db: Database) -> None:
    async with db.session() as s, s.begin():
        account = await AccountRepository(s).get_or_create("telegram", 7, NOW)
        with pytest.raises(TypeError):
            await ConversationRepository(s).save(account.id, ["not", "a", "dict"], NOW)  # type: ignore[arg-type]
