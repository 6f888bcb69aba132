"""Writing an erasure to the audit log: that it happened, by whom and why, with counts.

The entry names no case (``target`` is None) and holds nothing of the person: after an
erasure nothing may point back to them. Used by ``/delete``, a refused consent, the
retention purge and the dashboard's "erase case".
"""

from __future__ import annotations

from datetime import datetime

from storage import AuditRepository, ErasureResult, Session

__all__ = ["ERASE_ACTION", "erasure_detail", "record_erasure"]

ERASE_ACTION = "case.erase"


def erasure_detail(reason: str, result: ErasureResult) -> str:
    """Why, and how many rows: ``"retention: 1 case(s), 2 account(s), …"``."""
    return (
        f"{reason}: {result.cases} case(s), {result.accounts} account(s), "
        f"{result.answers} answer(s), {result.requests} request(s)"
    )


async def record_erasure(
    session: Session,
    result: ErasureResult,
    *,
    actor: str,
    reason: str,
    at: datetime,
    action: str = ERASE_ACTION,
) -> None:
    """Audit an erasure in the transaction that made it (nothing is recorded if nothing
    was erased)."""
    if result == ErasureResult():
        return
    await AuditRepository(session).record(
        actor=actor, action=action, target=None, at=at, detail=erasure_detail(reason, result)
    )
