"""The hot path's read: a chat's snapshot (`ChatSnapshot`: its account, its case, the
saved conversation and the answers that stand), everything one update reads, in one
query (the answers it writes: `AnswerRepository.record_many`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import connection_of, dialect_name
from storage.models import Answer, Case, ChannelAccount, Conversation
from storage.repositories.accounts import LAST_SEEN_PRECISION


@dataclass(frozen=True)
class StandingAnswer:
    """A current (not superseded) answer row, as one turn of a conversation needs it."""

    question_id: str
    codes: list[str] | None
    number: int | None
    free_text: str | None
    skipped: bool
    retracted: bool


@dataclass(frozen=True)
class AccountRow:
    """A chat account as read for one update (a snapshot: change it through
    AccountRepository on the session object)."""

    id: int
    channel: str
    external_id: int
    case_id: str | None
    language: str | None
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class CaseRow:
    """What one update needs of its case (a snapshot, like AccountRow)."""

    id: str
    language: str | None
    consent_version: str | None
    intake_submitted_at: datetime | None
    target_group: str | None  # who helps the person depends on it (roles)
    status: str  # "closed": the case takes no more answers


@dataclass
class ChatSnapshot:
    """Everything one update of a chat reads: its account, its case, the saved
    conversation and the answers that stand, in answering order."""

    account: AccountRow
    case: CaseRow | None
    conversation: dict[str, Any] | None
    answers: list[StandingAnswer]


_ACCOUNT = ChannelAccount.__table__.c  # type: ignore[attr-defined]
_CASE = Case.__table__.c  # type: ignore[attr-defined]
_CONVERSATION = Conversation.__table__.c  # type: ignore[attr-defined]
_ANSWER = Answer.__table__.c  # type: ignore[attr-defined]
_LOAD_SNAPSHOT = (
    sa_select(
        _ACCOUNT.id, _ACCOUNT.channel, _ACCOUNT.external_id, _ACCOUNT.case_id,
        _ACCOUNT.language, _ACCOUNT.created_at, _ACCOUNT.last_seen_at,
        _CASE.id, _CASE.language, _CASE.consent_version, _CASE.intake_submitted_at,
        _CASE.target_group, _CASE.status,
        _CONVERSATION.data,
        _ANSWER.question_id, _ANSWER.codes, _ANSWER.number, _ANSWER.free_text,
        _ANSWER.skipped, _ANSWER.retracted,
    )
    .select_from(ChannelAccount.__table__)  # type: ignore[arg-type]
    .outerjoin(Case.__table__, _CASE.id == _ACCOUNT.case_id)  # type: ignore[arg-type]
    .outerjoin(Conversation.__table__, _CONVERSATION.account_id == _ACCOUNT.id)  # type: ignore[arg-type]
    .outerjoin(
        Answer.__table__,  # type: ignore[arg-type]
        and_(_ANSWER.case_id == _ACCOUNT.case_id, _ANSWER.superseded_at.is_(None)),
    )
    .where(_ACCOUNT.channel == bindparam("channel"), _ACCOUNT.external_id == bindparam("chat"))
    .order_by(_ANSWER.answered_at, _ANSWER.id)
)  # fmt: skip
_LOCK_ACCOUNT = (
    sa_select(_ACCOUNT.id)
    .where(_ACCOUNT.channel == bindparam("channel"), _ACCOUNT.external_id == bindparam("chat"))
    .with_for_update()
)
_TOUCH = (
    update(ChannelAccount.__table__)  # type: ignore[arg-type]
    .where(_ACCOUNT.id == bindparam("account_id"))
    .values(last_seen_at=bindparam("seen"))
)


class SnapshotRepository:
    """One update's reads in as few statements as the databases allow: the hot path of
    the bot (every statement is a round trip, and on SQLite a turn of the one writer's
    lock). Core statements built once: the ORM's unit of work and per-call compiling
    cost more here than they give."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self, channel: str, external_id: int) -> ChatSnapshot | None:
        """Account, case, conversation and standing answers in one query; None for a
        chat never seen. The account row stays locked until the transaction ends, so two
        workers never handle one chat at once: on SQLite the transaction already holds
        the one write lock; on PostgreSQL a ``FOR UPDATE`` comes first, on its own,
        because a statement that waited for the lock would still read the conversation
        and answers as they were before the other worker's commit (one snapshot per
        statement): the only case where a turn costs one more statement."""
        connection = await connection_of(self.session)
        key = {"channel": channel, "chat": external_id}
        postgres = dialect_name(self.session) == "postgresql"
        if postgres and (await connection.execute(_LOCK_ACCOUNT, key)).first() is None:
            return None
        rows = (await connection.execute(_LOAD_SNAPSHOT, key)).all()
        if not rows:
            return None
        first = rows[0]
        account = AccountRow(*first[:7])
        case = CaseRow(*first[7:13]) if first[7] is not None else None
        data = first[13]
        answers = [StandingAnswer(*row[14:]) for row in rows if row[14] is not None]
        return ChatSnapshot(account, case, None if data is None else json.loads(data), answers)

    async def touch(self, account: AccountRow, now: datetime) -> None:
        """``last_seen_at``, kept to the minute (see AccountRepository.get_or_create)."""
        if account.last_seen_at <= now - LAST_SEEN_PRECISION:
            connection = await connection_of(self.session)
            await connection.execute(_TOUCH, {"account_id": account.id, "seen": now})
