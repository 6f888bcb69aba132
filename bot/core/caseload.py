"""The caseload at a glance: every case with how many of its requests for a person are
still open (`wegwijs case list`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from storage import Case, CaseRepository, Database, PersonRequestRepository

__all__ = ["CaseLine", "caseload"]


@dataclass(frozen=True)
class CaseLine:
    case: Case
    open_requests: int  # requests for a person not yet handled


async def caseload(db: Database) -> list[CaseLine]:
    """Every case, oldest first, read in one transaction."""
    async with db.session(readonly=True) as session:
        cases = await CaseRepository(session).list()
        waiting = Counter(r.case_id for r in await PersonRequestRepository(session).open_all())
    return [CaseLine(case, waiting[case.id]) for case in cases]
