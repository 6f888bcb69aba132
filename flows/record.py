"""The case record's law: target groups and the deadlines that follow from the dates.

Pure: the figures (10 weeks, 3 years, when a deadline is "near") come from the
municipality file and are passed in; this module only does the arithmetic, in one place,
for the dashboard, the CLI and the export alike.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from flows.model import N_

__all__ = [
    "GROUP_LABELS",
    "LAW_START",
    "RECORD_LABELS",
    "RECORD_SECTION",
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

# The record's words in an export (Dutch for the dossier; the person's language in
# /mydata): the target groups and the record's fields.
GROUP_LABELS = {
    "statushouder": N_("Statushouder (refugee with a residence permit)"),
    "nareiziger": N_("Nareiziger (came later, by family reunification)"),
    "gezinsmigrant": N_("Gezinsmigrant (came to live with a partner, or another migrant)"),
}
RECORD_SECTION = N_("Case record")
RECORD_LABELS = {
    "target_group": N_("Target group"),
    "registered_on": N_("Registered in the BRP"),
    "pip_deadline": N_("PIP due by"),
    "term_start": N_("Start of the term"),
    "term_end": N_("End of the term"),
}


@dataclass(frozen=True)
class CaseDates:
    """What the law's clock says for one case; None where a date is not known yet."""

    pip_deadline: date | None  # the PIP must be decided by this day
    term_start: date | None  # the PIP's day; a gezinsmigrant's BRP registration
    term_end: date | None  # `term_years` after the start: the obligations are due
    pip_decided: bool = False  # the PIP is decided: its deadline needs no more watching


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
    target_group: str | None = None,
) -> CaseDates:
    """The PIP deadline (`pip_weeks` after the BRP registration) and the term,
    `term_years` long. The term starts on the day the PIP was decided for a statushouder
    or nareiziger, and on the BRP registration for a gezinsmigrant (Wet inburgering 2021,
    art. 7; seed 002, "Inburgeringstermijn"). No registration, no deadline."""
    deadline = registered_on + timedelta(weeks=pip_weeks) if registered_on else None
    start = registered_on if target_group == "gezinsmigrant" else pip_decided_on
    end = add_years(start, term_years) if start else None
    return CaseDates(
        pip_deadline=deadline,
        term_start=start,
        term_end=end,
        pip_decided=pip_decided_on is not None,
    )


def pip_urgency(dates: CaseDates, today: date, *, near_days: int) -> str | None:
    """ "past" when the PIP deadline has gone by without a PIP, "near" when it is at most
    `near_days` away, else None (no deadline known, or the PIP is decided)."""
    if dates.pip_deadline is None or dates.pip_decided:
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
