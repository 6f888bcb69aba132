"""Practice: "Try it without a code" in the web chat. A practice case is a real case
for the conversation (answers are saved, /mydata and /delete work), but it is nobody's:
on no caseload, its requests on no dashboard, and it is erased a day after it began.
The worker runs `purge_practice` with its other upkeep; the time comes in as `now`."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.core.service import Attach, Service
from storage import CaseRepository, Database, EraseRepository

log = logging.getLogger(__name__)

__all__ = ["PRACTICE_LIFETIME", "purge_practice", "start_practice"]

PRACTICE_LIFETIME = timedelta(days=1)


async def start_practice(service: Service, channel: str, chat_id: int) -> bool:
    """A new practice case, bound to this chat (its code is used at once: nobody else
    can ever reach it). True when the chat is bound."""
    now = service.clock()
    async with service.db.session() as session, session.begin():
        case = await CaseRepository(session).create(now=now, invite_ttl=None, practice=True)
        code = case.invite_code
    return await service.attach(channel, chat_id, code) is Attach.OK


async def purge_practice(db: Database, now: datetime) -> int:
    """Erase every practice case begun more than a day before `now`, with everything of
    it (answers, chats, web transcripts); how many went. Not audited: it was nobody's."""
    async with db.session(readonly=True) as session:
        old = await CaseRepository(session).practice_created_before(now - PRACTICE_LIFETIME)
    erased = 0
    for case_id in old:
        async with db.session() as session, session.begin():
            result = await EraseRepository(session).erase_case(case_id)
            erased += result.cases
    if erased:
        log.info("practice: erased %d practice case(s) older than a day", erased)
    return erased
