"""Answers to the pre-intake, with history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Answer


class AnswerRepository:
    """Answers to the pre-intake, with history: a change supersedes, it never overwrites."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, case_id: str) -> list[Answer]:
        """The answers that stand now (one per question at most), in answering order."""
        result = await self.session.exec(
            select(Answer)
            .where(Answer.case_id == case_id, col(Answer.superseded_at).is_(None))
            .order_by(col(Answer.answered_at), col(Answer.id))
        )
        return list(result.all())

    async def record(
        self,
        case_id: str,
        question_id: str,
        *,
        codes: list[str] | None = None,
        number: int | None = None,
        free_text: str | None = None,
        text_lang: str | None = None,
        skipped: bool = False,
        retracted: bool = False,
        at: datetime,
    ) -> Answer:
        """Store a new answer, superseding the current one for that question at ``at``."""
        await self.session.exec(
            update(Answer)
            .where(
                col(Answer.case_id) == case_id,
                col(Answer.question_id) == question_id,
                col(Answer.superseded_at).is_(None),
            )
            .values(superseded_at=at)
        )
        answer = Answer(
            case_id=case_id,
            question_id=question_id,
            codes=list(codes) if codes is not None else None,
            number=number,
            free_text=free_text,
            text_lang=text_lang,
            skipped=skipped,
            retracted=retracted,
            answered_at=at,
        )
        self.session.add(answer)
        await self.session.flush()
        return answer

    async def history(self, case_id: str, question_id: str) -> list[Answer]:
        """Every answer given to one question, oldest first."""
        result = await self.session.exec(
            select(Answer)
            .where(Answer.case_id == case_id, Answer.question_id == question_id)
            .order_by(col(Answer.answered_at), col(Answer.id))
        )
        return list(result.all())

    async def all(self, case_id: str) -> list[Answer]:
        """Every answer of a case, superseded ones included (for export), oldest first."""
        result = await self.session.exec(
            select(Answer)
            .where(Answer.case_id == case_id)
            .order_by(col(Answer.answered_at), col(Answer.id))
        )
        return list(result.all())
