"""The caseload's reads: one query per kind of row for all the consulent's cases, so a
caseload of 70 costs a handful of queries, not hundreds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Answer, ChannelAccount, PersonRequest

__all__ = ["CaseloadRepository"]

# SQLite allows 32,766 bound parameters; stay far below on every database.
_CHUNK = 500


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[i : i + _CHUNK]) for i in range(0, len(ids), _CHUNK)]


class CaseloadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current_answers(self, case_ids: Sequence[str]) -> dict[str, list[Answer]]:
        """The answers that stand now, per case."""
        found: dict[str, list[Answer]] = defaultdict(list)
        for chunk in _chunks(case_ids):
            result = await self.session.exec(
                select(Answer)
                .where(
                    col(Answer.case_id).in_(chunk),
                    col(Answer.superseded_at).is_(None),
                    col(Answer.retracted).is_(False),
                )
                .order_by(col(Answer.answered_at), col(Answer.id))
            )
            for row in result.all():
                found[row.case_id].append(row)
        return found

    async def last_seen(self, case_ids: Sequence[str]) -> dict[str, datetime]:
        """When a chat of the case last sent anything, per case."""
        found: dict[str, datetime] = {}
        for chunk in _chunks(case_ids):
            result = await self.session.exec(
                select(ChannelAccount.case_id, func.max(ChannelAccount.last_seen_at))
                .where(col(ChannelAccount.case_id).in_(chunk))
                .group_by(col(ChannelAccount.case_id))
            )
            for case_id, seen in result.all():
                if case_id is not None and seen is not None:
                    found[case_id] = seen
        return found

    async def open_request_counts(self, case_ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(case_ids):
            result = await self.session.exec(
                select(PersonRequest.case_id, func.count())
                .where(
                    col(PersonRequest.case_id).in_(chunk), col(PersonRequest.handled_at).is_(None)
                )
                .group_by(col(PersonRequest.case_id))
            )
            for case_id, count in result.all():
                found[case_id] = int(count)
        return found
