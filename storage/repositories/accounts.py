"""Chat accounts per channel, and their binding to a case."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ChannelAccount

LAST_SEEN_PRECISION = timedelta(minutes=1)


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
