"""Person requests: "I want to talk to a person", open until a consulent handles it."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.models import PersonRequest
from storage.repositories import CaseRepository, PersonRequestRepository
from tests.clock import NOW


def at(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


async def _case(db: Database) -> str:
    async with db.session() as s, s.begin():
        return (await CaseRepository(s).create(now=NOW)).id


async def test_a_request_is_stored_and_listed_as_open(db: Database) -> None:
    case_id = await _case(db)
    async with db.session() as s, s.begin():
        request = await PersonRequestRepository(s).create(
            case_id, "telegram", topic="general", now=at(1)
        )
    async with db.session() as s:
        repo = PersonRequestRepository(s)
        [stored] = await repo.open_for_case(case_id)
        assert stored.id == request.id
        assert (stored.case_id, stored.channel, stored.topic) == (case_id, "telegram", "general")
        assert stored.requested_at == at(1)
        assert (stored.handled_at, stored.handled_by) == (None, None)
        assert [r.id for r in await repo.open_all()] == [request.id]


async def test_a_double_press_gives_one_open_request(db: Database) -> None:
    case_id = await _case(db)
    async with db.session() as s, s.begin():
        first = await PersonRequestRepository(s).create(case_id, "telegram", now=at(1))
    async with db.session() as s, s.begin():
        again = await PersonRequestRepository(s).create(case_id, "console", now=at(2))
    assert again.id == first.id
    assert again.requested_at == at(1)
    async with db.session() as s, s.begin():
        repo = PersonRequestRepository(s)
        general = await repo.create(case_id, "telegram", topic="general", now=at(3))
        assert (await repo.create(case_id, "telegram", topic="general", now=at(4))).id == general.id
    async with db.session() as s:
        open_requests = await PersonRequestRepository(s).open_for_case(case_id)
    assert [(r.id, r.topic) for r in open_requests] == [(first.id, None), (general.id, "general")]


async def test_a_concurrent_double_press_gives_one_open_request(db: Database) -> None:
    case_id = await _case(db)

    async def press(minute: int) -> int:
        async with db.session() as s, s.begin():
            request = await PersonRequestRepository(s).create(
                case_id, "telegram", topic="general", now=at(minute)
            )
            await asyncio.sleep(0.05)  # hold the transaction open a little
            assert request.id is not None
            return request.id

    ids = await asyncio.gather(*(press(minute) for minute in range(5)))
    assert len(set(ids)) == 1
    async with db.session() as s:
        assert len(await PersonRequestRepository(s).open_for_case(case_id)) == 1


async def test_marking_handled_removes_it_from_the_open_lists(db: Database) -> None:
    one, two = await _case(db), await _case(db)
    async with db.session() as s, s.begin():
        repo = PersonRequestRepository(s)
        handled = await repo.create(one, "telegram", topic="general", now=at(1))
        waiting = await repo.create(two, "telegram", topic="general", now=at(2))
    async with db.session() as s, s.begin():
        assert await PersonRequestRepository(s).mark_handled(handled.id, "anna", at(3)) is True
    async with db.session() as s:
        repo = PersonRequestRepository(s)
        assert await repo.open_for_case(one) == []
        assert [r.id for r in await repo.open_all()] == [waiting.id]
        closed = await s.get(PersonRequest, handled.id)
        assert closed is not None
        assert (closed.handled_at, closed.handled_by) == (at(3), "anna")


async def test_handling_twice_keeps_the_first_consulent(db: Database) -> None:
    case_id = await _case(db)
    async with db.session() as s, s.begin():
        request = await PersonRequestRepository(s).create(case_id, "telegram", now=at(1))
    async with db.session() as s, s.begin():
        repo = PersonRequestRepository(s)
        assert await repo.mark_handled(request.id, "anna", at(2)) is True
        assert await repo.mark_handled(request.id, "bram", at(3)) is False
        assert await repo.mark_handled(request.id + 1000, "bram", at(3)) is False
    async with db.session() as s:
        closed = await s.get(PersonRequest, request.id)
        assert closed is not None
        assert (closed.handled_at, closed.handled_by) == (at(2), "anna")


async def test_a_press_after_handling_opens_a_new_request(db: Database) -> None:
    case_id = await _case(db)
    async with db.session() as s, s.begin():
        repo = PersonRequestRepository(s)
        old = await repo.create(case_id, "telegram", topic="general", now=at(1))
        await repo.mark_handled(old.id, "anna", at(2))
        new = await repo.create(case_id, "telegram", topic="general", now=at(3))
    assert new.id != old.id
    async with db.session() as s:
        assert [r.id for r in await PersonRequestRepository(s).open_for_case(case_id)] == [new.id]


async def test_open_all_lists_the_longest_waiting_first(db: Database) -> None:
    one, two = await _case(db), await _case(db)
    async with db.session() as s, s.begin():
        repo = PersonRequestRepository(s)
        late = await repo.create(one, "telegram", topic="general", now=at(5))
        early = await repo.create(two, "console", now=at(1))
        middle = await repo.create(one, "telegram", topic="housing", now=at(3))
    async with db.session(readonly=True) as s:
        assert [r.id for r in await PersonRequestRepository(s).open_all()] == [
            early.id,
            middle.id,
            late.id,
        ]


async def test_a_request_for_an_unknown_case_is_refused(db: Database) -> None:
    async with db.session() as s:
        with pytest.raises(IntegrityError):
            async with s.begin():
                await PersonRequestRepository(s).create("f" * 32, "telegram", now=NOW)
