"""The web chat's transcripts: the newest lines of each web account's conversation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Case, ChannelAccount, Conversation, WebMessage

# Lines kept per account: a page shows fewer; older lines are deleted as new ones come.
KEEP = 60


@dataclass(frozen=True)
class WebAccount:
    """A web chat's account as the page needs it."""

    id: int
    case_id: str | None
    practice: bool
    language: str | None
    conversation: str | None  # the conversation's JSON, as `ConversationRepository` keeps it
    last_message: int  # the id of the newest transcript line, 0 without one


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
        newest = (
            select(func.max(WebMessage.id))
            .where(WebMessage.account_id == ChannelAccount.id)
            .scalar_subquery()
        )
        result = await self.session.exec(
            select(
                ChannelAccount.id,
                ChannelAccount.case_id,
                Case.practice,
                ChannelAccount.language,
                Conversation.data,
                newest,
            )
            .outerjoin(Case, col(Case.id) == col(ChannelAccount.case_id))
            .outerjoin(Conversation, col(Conversation.account_id) == col(ChannelAccount.id))
            .where(ChannelAccount.channel == channel, ChannelAccount.external_id == external_id)
        )
        row = result.first()
        if row is None:
            return None
        account_id, case_id, practice, language, conversation, last = row
        assert account_id is not None
        return WebAccount(
            account_id, case_id, bool(practice), language, conversation, int(last or 0)
        )

    async def lines(self, account_id: int, limit: int = KEEP) -> list[WebMessage]:
        """The newest `limit` lines, oldest first."""
        result = await self.session.exec(
            select(WebMessage)
            .where(WebMessage.account_id == account_id)
            .order_by(col(WebMessage.id).desc())
            .limit(limit)
        )
        return list(reversed(result.all()))

    async def append(self, account_id: int, lines: Sequence[NewLine], now: datetime) -> int:
        """Add lines in order and forget those beyond the newest `KEEP`; the newest id."""
        rows = [
            WebMessage(
                account_id=account_id,
                sender=line.sender,
                lang=line.lang,
                text=line.text,
                buttons=line.buttons,
                filename=line.filename,
                document=line.document,
                at=now,
            )
            for line in lines
        ]
        self.session.add_all(rows)
        await self.session.flush()
        newest = max((row.id for row in rows if row.id is not None), default=0)
        # No (KEEP+1)-th newest line: the subquery is NULL and nothing is deleted.
        await self.session.exec(
            delete(WebMessage).where(
                col(WebMessage.account_id) == account_id,
                col(WebMessage.id) <= self._cutoff(account_id),
            )
        )
        return newest

    @staticmethod
    def _cutoff(account_id: int) -> object:
        """The id below which an account's lines go: the KEEP-th newest's id minus one."""
        return (
            select(WebMessage.id)
            .where(WebMessage.account_id == account_id)
            .order_by(col(WebMessage.id).desc())
            .offset(KEEP)
            .limit(1)
            .scalar_subquery()
        )

    async def file(self, account_id: int, message_id: int) -> tuple[str, str] | None:
        """(filename, content) of a line's file, only if the line is this account's."""
        result = await self.session.exec(
            select(WebMessage.filename, WebMessage.document).where(
                WebMessage.id == message_id, WebMessage.account_id == account_id
            )
        )
        row = result.first()
        if row is None or row[0] is None or row[1] is None:
            return None
        return row[0], row[1]

    async def forget(self, account_id: int) -> int:
        """Delete an account's whole transcript; how many lines."""
        result = await self.session.exec(
            delete(WebMessage).where(col(WebMessage.account_id) == account_id)
        )
        return result.rowcount
