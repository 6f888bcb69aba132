"""The case record's law: target groups and the deadlines that follow from the dates.

Pure: the figures (10 weeks, 3 years, when a deadline is "near") come from the
municipality file and are passed in; this module only does the arithmetic, in one place,
for the dashboard, the CLI and the export alike.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "LAW_START",
    "TARGET_GROUPS",
    "CaseDates",
    "add_years",
    "case_dates",
    "leerbaarheidstoets_status",
    "pip_urgency",
]

# The Wet inburgering 2021 applies to people who became inburgeringsplichtig from
# 1 January 2022 on; an earlier registration falls under the old law, with no PIP.
LAW_START = date(2022, 1, 1)

# Who the person is under the law (DOMAIN.md, "Who"). A nareiziger is a statushouder's
# family member who followed later: same regie, but the dates are their own.
TARGET_GROUPS: tuple[str, ...] = ("statushouder", "nareiziger", "gezinsmigrant")


@dataclass(frozen=True)
class CaseDates:
    """What the law's clock says for one case; None where a date is not known yet."""

    pip_deadline: date | None  # the PIP must be decided by this day
    term_start: date | None  # the day the PIP was decided
    term_end: date | None  # `term_years` after the start: the obligations are due


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def case_dates(
    registered_on: date | None,
    pip_decided_on: date | None,
    *,
    pip_weeks: int,
    term_years: int,
) -> CaseDates:
    """The PIP deadline (`pip_weeks` after the BRP registration) and the term (from the
    day the PIP was decided, `term_years` long). No registration, no deadline; no PIP,
    no term."""
    deadline = registered_on + timedelta(weeks=pip_weeks) if registered_on else None
    end = add_years(pip_decided_on, term_years) if pip_decided_on else None
    return CaseDates(pip_deadline=deadline, term_start=pip_decided_on, term_end=end)


def pip_urgency(dates: CaseDates, today: date, *, near_days: int) -> str | None:
    """ "past" when the PIP deadline has gone by without a PIP, "near" when it is at most
    `near_days` away, else None (no deadline known, or the PIP is decided)."""
    if dates.pip_deadline is None or dates.term_start is not None:
        return None
    if dates.pip_deadline < today:
        return "past"
    if (dates.pip_deadline - today).days <= near_days:
        return "near"
    return None


def leerbaarheidstoets_status(statuses: list[str]) -> str:
    """The leerbaarheidstoets as the appointments show it (their statuses, any order):
    "done" once one was held, else "planned" while one is coming, else "missed" when one
    was missed, else "not_planned". Read from the appointments, never kept twice."""
    for status, found in (
        ("done", ("done",)),
        ("planned", ("planned", "changed")),
        ("missed", ("missed",)),
    ):
        if any(s in found for s in statuses):
            return status
    return "not_planned"
