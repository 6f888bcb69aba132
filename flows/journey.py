"""My inburgering, step by step (`/route`): the journey under the Wet inburgering 2021 as
a short timeline, one screen a step — what happens, what you do, who helps — and where
the person is now, read from their case.

Content only: the steps, their texts and the law's figures. The figures (weeks, years,
months, hours, the maximum fines) come from the municipality file through
`JourneyContext`, whose defaults are the law's, so a change in the law is a change of
data; the texts take them as parameters. Fines are stated once, on their own step, as
the law and the seeds say them: a last resort, only without a valid reason (seeds 001
and 002; the amounts: seed 001, "Handhaving"). Texts that differ by target group or route
are chosen by it, never one text with an exception after it: a gezinsmigrant's term
starts at the BRP registration (seed 002), the municipality cannot fine them and the
Z-route's participation hours are not theirs (seed 001, 1.3.3 and 3.6); the MAP is not
required in the onderwijsroute (seed 001, note 11). A person whose group or route is not
recorded gets the texts that name their group. Pure: tables and functions; the
screens that show them are `flows.screens.journey`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from flows.model import N_
from flows.record import CaseDates, add_months, case_dates
from flows.replies import Msg
from flows.units import hours, months, weeks, years

__all__ = [
    "LAW",
    "STEPS",
    "JourneyContext",
    "JourneyFacts",
    "Step",
    "add_months",
    "case_dates_of",
    "done_steps",
    "helper_of",
    "params_of",
    "steps_for",
    "where",
]


@dataclass(frozen=True)
class JourneyContext:
    """The municipality's side of the journey. The defaults are the law's figures (Wet
    inburgering 2021; seeds 001, 002 and 003); the municipality file can change each."""

    pip_weeks: int = 10  # the PIP is decided within this many weeks of the BRP registration
    term_years: int = 3  # the term, from the PIP: route, MAP and PVT done
    route_switch_months: int = 18  # a route can be switched in the first 1.5 years
    ontzorgen_months: int = 6  # rent, energy and health insurance paid from the benefit
    map_practice_hours: int = 40  # the MAP's practice, at least (seed 003)
    pvt_hours: int = 12  # the PVT, at least (seeds 001, 003)
    z_route_hours: int = 800  # the Z-route: this many hours of Dutch and of taking part
    nazorg_months: int = 6  # the consulent's check-in after the exam (seed 002)
    # Maximum fines in whole euros: the municipality's (brede intake, PIP duties) and
    # DUO's for the three-year deadlines (exam or route, MAP, PVT). Seed 001, §3.6.
    fine_brede_intake: int = 250
    fine_pip: int = 800
    fine_exam: int = 1000
    fine_map: int = 340
    fine_pvt: int = 340
    # Who gives the parts the municipality buys in, and local names (Dutch, as written).
    map_by: str | None = None
    pvt_by: str | None = None
    money_course: str | None = None
    money_course_by: str | None = None

    def figures(self) -> dict[str, Msg]:
        """The figures the roles' notes name, by the names their texts use, each with its
        noun in the language's plural form (`flows.units`)."""
        return {
            "years": years(self.term_years),
            "switch_months": months(self.route_switch_months),
            "ontzorgen_months": months(self.ontzorgen_months),
            "map_hours": hours(self.map_practice_hours),
            "pvt_hours": hours(self.pvt_hours),
        }


LAW = JourneyContext()  # the law's figures: the municipality file's defaults


class JourneyFacts(BaseModel):
    """What the journey may know of the case: the record's group and dates, and which
    kinds of appointment were held. Loaded only for `/route` and its buttons."""

    model_config = ConfigDict(frozen=True)

    target_group: str | None = None
    registered_on: date | None = None
    pip_decided_on: date | None = None
    route: str | None = None  # the route the PIP chose (flows.record.ROUTES), if recorded
    held: tuple[str, ...] = ()  # appointment kinds with a talk that took place


@dataclass(frozen=True)
class Step:
    code: str
    title: str
    happens: str
    you_do: str
    helper: str = "consulent"  # a role code, or "topic:<code>" for the file's routing
    groups: tuple[str, ...] = ()  # only for these target groups (empty: for everyone)
    routes: tuple[str, ...] = ()  # only in these routes (empty: in every route)


# The texts of statushouders and nareizigers, and of a route with a MAP (the tables below
# hold the others).
STEPS_PIP_HAPPENS = N_(
    "Your consulent writes your personal plan (PIP): your route, the other parts, the help you get, and your rights and duties. The municipality decides it within {weeks} after your registration in the municipality (BRP). From that day you have {years} for your inburgering."
)
STEPS_ROUTE_HAPPENS = N_(
    "In your PIP you get one of three routes. B1-route: Dutch up to level B1, with an exam. Onderwijsroute: for young people who want to study (MBO, HBO or university). Z-route: {hours} of Dutch and {hours} of taking part, without an exam; it ends with a talk."
)
STEPS_FINAL_HAPPENS = N_(
    "Within {years} you finish your route (the exam, or the final talk in the Z-route), the MAP and the PVT. DUO checks this."
)

# fmt: off
STEPS: tuple[Step, ...] = (
    Step(
        "intake",
        N_("Getting to know each other (kennismaking)"),
        N_("Soon after you are registered in the municipality, your consulent invites you to get to know each other."),
        N_("Come to the talk. If you need an interpreter (tolk), ask for one."),
    ),
    # Before the brede intake (seed 002: "Nog voordat de brede intake plaatsvindt"; seed
    # 001 has it within the intake; never after).
    Step(
        "lbt",
        N_("Leerbaarheidstoets"),
        N_("Before your brede intake you do a test of how well you can learn Dutch. It helps to choose your route. It does not test what you already know."),
        N_("Come to the test and do your best. If reading or writing is hard for you, tell your consulent before."),
    ),
    Step(
        "brede",
        N_("Brede intake"),
        N_("A conversation about you: your language, school, work, family and health. It is not a form. With the test, it helps to choose your route."),
        N_("Come to the talk and tell about yourself. You can prepare with the questions in Wegwijs."),
    ),
    Step(
        "pip",
        N_("PIP: your plan"),
        STEPS_PIP_HAPPENS,
        N_("Tell your consulent what you want and what you can do. Ask about anything in the plan that is not clear to you."),
    ),
    Step(
        "ontzorgen",
        N_("Ontzorgen: the first months"),
        N_("For at least the first {months}, the municipality pays your rent, energy and health insurance for you from your benefit (uitkering). In that time you already learn to handle your money, so that you can pay them yourself later."),
        N_("Keep your letters and bills, and ask when you do not understand one. Learn how to handle your money."),
        "topic:rent_energy",
        ("statushouder", "nareiziger"),
    ),
    Step(
        "route",
        N_("Your route"),
        STEPS_ROUTE_HAPPENS,
        N_("Go to your lessons. If your route does not fit you, talk to your consulent: you can switch in the first {months}, with a good reason."),
        "topic:change_route",
    ),
    Step(
        "knm",
        N_("KNM: knowledge of Dutch society"),
        N_("In every route you learn about life in the Netherlands: how people live and work together, health care, school and history."),
        N_("Follow the KNM lessons. In the B1-route and the onderwijsroute you do an exam at DUO; in the Z-route it is part of the final talk."),
        "topic:language_school",
    ),
    Step(
        "map",
        N_("MAP: the module about work"),
        N_("You find out what work suits you and how work goes in the Netherlands. It has at least {hours} of practice."),
        N_("Take part in the lessons and the practice, for example visits, a workplace or volunteer work."),
        "topic:map_pvt",
        routes=("b1", "z_route"),  # not required in the onderwijsroute (seed 001, note 11)
    ),
    Step(
        "pvt",
        N_("PVT: the participation statement course"),
        N_("A course of at least {hours} about the core values of the Netherlands, such as freedom of speech, equal treatment and democracy. It ends with signing the participation statement."),
        N_("Take part in the meetings and the outing. At the end you sign the statement."),
        "topic:map_pvt",
    ),
    Step(
        "talks",
        N_("Talks about how it goes"),
        N_("Your consulent talks with you regularly about your plan, more often at the start. These talks (voortgangsgesprekken) are part of your PIP."),
        N_("Come to the talks. Say what goes well and what is hard. The plan can change when needed."),
    ),
    Step(
        "final",
        N_("The end of your route"),
        STEPS_FINAL_HAPPENS,
        N_("Sign up for your exams in time. If you cannot make it in time, talk to your consulent early."),
    ),
    Step(
        "nazorg",
        N_("Nazorg: after your route"),
        N_("After your route you can still ask the municipality for help, for example with work, income or money worries. About {months} after your exam, your consulent may contact you to ask how you are."),
        N_("Ask for help when you need it."),
    ),
    Step(
        "fines",
        N_("If you cannot come"),
        N_("Your inburgering is required by law. A fine is a last resort. It is only possible if you stay away or do not cooperate without a valid reason."),
        N_("If you cannot come to a talk or a lesson, tell your consulent before and say why. A valid reason is, for example, being ill. Bring proof if you have it, for example from the hospital or the GP's practice."),
        "topic:fine",
    ),
)
# fmt: on
STEP_CODES: tuple[str, ...] = tuple(step.code for step in STEPS)
_BY_CODE: Mapping[str, Step] = {step.code: step for step in STEPS}
# The steps that follow each other in time; "you are here" is one of them.
CHAIN: tuple[str, ...] = ("intake", "lbt", "brede", "pip", "route", "final", "nazorg")

TITLE = N_("My inburgering, step by step")
MENU_BUTTON = TITLE
INTRO = N_("These are the steps of your inburgering. Each step has its own page.")
LEGEND = N_("✓ done · 📍 you are here")
STEP_HEAD = N_("Step {number} of {total} · {title}")
YOU_ARE_HERE = N_("📍 You are here.")
WHAT_HAPPENS = N_("What happens: {text}")
WHAT_YOU_DO = N_("What you do: {text}")
WHO_HELPS = N_("Who helps: {who}")
WHO_CONSULENT = N_("your consulent")
WHO_BEGELEIDER = N_("your maatschappelijk begeleider")
GIVEN_BY = N_("Given here by: {organisation}")
MONEY_COURSE = N_("The course about money here: {name}")
MONEY_COURSE_BY = N_("The course about money here: {name}, by {organisation}")
PIP_DUE = N_("Your PIP should be decided by {date}.")
PIP_DECIDED = N_("Your PIP was decided on {date}.")
SWITCH_UNTIL = N_("You can switch route until {date}.")
TERM_ENDS = N_("Your term of {years} ends on {date}.")
FINES_MUNICIPALITY = N_(
    "The municipality can give a fine of at most {brede_intake} if you do not come to the brede intake or do not cooperate with it, and at most {pip} for the duties in your PIP (talks, lessons, MAP, PVT). These are the highest amounts."
)
FINES_DUO = N_(
    "Separately, DUO checks whether you finished in {years}: at most {exam} for the route, {map} for the MAP and {pvt} for the PVT."
)
FINES_DUO_ONDERWIJS = N_(
    "Separately, DUO checks whether you finished in {years}: at most {exam} for your route and {pvt} for the PVT."
)
# The two laws never both punish one act (seed 002: a municipality that enforces under
# the Participatiewet cannot also fine under the Wet inburgering).
FINES_BENEFIT = N_(
    "If you have a benefit (uitkering), the municipality may lower it for a time instead of a fine. It never does both for the same thing."
)
# A gezinsmigrant: the municipality cannot fine them (seed 001, 3.6).
FINES_OWN_COURSE = N_(
    "You choose and pay for your own course. The municipality does not give you fines for your inburgering."
)
# Group not recorded yet: each text names its group.
FINES_MUNICIPALITY_NAMED = N_(
    "Statushouders and nareizigers: the municipality can give a fine of at most {brede_intake} if you do not come to the brede intake or do not cooperate with it, and at most {pip} for the duties in your PIP (talks, lessons, MAP, PVT). These are the highest amounts."
)
FINES_OWN_COURSE_NAMED = N_(
    "Gezinsmigranten choose and pay for their own course: the municipality does not give them fines for their inburgering."
)

# What happens, where it differs by target group ("asylum": statushouder or nareiziger;
# None: not recorded) or by route (None: not recorded).
ASYLUM = frozenset({"statushouder", "nareiziger"})
BY_GROUP: Mapping[str, Mapping[str | None, str]] = {
    "pip": {
        "asylum": STEPS_PIP_HAPPENS,
        "gezinsmigrant": N_(
            "Your consulent writes your personal plan (PIP) with you: your route, the other parts, and your rights and duties. The municipality decides it within {weeks} after your registration in the municipality (BRP). Your {years} for your inburgering started on the day you were registered in the BRP."
        ),
        None: N_(
            "Your consulent writes your personal plan (PIP): your route, the other parts, the help you get, and your rights and duties. The municipality decides it within {weeks} after your registration in the municipality (BRP). Then you have {years} for your inburgering: statushouders and nareizigers from the day the PIP is decided, gezinsmigranten from the day they were registered in the BRP."
        ),
    },
    "route": {
        "asylum": STEPS_ROUTE_HAPPENS,
        "gezinsmigrant": N_(
            "In your PIP you get one of three routes. B1-route: Dutch up to level B1, with an exam. Onderwijsroute: for young people who want to study (MBO, HBO or university). Z-route: {hours} of Dutch, without an exam; it ends with a talk."
        ),
        None: N_(
            "In your PIP you get one of three routes. B1-route: Dutch up to level B1, with an exam. Onderwijsroute: for young people who want to study (MBO, HBO or university). Z-route: {hours} of Dutch without an exam, and for statushouders and nareizigers also {hours} of taking part; it ends with a talk."
        ),
    },
}
BY_ROUTE: Mapping[str, Mapping[str | None, str]] = {
    "final": {
        "b1": STEPS_FINAL_HAPPENS,
        "z_route": STEPS_FINAL_HAPPENS,
        "onderwijsroute": N_(
            "Within {years} you finish the taalschakeltraject of your onderwijsroute and the PVT. DUO checks this."
        ),
        None: N_(
            "Within {years} you finish your route (the exam, or the final talk in the Z-route) and the PVT, and in the B1-route and the Z-route also the MAP. DUO checks this."
        ),
    },
}
PREVIOUS = N_("← Previous step")
NEXT = N_("Next step →")
ALL_STEPS = N_("All steps")
WHERE_NOW = N_("📍 Where am I now?")
FROM_START = N_("From the first step")
DONE_MARK, HERE_MARK = "✓ ", "📍 "


def steps_for(facts: JourneyFacts | None) -> tuple[Step, ...]:
    """The steps that apply to this person: a step for some target groups or routes only
    (ontzorgen for statushouders, the MAP outside the onderwijsroute) is left out for a
    known other group or route."""
    group = facts.target_group if facts else None
    route = facts.route if facts else None
    return tuple(
        s
        for s in STEPS
        if not (s.groups and group and group not in s.groups)
        and not (s.routes and route and route not in s.routes)
    )


def group_key(facts: JourneyFacts | None) -> str | None:
    group = facts.target_group if facts else None
    return "asylum" if group in ASYLUM else group


def happens(step: Step, facts: JourneyFacts | None) -> str:
    """What happens at a step, in the text for the person's group or route."""
    if step.code in BY_GROUP:
        texts = BY_GROUP[step.code]
        return texts.get(group_key(facts), texts[None])
    if step.code in BY_ROUTE:
        texts = BY_ROUTE[step.code]
        return texts.get(facts.route if facts else None, texts[None])
    return step.happens


def case_dates_of(facts: JourneyFacts, ctx: JourneyContext) -> CaseDates:
    """The deadline and term as the dashboard and the export compute them (one home)."""
    return case_dates(
        facts.registered_on,
        facts.pip_decided_on,
        pip_weeks=ctx.pip_weeks,
        term_years=ctx.term_years,
        target_group=facts.target_group,
        switch_months=ctx.route_switch_months,
    )


def helper_of(step: Step, topics: Mapping[str, str]) -> str:
    """The code of the role who helps with a step: its own, or the one the municipality
    file sends the step's topic to (the consulent when it sends it nowhere)."""
    if step.helper.startswith("topic:"):
        return topics.get(step.helper.removeprefix("topic:"), "consulent")
    return step.helper


def where(facts: JourneyFacts | None, today: date, ctx: JourneyContext) -> str | None:
    """The step the person is at ("you are here"), from what their case shows: the
    talks held and the PIP's date. None when nothing of the case is known."""
    if facts is None:
        return None
    held = set(facts.held)
    pip_done = facts.pip_decided_on is not None or "pip" in held
    if "eindgesprek" in held:
        return "nazorg"
    if pip_done:
        end = case_dates_of(facts, ctx).term_end
        if facts.pip_decided_on is not None and end is not None and today >= end:
            return "final"
        return "route"
    if "brede_intake" in held:
        return "pip"
    if "leerbaarheidstoets" in held:
        return "brede"
    if "kennismaking" in held:
        return "lbt"
    return "intake"


def done_steps(here: str | None) -> set[str]:
    if here is None or here not in CHAIN:
        return set()
    return set(CHAIN[: CHAIN.index(here)])


def params_of(step: Step, ctx: JourneyContext) -> dict[str, Msg]:
    """The law's figures of a step, each with its noun in the language's plural form."""
    return {
        "pip": {"weeks": weeks(ctx.pip_weeks), "years": years(ctx.term_years)},
        "ontzorgen": {"months": months(ctx.ontzorgen_months)},
        "route": {"hours": hours(ctx.z_route_hours), "months": months(ctx.route_switch_months)},
        "map": {"hours": hours(ctx.map_practice_hours)},
        "pvt": {"hours": hours(ctx.pvt_hours)},
        "final": {"years": years(ctx.term_years)},
        "nazorg": {"months": months(ctx.nazorg_months)},
    }.get(step.code, {})
