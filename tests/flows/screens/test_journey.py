"""`flows/screens/journey.py`: My inburgering, step by step (`/route`): the timeline, one
screen a step with next and back, "you are here" from the case, the municipality's names
and figures, the fines stated once, and going back to where one was (from test_journey,
test_consequences)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from flows import journey as J
from flows import texts as T
from flows.callbacks import JourneyStep, RolesAction
from flows.engine import Engine, Step
from flows.events import Event
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.journey import JourneyContext, JourneyFacts
from flows.replies import Money
from flows.roles import RoleCard
from flows.screens import journey as journey_screen
from flows.state import Stage, State
from tests.flows.helpers import (
    AGREED,
    CONTEXT,
    NOW,
    all_msgids,
    asked,
    consented,
    drive,
    msgids,
    new_state,
    parts,
    payloads,
    press,
)

LANGS = ("en", "nl", "ar", "ti")
CARDS = {
    "consulent": RoleCard("consulent", "klantmanager inburgering", "ISD Bollenstreek"),
    "begeleider": RoleCard("begeleider", "maatschappelijk begeleider", "VluchtelingenWerk"),
    "inkomen": RoleCard("inkomen", "klantmanager inkomen", "ISD Bollenstreek"),
}
TOPICS = {
    "rent_energy": "inkomen",
    "map_pvt": "begeleider",
    "change_route": "consulent",
    "fine": "consulent",
}
NOORDWIJK = JourneyContext(
    map_by="MareGroep / SPW",
    pvt_by="VluchtelingenWerk",
    money_course="Omgaan met geld (Eurowijzer)",
    money_course_by="VluchtelingenWerk",
)


def engine_for(journey: JourneyContext = J.LAW, renderer: Renderer | None = None) -> Engine:
    context = dataclasses.replace(CONTEXT, roles=CARDS, topics=TOPICS, journey=journey)
    return Engine(INTAKE, context, (renderer or Renderer({})).text)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return engine_for(NOORDWIJK)


def with_facts(facts: JourneyFacts | None, state: State | None = None) -> State:
    """A person whose case the service loaded for /route (the engine never reads it)."""
    state = state or consented(stage=Stage.DONE, submitted=True)
    state.journey = facts
    return state


def text(step: Step, lang: str = "en", renderer: Renderer | None = None) -> str:
    renderer = renderer or Renderer({})
    return "\n".join(renderer.reply(r, lang, False).text for r in step.replies)


def screen(engine: Engine, code: str, facts: JourneyFacts | None = None) -> Step:
    return engine.step(with_facts(facts), press(JourneyStep(code)), NOW)


def test_the_journey_states_the_fines_once_as_the_law_does() -> None:
    fines = next(step for step in J.STEPS if step.code == "fines")
    assert "last resort" in fines.happens and "without a valid reason" in fines.happens
    assert "say why" in fines.you_do and "being ill" in fines.you_do
    # No seed says "a note from your doctor" (Dutch GPs normally write none).
    assert "doctor" not in fines.you_do and "hospital or the GP's practice" in fines.you_do
    assert "benefit" in J.FINES_BENEFIT
    assert "at most" in J.FINES_MUNICIPALITY and "at most" in J.FINES_DUO
    others = [s for s in J.STEPS if s is not fines]
    assert not any("fine" in f"{s.happens} {s.you_do}".casefold() for s in others)


# -- the timeline -----------------------------------------------------------------------


def test_route_shows_every_step_as_a_timeline_with_a_way_back(engine: Engine) -> None:
    step = engine.step(with_facts(None), Event.cmd("route"), NOW)
    shown = text(step)
    assert J.TITLE in msgids(step)
    for number, journey_step in enumerate(J.STEPS, 1):
        assert f"{number}. {journey_step.title}" in shown
    assert JourneyStep("intake") in payloads(step)  # from the first step
    assert RolesAction("back") in payloads(step)


def test_without_a_case_nothing_is_marked_and_there_is_no_where_am_i(engine: Engine) -> None:
    step = engine.step(with_facts(None), Event.cmd("route"), NOW)
    assert "📍" not in text(step) and J.LEGEND not in msgids(step)
    assert J.WHERE_NOW not in all_msgids(step)


def test_the_timeline_marks_the_steps_behind_and_where_the_person_is(engine: Engine) -> None:
    facts = JourneyFacts(registered_on=date(2026, 10, 1), held=("brede_intake",))
    step = engine.step(with_facts(facts), Event.cmd("route"), NOW)
    shown = text(step)
    assert "✓ 1. Getting to know each other (kennismaking)" in shown
    assert "✓ 2. Leerbaarheidstoets" in shown  # before the brede intake (seed 002)
    assert "✓ 3. Brede intake" in shown
    assert "📍 4. PIP: your plan" in shown
    assert "✓ 5." not in shown and "📍 5." not in shown
    assert JourneyStep("pip") in payloads(step)  # "Where am I now?"


# -- one screen a step --------------------------------------------------------------------


@pytest.mark.parametrize("code", J.STEP_CODES)
def test_each_step_says_what_happens_what_you_do_and_who_helps(engine: Engine, code: str) -> None:
    step = screen(engine, code)
    ids = msgids(step)
    assert ids[0] == J.STEP_HEAD
    assert J.WHAT_HAPPENS in ids and J.WHAT_YOU_DO in ids and J.WHO_HELPS in ids
    assert "{" not in text(step)  # every figure filled in


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", J.STEP_CODES)
def test_each_step_renders_in_the_four_languages(
    catalog_renderer: Renderer, lang: str, code: str
) -> None:
    engine = engine_for(NOORDWIJK, catalog_renderer)
    facts = JourneyFacts(registered_on=date(2026, 10, 1), pip_decided_on=date(2026, 11, 20))
    step = screen(engine, code, facts)
    shown = text(step, lang, catalog_renderer)
    assert "{" not in shown and shown.strip()
    if lang != "en":  # translated: no English sentence of the step is left
        journey_step = next(s for s in J.STEPS if s.code == code)
        assert journey_step.you_do.split(".")[0] not in shown
    for reply in step.replies:
        for row in catalog_renderer.reply(reply, lang, False).buttons:
            assert all(button.label.strip() for button in row)


def test_next_and_back_walk_through_all_steps_in_order(engine: Engine) -> None:
    state, seen = with_facts(None), []
    step = engine.step(state, press(JourneyStep("intake")), NOW)
    while True:
        seen.append(step.replies[-1].parts[0].params["title"].msgid)  # type: ignore[union-attr]
        nexts = [p for p in payloads(step) if isinstance(p, JourneyStep) and p.step != "all"]
        forward = [p for p in nexts if J.STEP_CODES.index(p.step) > len(seen) - 1]
        if not forward:
            break
        step = engine.step(step.state, press(forward[0]), NOW)
    assert seen == [s.title for s in J.STEPS]


def test_the_first_step_has_no_previous_and_the_last_no_next(engine: Engine) -> None:
    first, last = screen(engine, J.STEP_CODES[0]), screen(engine, J.STEP_CODES[-1])
    assert J.PREVIOUS not in all_msgids(first) and J.NEXT in all_msgids(first)
    assert J.NEXT not in all_msgids(last) and J.PREVIOUS in all_msgids(last)
    assert JourneyStep(J.STEP_CODES[-2]) in payloads(last)
    assert JourneyStep("all") in payloads(last)


def test_an_unknown_step_is_a_stale_button(engine: Engine) -> None:
    step = screen(engine, "moon")
    assert T.STALE_BUTTON in msgids(step)


def test_the_journey_is_information_and_back_returns_to_the_question(engine: Engine) -> None:
    mid = drive(engine, new_state(), AGREED)
    question = asked(mid)
    assert question is not None
    step = drive(engine, mid.state, [Event.cmd("route"), press(JourneyStep("pip"))])
    assert asked(step) == question and not step.answers
    back = engine.step(step.state, press(RolesAction("back")), NOW)
    assert asked(back) == question


def test_the_journey_works_before_consent_and_without_a_case(engine: Engine) -> None:
    step = engine.step(
        with_facts(None, State(position=consented().position)), Event.cmd("route"), NOW
    )
    assert J.TITLE in msgids(step)


def test_the_step_one_is_at_says_so_and_others_do_not(engine: Engine) -> None:
    facts = JourneyFacts(held=("brede_intake", "leerbaarheidstoets"))
    assert J.YOU_ARE_HERE in msgids(screen(engine, "pip", facts))
    assert J.YOU_ARE_HERE not in msgids(screen(engine, "lbt", facts))


def test_the_pip_step_gives_the_deadline_from_the_registration(engine: Engine) -> None:
    facts = JourneyFacts(registered_on=date(2026, 10, 1))
    step = screen(engine, "pip", facts)
    assert "Your PIP should be decided by Thursday 10 December 2026." in text(step)


def test_a_municipality_with_other_weeks_moves_the_deadline() -> None:
    engine = engine_for(dataclasses.replace(NOORDWIJK, pip_weeks=8))
    step = screen(engine, "pip", JourneyFacts(registered_on=date(2026, 10, 1)))
    shown = text(step)
    assert "Thursday 26 November 2026" in shown and "within 8 weeks" in shown


def test_once_decided_the_pip_the_switch_and_the_term_have_their_dates(engine: Engine) -> None:
    facts = JourneyFacts(registered_on=date(2026, 2, 1), pip_decided_on=date(2026, 3, 31))
    assert "Your PIP was decided on Tuesday 31 March 2026." in text(screen(engine, "pip", facts))
    route = text(screen(engine, "route", facts))
    assert "You can switch route until Thursday 30 September 2027." in route
    final = text(screen(engine, "final", facts))
    assert "Your term of 3 years ends on Saturday 31 March 2029." in final


def test_a_gezinsmigrants_years_run_from_the_registration(engine: Engine) -> None:
    facts = JourneyFacts(target_group="gezinsmigrant", registered_on=date(2026, 2, 1))
    final = text(screen(engine, "final", facts))
    assert "Your term of 3 years ends on Thursday 1 February 2029." in final


def test_a_gezinsmigrant_sees_no_ontzorgen_and_is_told_lessons_are_their_own(
    engine: Engine,
) -> None:
    facts = JourneyFacts(target_group="gezinsmigrant")
    overview = text(engine.step(with_facts(facts), Event.cmd("route"), NOW))
    assert "Ontzorgen" not in overview
    assert T.STALE_BUTTON in msgids(screen(engine, "ontzorgen", facts))
    assert J.FINES_OWN_COURSE in msgids(screen(engine, "fines", facts))
    statushouder = JourneyFacts(target_group="statushouder")
    assert J.FINES_OWN_COURSE not in msgids(screen(engine, "fines", statushouder))
    assert "Ontzorgen" in text(engine.step(with_facts(statushouder), Event.cmd("route"), NOW))


# -- the municipality's names and figures ---------------------------------------------------


def test_who_helps_follows_the_municipality_s_topic_routing(engine: Engine) -> None:
    assert "Who helps: klantmanager inkomen – ISD Bollenstreek" in text(screen(engine, "ontzorgen"))
    assert "Who helps: maatschappelijk begeleider – VluchtelingenWerk" in text(
        screen(engine, "pvt")
    )
    assert "Who helps: klantmanager inburgering – ISD Bollenstreek" in text(screen(engine, "pip"))


def test_without_role_cards_the_consulent_is_named_in_general_words() -> None:
    plain = Engine(INTAKE, CONTEXT, Renderer({}).text)
    assert "Who helps: your consulent" in text(screen(plain, "pip"))


def test_who_gives_the_map_the_pvt_and_the_money_course_comes_from_the_file(
    engine: Engine,
) -> None:
    assert "Given here by: MareGroep / SPW" in text(screen(engine, "map"))
    assert "Given here by: VluchtelingenWerk" in text(screen(engine, "pvt"))
    money = "The course about money here: Omgaan met geld (Eurowijzer), by VluchtelingenWerk"
    assert money in text(screen(engine, "ontzorgen"))
    plain = engine_for(J.LAW)
    assert "Given here by" not in text(screen(plain, "map"))
    assert "course about money here" not in text(screen(plain, "ontzorgen"))


def test_the_law_s_figures_are_the_defaults(engine: Engine) -> None:
    assert "at least 40 hours of practice" in text(screen(engine, "map"))
    assert "at least 12 hours" in text(screen(engine, "pvt"))
    route = text(screen(engine, "route"))
    assert "800 hours of Dutch" in route and "first 18 months" in route
    assert "first 6 months" in text(screen(engine, "ontzorgen"))
    assert "within 10 weeks" in text(screen(engine, "pip"))


def test_other_figures_in_the_file_change_the_texts() -> None:
    changed = dataclasses.replace(
        NOORDWIJK, route_switch_months=12, map_practice_hours=60, ontzorgen_months=9
    )
    engine = engine_for(changed)
    assert "first 12 months" in text(screen(engine, "route"))
    assert "at least 60 hours" in text(screen(engine, "map"))
    assert "first 9 months" in text(screen(engine, "ontzorgen"))


# -- the fines, once and calmly ---------------------------------------------------------------


def test_the_fines_are_stated_once_as_a_last_resort_with_the_law_s_amounts(
    engine: Engine,
) -> None:
    shown = text(screen(engine, "fines"))
    assert "last resort" in shown and "without a valid reason" in shown
    assert "say why" in shown and "being ill" in shown
    assert "at most €250" in shown and "at most €800" in shown
    assert "€1,000 for the route, €340 for the MAP and €340 for the PVT" in shown
    for code in J.STEP_CODES:
        if code != "fines":
            assert "€" not in text(screen(engine, code)), code


def test_a_different_fine_in_the_file_changes_the_text() -> None:
    engine = engine_for(dataclasses.replace(NOORDWIJK, fine_pip=500, fine_exam=1250))
    shown = text(screen(engine, "fines"))
    assert "at most €500" in shown and "at most €800" not in shown
    assert "€1,250 for the route" in shown


def test_the_amounts_are_money_parameters_not_text() -> None:
    fines = next(
        p
        for p in journey_screen.fines(JourneyFacts(target_group="statushouder"), J.LAW)
        if p.msgid == J.FINES_MUNICIPALITY
    )  # the screen's builder
    assert fines.params["pip"] == Money(800) and fines.params["brede_intake"] == Money(250)


@pytest.mark.parametrize(
    ("lang", "amount"), [("en", "€800"), ("nl", "€\xa0800"), ("ar", "800\xa0€"), ("ti", "€800")]
)
def test_amounts_are_written_the_language_s_way(
    catalog_renderer: Renderer, lang: str, amount: str
) -> None:
    engine = engine_for(NOORDWIJK, catalog_renderer)
    assert amount in text(screen(engine, "fines"), lang, catalog_renderer)


def test_every_part_of_a_step_is_one_message(engine: Engine) -> None:
    step = screen(engine, "fines")
    assert len(step.replies) == 1 and len(parts(step)) >= 6
