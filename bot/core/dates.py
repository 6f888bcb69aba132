"""The law's clock for one case, with the municipality's figures: the PIP deadline, the
term, the route-switch deadline and ontzorgen's period. One home for the dashboard, the
CLI, the export and /mydata; the arithmetic itself is `flows.record` (which `/route`
uses too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.municipality import Deadlines, Journey, Municipality
from flows.i18n import LOCAL_TZ
from flows.record import CaseDates, Ontzorgen, case_dates, ontzorgen, pip_urgency
from storage import Case

__all__ = ["Figures", "dates_for", "ontzorgen_for", "pip_flag", "today"]


@dataclass(frozen=True)
class Figures:
    """The municipality file's figures the dates are computed with (defaults: the law's)."""

    deadlines: Deadlines = field(default_factory=Deadlines)
    journey: Journey = field(default_factory=Journey)

    @classmethod
    def of(cls, municipality: Municipality) -> Figures:
        return cls(municipality.deadlines, municipality.journey)


def today(now: datetime) -> date:
    """The day it is in the Netherlands (a date entered by a consulent is a Dutch day)."""
    return now.astimezone(LOCAL_TZ).date()


def dates_for(case: Case, figures: Figures) -> CaseDates:
    """The case's PIP deadline, term and route-switch deadline."""
    return case_dates(
        case.registered_on,
        case.pip_decided_on,
        pip_weeks=figures.deadlines.pip_weeks,
        term_years=figures.deadlines.term_years,
        target_group=case.target_group,
        switch_months=figures.journey.route_switch_months,
    )


def ontzorgen_for(case: Case, figures: Figures) -> Ontzorgen:
    """Ontzorgen's start and end: the recorded end, else the law's least."""
    return ontzorgen(
        case.ontzorgen_from, case.ontzorgen_until, months=figures.journey.ontzorgen_months
    )


def pip_flag(case: Case, figures: Figures, now: datetime) -> str | None:
    """ "past" or "near" when the case's PIP deadline needs a look (`pip_urgency`)."""
    return pip_urgency(
        dates_for(case, figures), today(now), near_days=figures.deadlines.pip_near_days
    )
