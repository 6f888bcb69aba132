"""The law's figures in the municipality file, and the local names that go with them:
the case record's deadlines, the inburgering journey's figures and who gives its parts,
and the highest fines. Data, so a change in the law is a change in the file."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt

from bot.municipality.fields import Strict
from flows.journey import LAW as JOURNEY_LAW


class Deadlines(Strict):
    """The law's figures for the case record (Wet inburgering 2021): the PIP within 10
    weeks of the BRP registration, a term of 3 years from the PIP. Data, so a change in
    the law is a change in the file; the arithmetic is `flows.record.case_dates`."""

    pip_weeks: StrictInt = Field(10, ge=1, le=26)
    term_years: StrictInt = Field(3, ge=1, le=5)
    # The caseload flags a PIP deadline this many days ahead (and any that has passed).
    pip_near_days: StrictInt = Field(14, ge=0, le=70)


_LOCAL = Annotated[str, Field(min_length=1, max_length=120)]


class Journey(Strict):
    """My inburgering, step by step (`/route`): the law's figures the steps mention
    (the PIP's weeks and the term's years are under [deadlines]) and who gives the
    parts the municipality buys in, with local names (Dutch, shown as written). The
    defaults are the law's (`flows.journey.LAW`): a change in the law is a change of data."""

    route_switch_months: StrictInt = Field(JOURNEY_LAW.route_switch_months, ge=0, le=36)
    ontzorgen_months: StrictInt = Field(JOURNEY_LAW.ontzorgen_months, ge=1, le=36)
    map_practice_hours: StrictInt = Field(JOURNEY_LAW.map_practice_hours, ge=1, le=1000)
    pvt_hours: StrictInt = Field(JOURNEY_LAW.pvt_hours, ge=1, le=1000)
    z_route_hours: StrictInt = Field(JOURNEY_LAW.z_route_hours, ge=1, le=5000)
    nazorg_months: StrictInt = Field(JOURNEY_LAW.nazorg_months, ge=1, le=36)
    map_by: _LOCAL | None = None  # "MareGroep / SPW"
    pvt_by: _LOCAL | None = None  # "VluchtelingenWerk"
    money_course: _LOCAL | None = None  # the local name: "Omgaan met geld (Eurowijzer)"
    money_course_by: _LOCAL | None = None


class Fines(Strict):
    """The highest fines, in whole euros, as the law sets them (seed 001, §3.6): the
    municipality's for the brede intake and for the PIP's duties (talks, lessons, MAP,
    PVT), and DUO's for the three-year deadlines (route, MAP, PVT). Shown once, on the
    journey's "If you cannot come" step, always as a last resort."""

    brede_intake: StrictInt = Field(JOURNEY_LAW.fine_brede_intake, ge=0, le=100_000)
    pip: StrictInt = Field(JOURNEY_LAW.fine_pip, ge=0, le=100_000)
    exam: StrictInt = Field(JOURNEY_LAW.fine_exam, ge=0, le=100_000)  # DUO
    map: StrictInt = Field(JOURNEY_LAW.fine_map, ge=0, le=100_000)  # DUO
    pvt: StrictInt = Field(JOURNEY_LAW.fine_pvt, ge=0, le=100_000)  # DUO
