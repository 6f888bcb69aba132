"""The web chat's transcripts: the newest lines of each web account's conversation.

A page step reads the account and its lines and writes a few lines: Core statements
built once (as `SnapshotRepository` does), the files (a my-data JSON) read only when one is
downloaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert
from sqlalchemy import select as sa_select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Case, ChannelAccount, Conversation, WebMessage

# Lines kept per account: a page shows fewer; older lines are deleted as new ones come.
KEEP = 60

_ACCOUNT = ChannelAccount.__table__.c  # type: ignore[attr-defined]
_CASE = Case.__table__.c  # type: ignore[attr-defined]
_CONVERSATION = Conversation.__table__.c  # type: ignore[attr-defined]
_LINES = WebMessage.__table__  # type: ignore[attr-defined]
_LINE = _LINES.c

_NEWEST = sa_select(func.max(_LINE.id)).where(_LINE.account_id == _ACCOUNT.id).scalar_subquery()
_ACCOUNT_OF_CHAT = (
    sa_select(
        _ACCOUNT.id, _ACCOUNT.case_id, _CASE.practice, _ACCOUNT.language,
        _CONVERSATION.data, _NEWEST, _CASE.binding_version,
    )
    .select_from(ChannelAccount.__table__)  # type: ignore[arg-type]
    .outerjoin(Case.__table__, _CASE.id == _ACCOUNT.case_id)  # type: ignore[arg-type]
    .outerjoin(Conversation.__table__, _CONVERSATION.account_id == _ACCOUNT.id)  # type: ignore[arg-type]
    .where(_ACCOUNT.channel == bindparam("channel"), _ACCOUNT.external_id == bindparam("chat"))
)  # fmt: skip
_NEWEST_LINES = (
    sa_select(
        _LINE.id, _LINE.sender, _LINE.lang, _LINE.text, _LINE.buttons, _LINE.filename, _LINE.at
    )
    .where(_LINE.account_id == bindparam("account_id"))
    .order_by(_LINE.id.desc())
    .limit(bindparam("limit"))
)
_FILE = sa_select(_LINE.filename, _LINE.document).where(
    _LINE.id == bindparam("line_id"), _LINE.account_id == bindparam("account_id")
)
# The id below which an account's lines go: the (KEEP+1)-th newest's. No such line: NULL,
# and nothing is deleted.
_PRUNE = delete(_LINES).where(
    _LINE.account_id == bindparam("account_id"),
    _LINE.id
    <= sa_select(_LINE.id)
    .where(_LINE.account_id == bindparam("account_id"))
    .order_by(_LINE.id.desc())
    .offset(KEEP)
    .limit(1)
    .scalar_subquery(),
)


@dataclass(frozen=True)
class WebAccount:
    """A web chat's account as the page needs it."""

    id: int
    case_id: str | None
    practice: bool
    language: str | None
    conversation: str | None  # the conversation's JSON, as `ConversationRepository` keeps it
    last_message: int  # the id of the newest transcript line, 0 without one
    binding_version: int = 0  # the case's: a cookie with another one is refused


@dataclass(frozen=True)
class WebLine:
    """A stored line as a page shows it (its file, if any, is read when downloaded)."""

    id: int
    sender: str
    lang: str | None
    text: str
    buttons: list[list[list[str]]] | None
    filename: str | None
    at: datetime


@dataclass(frozen=True)
class NewLine:
    sender: str  # person | wegwijs
    text: str
    lang: str | None = None
    buttons: list[list[list[str]]] | None = None
    filename: str | None = None
    document: str | None = None


class WebChatRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def account(self, channel: str, external_id: int) -> WebAccount | None:
        """The account of a chat with its newest line's id, in one query; None when the
        account is gone (erased) or never was."""
        connection = await self.session.connection()
        key = {"channel": channel, "chat": external_id}
        row = (await connection.execute(_ACCOUNT_OF_CHAT, key)).first()
        if row is None:
            return None
        account_id, case_id, practice, language, conversation, last, version = row
        return WebAccount(
            account_id,
            case_id,
            bool(practice),
            language,
            conversation,
            int(last or 0),
            int(version or 0),
        )

    async def lines(self, account_id: int, limit: int = KEEP) -> list[WebLine]:
        """The newest `limit` lines, oldest first."""
        connection = await self.session.connection()
        key = {"account_id": account_id, "limit": limit}
        rows = (await connection.execute(_NEWEST_LINES, key)).all()
        return [WebLine(*row) for row in reversed(rows)]

    async def append(self, account_id: int, lines: Sequence[NewLine], now: datetime) -> int:
        """Add lines in order and forget those beyond the newest `KEEP`; the newest id."""
        if not lines:
            return 0
        connection = await self.session.connection()
        values: list[dict[str, Any]] = [
            {
                "account_id": account_id,
                "sender": line.sender,
                "lang": line.lang,
                "text": line.text,
                "buttons": line.buttons,
                "filename": line.filename,
                "document": line.document,
                "at": now,
            }
            for line in lines
        ]
        ids = (await connection.execute(insert(_LINES).returning(_LINE.id), values)).scalars()
        newest = max(ids.all())
        await connection.execute(_PRUNE, {"account_id": account_id})
        return int(newest)

    async def file(self, account_id: int, line_id: int) -> tuple[str, str] | None:
        """(filename, content) of a line's file, only if the line is this account's."""
        connection = await self.session.connection()
        key = {"line_id": line_id, "account_id": account_id}
        row = (await connection.execute(_FILE, key)).first()
        if row is None or row[0] is None or row[1] is None:
            return None
        return row[0], row[1]
