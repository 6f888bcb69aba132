"""Answers to the pre-intake, with history; one update's new answers written at once on
the hot path (`record_many`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import connection_of
from storage.models import Answer

_INSERT_ANSWER = insert(Answer.__table__)  # type: ignore[arg-type]


@dataclass(frozen=True)
class NewAnswer:
    """An answer to store (``retracted``: the question's answer was taken back)."""

    question_id: str
    at: datetime
    codes: list[str] | None = None
    number: int | None = None
    free_text: str | None = None
    text_lang: str | None = None
    skipped: bool = False
    retracted: bool = False


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

    async def record_many(self, case_id: str, answers: list[NewAnswer], standing: set[str]) -> None:
        """Store one update's new answers (the hot path): one UPDATE superseding those
        that stood for the same questions (none when nothing stood: ``standing`` is the
        question ids with a current row, from `SnapshotRepository.load`), one INSERT for
        all, as prepared Core statements. Several answers to one question in one go take
        the general path (each supersedes the one before)."""
        if not answers:
            return
        questions = [a.question_id for a in answers]
        if len(set(questions)) != len(questions) or len({a.at for a in answers}) != 1:
            for a in answers:
                await self.record(
                    case_id, a.question_id, codes=a.codes, number=a.number,
                    free_text=a.free_text, text_lang=a.text_lang, skipped=a.skipped,
                    retracted=a.retracted, at=a.at,
                )  # fmt: skip
            return
        at = answers[0].at
        replaced = [q for q in questions if q in standing]
        if replaced:
            await self.session.exec(  # an ORM UPDATE: answers loaded in the session follow
                update(Answer)
                .where(
                    col(Answer.case_id) == case_id,
                    col(Answer.question_id).in_(replaced),
                    col(Answer.superseded_at).is_(None),
                )
                .values(superseded_at=at)
            )
        connection = await connection_of(self.session)
        await connection.execute(
            _INSERT_ANSWER,
            [
                    {
                        "case_id": case_id, "question_id": a.question_id,
                        "codes": list(a.codes) if a.codes is not None else None,
                        "number": a.number, "free_text": a.free_text,
                        "text_lang": a.text_lang, "skipped": a.skipped,
                        "retracted": a.retracted, "answered_at": a.at,
                        "superseded_at": None,
                    }
                    for a in answers
            ],
        )  # fmt: skip
