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
    "AT_LEAST_UNTIL",
    "GROUP_LABELS",
    "LAW_START",
    "RECORD_LABELS",
    "RECORD_SECTION",
    "ROUTES",
    "ROUTE_LABELS",
    "TARGET_GROUPS",
    "WITHOUT_ONTZORGEN",
    "CaseDates",
    "Ontzorgen",
    "add_months",
    "add_years",
    "case_dates",
    "group_mismatch",
    "leerbaarheidstoets_status",
    "ontzorgen",
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
# The three leerroutes (seed 002, "Leerroute"): what the PIP chooses and what the
# leerbaarheidstoets advises, as stable codes.
ROUTES: tuple[str, ...] = ("b1", "onderwijsroute", "z_route")
ROUTE_LABELS = {
    "b1": N_("B1-route"),
    "onderwijsroute": N_("Onderwijsroute"),
    "z_route": N_("Z-route"),
}
# Ontzorgen is a decision under the Participatiewet, which is not part of a
# gezinsmigrant's PIP (seed 001, §1.3.3): no ontzorgen dates for them.
WITHOUT_ONTZORGEN = frozenset({"gezinsmigrant"})

RECORD_SECTION = N_("Case record")
RECORD_LABELS = {
    "target_group": N_("Target group"),
    "registered_on": N_("Registered in the BRP"),
    "pip_deadline": N_("PIP due by"),
    "pip_decided_on": N_("PIP decided on"),
    "term_start": N_("Start of the term"),
    "term_end": N_("End of the term"),
    "toets_advice": N_("Leerbaarheidstoets: advice"),
    "route": N_("Route chosen in the PIP"),
    "switch_until": N_("Route can be switched until"),
    "ontzorgen_from": N_("Ontzorgen from"),
    "ontzorgen_until": N_("Ontzorgen until"),
}
# Ontzorgen's end when the PIP set none: the least the law asks, from its start.
AT_LEAST_UNTIL = N_("At least until {date}")


@dataclass(frozen=True)
class CaseDates:
    """What the law's clock says for one case; None where a date is not known yet."""

    pip_deadline: date | None  # the PIP must be decided by this day
    term_start: date | None  # the PIP's day; a gezinsmigrant's BRP registration
    term_end: date | None  # `term_years` after the start: the obligations are due
    pip_decided: bool = False  # the PIP is decided: its deadline needs no more watching
    switch_until: date | None = None  # the route can be switched until this day


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has fewer days."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


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
    switch_months: int | None = None,
) -> CaseDates:
    """The PIP deadline (`pip_weeks` after the BRP registration) and the term,
    `term_years` long. The term starts on the day the PIP was decided for a statushouder
    or nareiziger, and on the BRP registration for a gezinsmigrant (Wet inburgering 2021,
    art. 7; seed 002, "Inburgeringstermijn"). No registration, no deadline. The route
    can be switched in the first `switch_months` after the PIP that chose it (seed 002:
    "in de eerste 1,5 jaar"); the one computation for `/route`, the sheet and the export."""
    deadline = registered_on + timedelta(weeks=pip_weeks) if registered_on else None
    start = registered_on if target_group == "gezinsmigrant" else pip_decided_on
    end = add_years(start, term_years) if start else None
    switch = (
        add_months(pip_decided_on, switch_months)
        if pip_decided_on is not None and switch_months is not None
        else None
    )
    return CaseDates(
        pip_deadline=deadline,
        term_start=start,
        term_end=end,
        pip_decided=pip_decided_on is not None,
        switch_until=switch,
    )


@dataclass(frozen=True)
class Ontzorgen:
    """Ontzorgen's period as far as it is known: the end the consulent entered, or else
    the least the law asks (`minimum`), counted from the start."""

    start: date | None
    end: date | None
    minimum: bool = False  # the end is the law's least, not a recorded end


def ontzorgen(start: date | None, until: date | None, *, months: int) -> Ontzorgen:
    """At least `months` from the start (seed 002: "in eerste instantie na zes maanden",
    longer when the PIP says so); a recorded end is shown as it is."""
    if until is not None:
        return Ontzorgen(start, until)
    if start is not None:
        return Ontzorgen(start, add_months(start, months), minimum=True)
    return Ontzorgen(None, None)


def group_mismatch(target_group: str | None, came_later: str | None) -> str | None:
    """What the person's answer to "did you come later, by family reunification?" says
    against the recorded target group: "said_nareiziger" when they said yes and the
    record says statushouder, "said_not_nareiziger" when they said no and the record says
    nareiziger; else None. A gezinsmigrant also joins family, so no answer contradicts
    that group."""
    if target_group == "statushouder" and came_later == "yes":
        return "said_nareiziger"
    if target_group == "nareiziger" and came_later == "no":
        return "said_not_nareiziger"
    return None


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
