"""My inburgering, step by step: the municipality's figures and names for the journey's
screens, and what the case shows of where the person is. Read only for `/route` and its
buttons, so the hot path of the intake costs no extra statement."""

from __future__ import annotations

from collections.abc import Iterable

from bot.municipality import Municipality
from flows.journey import JourneyContext, JourneyFacts
from storage import Appointment, Case

__all__ = ["journey_context", "journey_facts"]


def journey_context(municipality: Municipality) -> JourneyContext:
    """The journey as this municipality's file fills it in (defaults: the law)."""
    journey, fines, deadlines = municipality.journey, municipality.fines, municipality.deadlines
    return JourneyContext(
        pip_weeks=deadlines.pip_weeks,
        term_years=deadlines.term_years,
        route_switch_months=journey.route_switch_months,
        ontzorgen_months=journey.ontzorgen_months,
        map_practice_hours=journey.map_practice_hours,
        pvt_hours=journey.pvt_hours,
        z_route_hours=journey.z_route_hours,
        nazorg_months=journey.nazorg_months,
        fine_brede_intake=fines.brede_intake,
        fine_pip=fines.pip,
        fine_exam=fines.exam,
        fine_map=fines.map,
        fine_pvt=fines.pvt,
        map_by=journey.map_by,
        pvt_by=journey.pvt_by,
        money_course=journey.money_course,
        money_course_by=journey.money_course_by,
    )


def journey_facts(case: Case, appointments: Iterable[Appointment]) -> JourneyFacts:
    """The record's target group and dates, and the kinds of talk that took place
    (status "done"), in a stable order."""
    held = sorted({a.kind for a in appointments if a.status == "done"})
    return JourneyFacts(
        target_group=case.target_group,
        registered_on=case.registered_on,
        pip_decided_on=case.pip_decided_on,
        route=case.route,
        held=tuple(held),
    )
