"""Retention: a case closed longer ago than the municipality file's
``[privacy] retention_months`` is erased with everything of it.

People are told this period before they agree ("erased … months after your
inburgering ends"); closing a case (``wegwijs case close``, the dashboard) is when the
inburgering ends. The reminder worker calls ``purge_expired`` periodically;
``wegwijs case purge`` runs it once. The time comes in as ``now``: no clock is read here.
"""

from __future__ import annotations

import calendar
import logging
from datetime import datetime

from bot.core.erasure import record_erasure
from bot.municipality import Municipality
from storage import CaseRepository, Database, EraseRepository

log = logging.getLogger(__name__)

__all__ = ["months_before", "purge_expired"]


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier; the 31st becomes the
    last day of a shorter month (31 May minus 3 months is 28 or 29 February)."""
    total = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


async def purge_expired(db: Database, municipality: Municipality, now: datetime) -> int:
    """Erase every case closed before ``now`` minus the retention period; how many went.

    One short transaction per case (SQLite's write lock is held briefly, and one failure
    does not undo the others). Inside it the case is checked again under lock, so a
    case reopened in the meantime stays. Each erasure is written to the audit log as
    done by ``system``, with counts only.
    """
    cutoff = months_before(now, municipality.privacy.retention_months)
    async with db.session(readonly=True) as session:
        expired = await CaseRepository(session).closed_before(cutoff)
    purged = 0
    for case_id in expired:
        async with db.session() as session, session.begin():
            result = await EraseRepository(session).erase_case_closed_before(case_id, cutoff)
            if not result.cases:
                continue  # reopened (or erased) since it was listed
            await record_erasure(session, result, actor="system", reason="retention", at=now)
            purged += result.cases
    if purged:
        log.info("retention: erased %d case(s) closed before %s", purged, cutoff.date())
    return purged
