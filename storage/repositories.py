"""Thin data access on one ``AsyncSession``.

Repositories never commit: the caller owns the one transaction in which a message's
state, answers and processed update id are saved together (a crash can cost a reply,
never an answer). Every time comes in as an argument; storage never reads the clock.
"""

from __future__ import annotations

import functools
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_name
from storage.models import (
    Answer,
    Case,
    ChannelAccount,
    Conversation,
    PersonRequest,
    ProcessedUpdate,
)

__all__ = [
    "INVITE_ALPHABET",
    "AccountRepository",
    "AccountRow",
    "AnswerRepository",
    "CaseRepository",
    "CaseRow",
    "ConversationRepository",
    "EraseRepository",
    "ErasureResult",
    "NewAnswer",
    "PersonRequestRepository",
    "StandingAnswer",
    "Turn",
    "TurnRepository",
    "UpdateRepository",
    "new_invite_code",
    "normalize_invite_code",
]

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_INVITE_LEN = 8
_CODE_ATTEMPTS = 10
LAST_SEEN_PRECISION = timedelta(minutes=1)


def new_invite_code() -> str:
    """A fresh random invite code, ``XXXX-XXXX``, from ``INVITE_ALPHABET``."""
    raw = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(_INVITE_LEN))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_invite_code(code: str) -> str | None:
    """The canonical ``XXXX-XXXX`` form of what a person typed, or None if it cannot be one.

    Spaces anywhere, lower case and a missing (or misplaced) dash are forgiven.
    """
    raw = "".join(code.split()).replace("-", "").upper()
    if len(raw) != _INVITE_LEN or any(ch not in INVITE_ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:]}"


@functools.cache
def _claim_statement(dialect: str) -> Any:
    """Built once per dialect, so each update only binds its values (no compiling)."""
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert_(ProcessedUpdate.__table__).on_conflict_do_nothing(
        index_elements=["channel", "update_id"]
    )


@functools.cache
def _save_conversation_statement(dialect: str) -> Any:
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_(Conversation.__table__)
    return stmt.on_conflict_do_update(
        index_elements=["account_id"],
        set_={"data": stmt.excluded.data, "updated_at": stmt.excluded.updated_at},
    )


_INSERT_ANSWER = insert(Answer.__table__)  # type: ignore[arg-type]


class CaseRepository:
    """Cases and their invite codes."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(
        self,
        *,
        now: datetime,
        label: str | None = None,
        language: str | None = None,
        consulent: str | None = None,
        invite_ttl: timedelta | None = timedelta(days=30),
    ) -> Case:
        """Create a case with a fresh invite code (``invite_ttl=None``: never expires).

        The insert runs in a SAVEPOINT so an (astronomically unlikely) code collision
        is retried with a new code without spoiling the caller's transaction.
        """
        expires = now + invite_ttl if invite_ttl is not None else None
        for _ in range(_CODE_ATTEMPTS):
            case = Case(
                invite_code=new_invite_code(),
                invite_expires_at=expires,
                label=label,
                language=language,
                consulent=consulent,
                created_at=now,
                updated_at=now,
            )
            try:
                async with self.session.begin_nested():
                    self.session.add(case)
                    await self.session.flush()
            except IntegrityError:
                continue
            return case
        raise RuntimeError(f"no free invite code after {_CODE_ATTEMPTS} attempts")

    async def get(self, case_id: str) -> Case | None:
        return await self.session.get(Case, case_id)

    async def by_code(self, code: str) -> Case | None:
        """The case for a typed invite code (any case, with or without dash or spaces)."""
        canonical = normalize_invite_code(code)
        if canonical is None:
            return None
        result = await self.session.exec(select(Case).where(Case.invite_code == canonical))
        return result.first()

    async def mark_invite_used(self, case: Case, now: datetime) -> None:
        case.invite_used_at = now
        case.updated_at = now
        self.session.add(case)

    async def set_language(self, case: Case, lang: str | None, now: datetime) -> None:
        case.language = lang
        case.updated_at = now
        self.session.add(case)

    async def set_consent(
        self, case: Case, version: str | None, at: datetime | None, now: datetime
    ) -> None:
        """Record consent (``version`` and ``at``) or its withdrawal (both None)."""
        case.consent_version = version
        case.consent_at = at
        case.updated_at = now
        self.session.add(case)

    async def set_submitted(self, case: Case, at: datetime | None, now: datetime) -> None:
        case.intake_submitted_at = at
        case.updated_at = now
        self.session.add(case)

    async def reissue_invite(
        self, case: Case, now: datetime, invite_ttl: timedelta | None = timedelta(days=30)
    ) -> str:
        """Give the case a fresh invite code (the old one stops working at once); chats
        already bound stay bound. Returns the new code."""
        for _ in range(_CODE_ATTEMPTS):
            case.invite_code = new_invite_code()
            case.invite_expires_at = now + invite_ttl if invite_ttl is not None else None
            case.invite_used_at = None
            case.updated_at = now
            try:
                async with self.session.begin_nested():
                    self.session.add(case)
                    await self.session.flush()
            except IntegrityError:
                continue
            return case.invite_code
        raise RuntimeError(f"no free invite code after {_CODE_ATTEMPTS} attempts")

    async def assign(self, case: Case, consulent: str | None, now: datetime) -> None:
        """Give the case to another consulent (a dashboard username), or to nobody."""
        case.consulent = consulent
        case.updated_at = now
        self.session.add(case)

    async def set_label(self, case: Case, label: str | None, now: datetime) -> None:
        case.label = label
        case.updated_at = now
        self.session.add(case)

    async def set_record(
        self,
        case: Case,
        *,
        target_group: str | None,
        registered_on: date | None,
        pip_decided_on: date | None,
        now: datetime,
    ) -> None:
        """The case record as the consulent entered it (checked by the caller)."""
        case.target_group = target_group
        case.registered_on = registered_on
        case.pip_decided_on = pip_decided_on
        case.updated_at = now
        self.session.add(case)

    async def close(self, case: Case, now: datetime) -> None:
        """Close the case (status "closed", ``closed_at``); retention purges closed cases
        later. Closing a closed case keeps its first ``closed_at``."""
        if case.status != "closed" or case.closed_at is None:
            case.status = "closed"
            case.closed_at = now
            case.updated_at = now
            self.session.add(case)

    async def list(self, *, consulent: str | None = None) -> list[Case]:
        """All cases, or one consulent's caseload, oldest first."""
        stmt = select(Case)
        if consulent is not None:
            stmt = stmt.where(Case.consulent == consulent)
        result = await self.session.exec(stmt.order_by(col(Case.created_at), col(Case.id)))
        return list(result.all())

    async def delete(self, case_id: str) -> bool:
        """Erase a case and, through ON DELETE CASCADE, all its rows. True if it existed.

        Objects of the case already loaded in this session are stale afterwards.
        """
        result = await self.session.exec(delete(Case).where(col(Case.id) == case_id))
        return result.rowcount > 0

    async def closed_before(self, cutoff: datetime) -> list[str]:
        """The ids of the cases closed before ``cutoff``, oldest first (for retention)."""
        result = await self.session.exec(
            select(Case.id)
            .where(Case.status == "closed", col(Case.closed_at) < cutoff)
            .order_by(col(Case.closed_at), col(Case.id))
        )
        return list(result.all())


class AccountRepository:
    """Chat accounts per channel, and their binding to a case."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _find(self, channel: str, external_id: int) -> ChannelAccount | None:
        result = await self.session.exec(
            select(ChannelAccount).where(
                ChannelAccount.channel == channel, ChannelAccount.external_id == external_id
            )
        )
        return result.first()

    async def get_or_create(self, channel: str, external_id: int, now: datetime) -> ChannelAccount:
        """The account for (channel, external_id), created if new; touches ``last_seen_at``
        (to the minute: an UPDATE on every message of a conversation was a twelfth of the
        statements of an update, for a time the dashboard shows to the minute).

        Safe when another worker inserts the same pair at the same moment: the insert
        runs in a SAVEPOINT, and on the unique-constraint violation we read theirs.
        """
        account = await self._find(channel, external_id)
        if account is None:
            account = ChannelAccount(
                channel=channel, external_id=external_id, created_at=now, last_seen_at=now
            )
            try:
                async with self.session.begin_nested():
                    self.session.add(account)
                    await self.session.flush()
            except IntegrityError:
                account = await self._find(channel, external_id)
                if account is None:
                    raise
            else:
                return account
        if account.last_seen_at <= now - LAST_SEEN_PRECISION:
            account.last_seen_at = now
            self.session.add(account)
        return account

    async def get(self, account_id: int) -> ChannelAccount | None:
        return await self.session.get(ChannelAccount, account_id)

    async def bind(self, account: ChannelAccount, case_id: str | None, now: datetime) -> None:
        """Attach the account to a case (None detaches it)."""
        account.case_id = case_id
        account.last_seen_at = max(account.last_seen_at, now)
        self.session.add(account)

    async def set_language(self, account: ChannelAccount, lang: str | None, now: datetime) -> None:
        account.language = lang
        account.last_seen_at = max(account.last_seen_at, now)
        self.session.add(account)

    async def for_case(self, case_id: str, channel: str | None = None) -> list[ChannelAccount]:
        """Every account bound to a case (e.g. to send it a reminder), oldest first."""
        stmt = select(ChannelAccount).where(ChannelAccount.case_id == case_id)
        if channel is not None:
            stmt = stmt.where(ChannelAccount.channel == channel)
        result = await self.session.exec(stmt.order_by(col(ChannelAccount.id)))
        return list(result.all())

    async def lock(self, account_id: int) -> ChannelAccount | None:
        """Lock the account row until the transaction ends, and return it fresh.

        On PostgreSQL this is ``SELECT ... FOR UPDATE``: two updates of one chat handled
        by two workers are serialised. SQLite ignores FOR UPDATE; there every
        transaction already holds the database's write lock (BEGIN IMMEDIATE).
        """
        result = await self.session.exec(
            select(ChannelAccount)
            .where(ChannelAccount.id == account_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return result.first()


class ConversationRepository:
    """The opaque conversation state per account, stored as JSON text."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self, account_id: int) -> dict[str, Any] | None:
        """The saved state, or None for an account that never had one."""
        result = await self.session.exec(
            select(Conversation.data).where(Conversation.account_id == account_id)
        )
        data = result.first()
        return None if data is None else json.loads(data)

    async def save(self, account_id: int, data: dict[str, Any], now: datetime) -> None:
        """Insert or replace the state in one statement (an upsert, so no read first)."""
        if not isinstance(data, dict):
            raise TypeError(f"conversation state must be a dict, got {type(data).__name__}")
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        connection = await self.session.connection()
        await connection.execute(
            _save_conversation_statement(dialect_name(self.session)),
            {"account_id": account_id, "data": payload, "updated_at": now},
        )


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


@dataclass
class Turn:
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
_LOAD_TURN = (
    sa_select(
        _ACCOUNT.id, _ACCOUNT.channel, _ACCOUNT.external_id, _ACCOUNT.case_id,
        _ACCOUNT.language, _ACCOUNT.created_at, _ACCOUNT.last_seen_at,
        _CASE.id, _CASE.language, _CASE.consent_version, _CASE.intake_submitted_at,
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


class TurnRepository:
    """One update's reads and writes in as few statements as the databases allow: the
    hot path of the bot (every statement is a round trip, and on SQLite a turn of the
    one writer's lock). Core statements built once: the ORM's unit of work and
    per-call compiling cost more here than they give."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self, channel: str, external_id: int) -> Turn | None:
        """Account, case, conversation and standing answers in one query; None for a
        chat never seen. The account row stays locked until the transaction ends, so two
        workers never handle one chat at once: on SQLite the transaction already holds
        the one write lock; on PostgreSQL a ``FOR UPDATE`` comes first, on its own,
        because a statement that waited for the lock would still read the conversation
        and answers as they were before the other worker's commit (one snapshot per
        statement): the only case where a turn costs one more statement."""
        connection = await self.session.connection()
        key = {"channel": channel, "chat": external_id}
        postgres = dialect_name(self.session) == "postgresql"
        if postgres and (await connection.execute(_LOCK_ACCOUNT, key)).first() is None:
            return None
        rows = (await connection.execute(_LOAD_TURN, key)).all()
        if not rows:
            return None
        first = rows[0]
        account = AccountRow(*first[:7])
        case = CaseRow(*first[7:11]) if first[7] is not None else None
        data = first[11]
        answers = [StandingAnswer(*row[12:]) for row in rows if row[12] is not None]
        return Turn(account, case, None if data is None else json.loads(data), answers)

    async def touch(self, account: AccountRow, now: datetime) -> None:
        """``last_seen_at``, kept to the minute (see AccountRepository.get_or_create)."""
        if account.last_seen_at <= now - LAST_SEEN_PRECISION:
            connection = await self.session.connection()
            await connection.execute(_TOUCH, {"account_id": account.id, "seen": now})

    async def record(self, case_id: str, answers: list[NewAnswer], standing: set[str]) -> None:
        """Store new answers: one UPDATE superseding those that stood for the same
        questions (none when nothing stood: ``standing`` is the question ids with a
        current row, from `load`), one INSERT for all. Several answers to one question
        in one go take the general path (each supersedes the one before)."""
        if not answers:
            return
        questions = [a.question_id for a in answers]
        if len(set(questions)) != len(questions) or len({a.at for a in answers}) != 1:
            repository = AnswerRepository(self.session)
            for a in answers:
                await repository.record(
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
        connection = await self.session.connection()
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


class UpdateRepository:
    """Which channel updates were processed: a redelivered update is handled once."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, channel: str, update_id: int, now: datetime) -> bool:
        """Record the update as processed; False if it already was.

        ``INSERT ... ON CONFLICT DO NOTHING`` lets the database decide: of two
        concurrent claims, one inserts and the other waits for it and inserts nothing.
        Claim inside the transaction that saves the update's effects, so a rollback
        un-claims it.
        """
        connection = await self.session.connection()
        result = await connection.execute(
            _claim_statement(dialect_name(self.session)),
            {"channel": channel, "update_id": update_id, "processed_at": now},
        )
        return result.rowcount == 1

    async def prune(self, before: datetime) -> int:
        """Forget updates processed before ``before`` (channels stop redelivering after
        a day or so); returns how many rows went. Keeps the table small."""
        result = await self.session.exec(
            delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before)
        )
        return result.rowcount


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
        """Every request not yet handled, longest waiting first (for the dashboard)."""
        result = await self.session.exec(
            select(PersonRequest)
            .where(col(PersonRequest.handled_at).is_(None))
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


@dataclass(frozen=True)
class ErasureResult:
    """How many rows an erasure removed: counts only, so it can go to an audit log."""

    cases: int = 0
    accounts: int = 0
    answers: int = 0
    requests: int = 0


class EraseRepository:
    """Erasing a person: their case and everything of it, or an account without a case.

    Everything is removed with explicit DELETE statements in the caller's transaction
    (nothing is loaded into the session first), so the counts are exact and a rollback
    restores it all. ORM objects of the erased rows loaded earlier in the same session
    are stale afterwards: do not use or flush them (a change to one would fail with
    ``StaleDataError``); read again in a fresh session.

    ``processed_update`` rows are left: they hold only (channel, update id, time) and
    no link to a person, and keep a redelivered update (such as the ``/delete`` itself)
    from being processed again and recreating anything.

    Rows are locked accounts first, then the case — the order message handling takes
    them in (``AccountRepository.lock``, then the case) — so an erasure and a message
    of the same person on PostgreSQL wait for each other instead of deadlocking.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def erase_account(self, account_id: int) -> ErasureResult:
        """Erase the account, its conversation and, if it is bound to one, its case
        with every other account of that case. Unknown account: all counts zero."""
        result = await self.session.exec(
            select(ChannelAccount.id, ChannelAccount.case_id)
            .where(ChannelAccount.id == account_id)
            .with_for_update()
        )
        found = result.one_or_none()
        if found is None:
            return ErasureResult()
        case_id = found[1]
        if case_id is not None:
            # The account is bound to the case (and locked, so it stays bound): it goes
            # with the case's other accounts.
            return await self.erase_case(case_id)
        accounts = await self._delete_accounts(col(ChannelAccount.id) == account_id)
        return ErasureResult(accounts=accounts)

    async def erase_case(self, case_id: str) -> ErasureResult:
        """Erase a case with its answers, person requests and every account bound to it
        (with their conversations). Unknown case: all counts zero."""
        await self._lock_accounts(case_id)
        found = await self.session.exec(select(Case.id).where(Case.id == case_id).with_for_update())
        if found.one_or_none() is None:
            return ErasureResult()
        answers = await self.session.exec(delete(Answer).where(col(Answer.case_id) == case_id))
        requests = await self.session.exec(
            delete(PersonRequest).where(col(PersonRequest.case_id) == case_id)
        )
        accounts = await self._delete_accounts(col(ChannelAccount.case_id) == case_id)
        # Anything a later table holds of the case goes by ON DELETE CASCADE.
        cases = await self.session.exec(delete(Case).where(col(Case.id) == case_id))
        return ErasureResult(
            cases=cases.rowcount,
            accounts=accounts,
            answers=answers.rowcount,
            requests=requests.rowcount,
        )

    async def erase_case_closed_before(self, case_id: str, cutoff: datetime) -> ErasureResult:
        """Erase a case only if it is still closed, since before ``cutoff`` (retention).

        Checked again under lock, so a case reopened since it was listed stays (all
        counts zero)."""
        await self._lock_accounts(case_id)
        still = await self.session.exec(
            select(Case.id)
            .where(Case.id == case_id, Case.status == "closed", col(Case.closed_at) < cutoff)
            .with_for_update()
        )
        if still.one_or_none() is None:
            return ErasureResult()
        return await self.erase_case(case_id)

    async def erase_answers(self, case_id: str) -> ErasureResult:
        """Erase every answer of a case (history included), keeping the case, its chats
        and requests: consent was refused or withdrawn, so no answer may stay."""
        result = await self.session.exec(delete(Answer).where(col(Answer.case_id) == case_id))
        return ErasureResult(answers=result.rowcount)

    async def _lock_accounts(self, case_id: str) -> None:
        """Lock the case's accounts, in id order: the first step of the lock order."""
        await self.session.exec(
            select(ChannelAccount.id)
            .where(ChannelAccount.case_id == case_id)
            .order_by(col(ChannelAccount.id))
            .with_for_update()
        )

    async def _delete_accounts(self, where: Any) -> int:
        """Delete the accounts matching ``where`` and their conversations; how many accounts."""
        await self.session.exec(
            delete(Conversation).where(
                col(Conversation.account_id).in_(select(ChannelAccount.id).where(where))
            )
        )
        result = await self.session.exec(delete(ChannelAccount).where(where))
        return result.rowcount
