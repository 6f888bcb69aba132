"""The journey's claims, true for every target group and route (issue #23, read against
the seeds): a gezinsmigrant's term starts at the BRP registration (seed 002), the
municipality cannot fine them and the Z-route's participation hours are not theirs (seed
001, 1.3.3 and 3.6); the MAP is not required in the onderwijsroute (seed 001, note 11);
the leerbaarheidstoets comes before the brede intake (seed 002); ontzorgen is learning
while it lasts (seed 002); every figure comes from the municipality file."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest

from flows import journey as J
from flows import roles
from flows.i18n import Renderer
from flows.journey import JourneyContext, JourneyFacts
from flows.record import case_dates
from tests.flows.screens.test_journey import NOORDWIJK, engine_for, screen, text

ASYLUM = ("statushouder", "nareiziger")
REGISTERED = date(2026, 9, 1)
DECIDED = date(2026, 11, 2)


def shown(code: str, facts: JourneyFacts | None, journey: JourneyContext = NOORDWIJK) -> str:
    return text(screen(engine_for(journey), code, facts))


def whole_journey(facts: JourneyFacts | None, journey: JourneyContext = NOORDWIJK) -> str:
    return "\n".join(shown(step.code, facts, journey) for step in J.steps_for(facts))


def person(group: str | None, route: str | None = None) -> JourneyFacts:
    return JourneyFacts(target_group=group, registered_on=REGISTERED, route=route)


# -- the term ------------------------------------------------------------------------------


def test_a_gezinsmigrants_term_sentence_names_the_brp_registration() -> None:
    pip = shown("pip", person("gezinsmigrant"))
    assert "started on the day you were registered in the BRP" in pip
    assert "From that day you have" not in pip


@pytest.mark.parametrize("group", ASYLUM)
def test_a_statushouders_term_starts_on_the_day_the_pip_is_decided(group: str) -> None:
    pip = shown("pip", person(group))
    assert "From that day you have 3 years" in pip
    assert "registered in the BRP" not in pip.split("From that day")[1]


def test_a_person_whose_group_is_not_recorded_reads_both_starts_by_name() -> None:
    pip = shown("pip", person(None))
    assert "statushouders and nareizigers from the day the PIP is decided" in pip
    assert "gezinsmigranten from the day they were registered in the BRP" in pip


def test_the_term_sentence_and_the_date_beside_it_agree() -> None:
    """The term ends 3 years after the start the text names, as `case_dates` computes."""
    facts = JourneyFacts(
        target_group="gezinsmigrant", registered_on=REGISTERED, pip_decided_on=DECIDED
    )
    final = shown("final", facts)
    end = case_dates(REGISTERED, DECIDED, pip_weeks=10, term_years=3, target_group="gezinsmigrant")
    assert end.term_end == date(2029, 9, 1)
    assert "Your term of 3 years ends on Saturday 1 September 2029." in final


# -- the fines ------------------------------------------------------------------------------


def test_a_gezinsmigrant_is_shown_no_municipal_fine_only_duos() -> None:
    fines = shown("fines", person("gezinsmigrant"))
    assert "€250" not in fines and "€800" not in fines
    assert "The municipality does not give you fines for your inburgering." in fines
    assert "DUO checks whether you finished in 3 years" in fines
    assert "€1,000 for the route" in fines
    assert "benefit" not in fines  # the Participatiewet does not apply to them


@pytest.mark.parametrize("group", ASYLUM)
def test_a_statushouder_is_shown_the_municipal_fines_and_duos(group: str) -> None:
    fines = shown("fines", person(group))
    assert "at most €250" in fines and "at most €800" in fines
    assert "€1,000 for the route" in fines
    assert "instead of a fine. It never does both for the same thing." in fines
    assert "Gezinsmigranten" not in fines and "Statushouders and nareizigers" not in fines


def test_without_a_recorded_group_each_fine_names_its_group() -> None:
    fines = shown("fines", person(None))
    assert "Statushouders and nareizigers: the municipality can give a fine" in fines
    assert "Gezinsmigranten choose and pay for their own course" in fines


def test_no_text_of_the_journey_names_a_municipal_fine_for_a_gezinsmigrant() -> None:
    journey = whole_journey(person("gezinsmigrant"))
    assert "€250" not in journey and "€800" not in journey


# -- the Z-route's participation hours -------------------------------------------------------


def test_a_gezinsmigrant_is_shown_no_800_hours_of_participation() -> None:
    route = shown("route", person("gezinsmigrant"))
    assert "Z-route: 800 hours of Dutch, without an exam" in route
    assert "taking part" not in route
    assert "800 hours of taking part" not in whole_journey(person("gezinsmigrant"))


@pytest.mark.parametrize("group", ASYLUM)
def test_a_statushouder_is_shown_the_z_routes_participation(group: str) -> None:
    assert "800 hours of Dutch and 800 hours of taking part" in shown("route", person(group))


def test_without_a_recorded_group_the_participation_names_its_groups() -> None:
    route = shown("route", person(None))
    assert "for statushouders and nareizigers also 800 hours of taking part" in route


# -- the MAP and the onderwijsroute ----------------------------------------------------------


def test_in_the_onderwijsroute_the_map_is_not_required() -> None:
    facts = person("statushouder", "onderwijsroute")
    assert "map" not in [step.code for step in J.steps_for(facts)]
    journey = whole_journey(facts)
    assert "MAP" not in journey.replace("MAP, PVT", "")  # the PIP's duties list aside
    final = shown("final", facts)
    assert "taalschakeltraject of your onderwijsroute and the PVT" in final
    fines = shown("fines", facts)
    assert "for the MAP" not in fines and "€340 for the PVT" in fines


@pytest.mark.parametrize("route", ["b1", "z_route"])
def test_in_the_b1_and_z_route_the_map_is_a_step_and_a_duty(route: str) -> None:
    facts = person("statushouder", route)
    assert "map" in [step.code for step in J.steps_for(facts)]
    assert "the MAP and the PVT" in shown("final", facts)
    assert "€340 for the MAP" in shown("fines", facts)


def test_without_a_recorded_route_the_map_is_named_with_its_routes() -> None:
    final = shown("final", person("statushouder"))
    assert "in the B1-route and the Z-route also the MAP" in final
    assert "in the B1-route and the Z-route also for the MAP" in roles.EXAM_TERM
    assert roles.MAP_PVT.startswith("MAP, in the B1-route and the Z-route:")


# -- the order, ontzorgen, the switch deadline ------------------------------------------------


def test_the_leerbaarheidstoets_comes_before_the_brede_intake() -> None:
    codes = [step.code for step in J.STEPS]
    assert codes.index("intake") < codes.index("lbt") < codes.index("brede") < codes.index("pip")
    assert J.CHAIN.index("lbt") < J.CHAIN.index("brede")
    assert "Before your brede intake" in shown("lbt", None)
    assert "after the brede intake" not in whole_journey(None)


def test_ontzorgen_is_learning_to_handle_money_while_it_lasts() -> None:
    ontzorgen = shown("ontzorgen", person("statushouder"))
    assert "In that time you already learn to handle your money" in ontzorgen
    assert "After that you learn" not in ontzorgen
    assert "while you learn to handle your money" in roles.ONTZORGEN
    assert "ontzorgen" not in [step.code for step in J.steps_for(person("gezinsmigrant"))]


def test_the_switch_deadline_is_the_one_case_dates_computes() -> None:
    facts = JourneyFacts(target_group="statushouder", pip_decided_on=DECIDED)
    dates = case_dates(None, DECIDED, pip_weeks=10, term_years=3, switch_months=18)
    assert dates.switch_until == date(2028, 5, 2)
    assert "You can switch route until Tuesday 2 May 2028." in shown("route", facts)
    other = dataclasses.replace(NOORDWIJK, route_switch_months=12)
    assert "You can switch route until Tuesday 2 November 2027." in shown("route", facts, other)


# -- every figure from the municipality file -------------------------------------------------

OTHER = dataclasses.replace(
    NOORDWIJK,
    pip_weeks=8,
    term_years=4,
    route_switch_months=12,
    ontzorgen_months=9,
    map_practice_hours=55,
    pvt_hours=16,
    z_route_hours=700,
    nazorg_months=4,
    fine_brede_intake=111,
    fine_pip=222,
    fine_exam=333,
    fine_map=44,
    fine_pvt=55,
)


@pytest.mark.parametrize("group", [*ASYLUM, "gezinsmigrant", None])
def test_a_municipality_with_other_figures_changes_every_text_that_names_them(
    group: str | None,
) -> None:
    facts = JourneyFacts(target_group=group, registered_on=REGISTERED, pip_decided_on=DECIDED)
    journey = whole_journey(facts, OTHER)
    for figure in ("within 8 weeks", "4 years", "700 hours", "16 hours", "€333"):
        assert figure in journey, figure
    for law in ("10 weeks", "3 years", "800 hours", "12 hours", "40 hours", "€1,000", "€340"):
        assert law not in journey, law
    if group != "gezinsmigrant":
        assert "first 9 months" in journey and "€111" in journey and "€222" in journey
        assert "first 6 months" not in journey and "€250" not in journey


def test_the_roles_notes_take_the_figures_from_the_file() -> None:
    figures = OTHER.figures()
    notes = {
        code: roles.topic_notes(code, "statushouder", figures)
        for code in ("change_route", "exam", "map_pvt", "rent_energy")
    }
    rendered = {code: [Renderer({}).text(m, "en") for m in msgs] for code, msgs in notes.items()}
    assert "In the first 12 months" in rendered["change_route"][0]
    assert "You have 4 years" in rendered["exam"][0]
    assert "at least 55 hours" in rendered["map_pvt"][0]
    assert "at least 16 hours" in rendered["map_pvt"][0]
    assert "first 9 months" in rendered["rent_energy"][0]
    for texts in rendered.values():
        assert not any(re.search(r"\{\w+\}", t) for t in texts)
