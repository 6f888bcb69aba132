"""Erasing a person: their case and everything of it, or an account without a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Answer, Case, ChannelAccount, Conversation, PersonRequest, WebMessage


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
        """Delete the accounts matching ``where``, their conversations and web chat
        transcripts; how many accounts."""
        await self.session.exec(
            delete(WebMessage).where(
                col(WebMessage.account_id).in_(select(ChannelAccount.id).where(where))
            )
        )
        await self.session.exec(
            delete(Conversation).where(
                col(Conversation.account_id).in_(select(ChannelAccount.id).where(where))
            )
        )
        result = await self.session.exec(delete(ChannelAccount).where(where))
        return result.rowcount
