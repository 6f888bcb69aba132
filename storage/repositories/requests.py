"""Requests to talk to a person (``/person``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Case, PersonRequest


class PersonRequestRepository:
    """Requests to talk to a person (``/person``), listed on the consulent's dashboard."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(
        self, case_id: str, channel: str, *, topic: str | None = None, now: datetime
    ) -> PersonRequest:
        """Record a request, or return the one already open for this case and topic.

        People press buttons twice: while a request for (case, topic) is open, a second
        one adds nothing. The case row is locked first (``SELECT ... FOR UPDATE`` on
        PostgreSQL; SQLite's transaction already holds the write lock), so two requests
        for one case made at the same moment by two workers cannot both insert.
        """
        await self.session.exec(select(Case.id).where(Case.id == case_id).with_for_update())
        stmt = select(PersonRequest).where(
            PersonRequest.case_id == case_id, col(PersonRequest.handled_at).is_(None)
        )
        if topic is None:
            stmt = stmt.where(col(PersonRequest.topic).is_(None))
        else:
            stmt = stmt.where(PersonRequest.topic == topic)
        result = await self.session.exec(
            stmt.order_by(col(PersonRequest.requested_at), col(PersonRequest.id))
        )
        existing = result.first()
        if existing is not None:
            return existing
        request = PersonRequest(case_id=case_id, channel=channel, topic=topic, requested_at=now)
        self.session.add(request)
        await self.session.flush()
        return request

    async def open_for_case(self, case_id: str) -> list[PersonRequest]:
        """The case's requests not yet handled, oldest first."""
        result = await self.session.exec(
            select(PersonRequest)
            .where(PersonRequest.case_id == case_id, col(PersonRequest.handled_at).is_(None))
            .order_by(col(PersonRequest.requested_at), col(PersonRequest.id))
        )
        return list(result.all())

    async def for_case(self, case_id: str) -> list[PersonRequest]:
        """Every request of a case, handled ones too (for /mydata), oldest first."""
        result = await self.session.exec(
            select(PersonRequest)
            .where(PersonRequest.case_id == case_id)
            .order_by(col(PersonRequest.requested_at), col(PersonRequest.id))
        )
        return list(result.all())

    async def open_all(self) -> list[PersonRequest]:
        """Every request not yet handled, longest waiting first (for the dashboard);
        none of a practice case, which no consulent sees."""
        result = await self.session.exec(
            select(PersonRequest)
            .join(Case, col(Case.id) == col(PersonRequest.case_id))
            .where(col(PersonRequest.handled_at).is_(None), col(Case.practice).is_(False))
            .order_by(col(PersonRequest.requested_at), col(PersonRequest.id))
        )
        return list(result.all())

    async def mark_handled(self, request_id: int, by: str, now: datetime) -> bool:
        """Close an open request; False if it is unknown or was already handled
        (the first consulent to handle it stays recorded)."""
        result = await self.session.exec(
            update(PersonRequest)
            .where(col(PersonRequest.id) == request_id, col(PersonRequest.handled_at).is_(None))
            .values(handled_at=now, handled_by=by)
        )
        return result.rowcount > 0
