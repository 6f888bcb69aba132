"""The caseload of `wegwijs case list`: every case, oldest first, with its open requests
for a person counted (handled ones are not)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.caseload import caseload
from storage import CaseRepository, Database, PersonRequestRepository
from tests.clock import NOW


async def test_each_case_comes_with_the_number_of_its_open_requests(db: Database) -> None:
    assert await caseload(db) == []
    async with db.session() as s, s.begin():
        first = await CaseRepository(s).create(now=NOW)
        second = await CaseRepository(s).create(now=NOW + timedelta(minutes=1))
        requests = PersonRequestRepository(s)
        await requests.create(first.id, "telegram", now=NOW)
        await requests.create(first.id, "telegram", topic="letter", now=NOW)
        handled = await requests.create(second.id, "telegram", now=NOW)
        assert handled.id is not None
        await requests.mark_handled(handled.id, "anna", NOW)
        expected = [(first.id, 2), (second.id, 0)]
    lines = await caseload(db)
    assert [(line.case.id, line.open_requests) for line in lines] == expected
