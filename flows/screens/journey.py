"""My inburgering, step by step (`/route` and the menu's button): information only, at
any moment, like "Who helps me with what?". No stage changes, so "Back to where I was"
shows the current question (or screen) again. The case's facts (`State.journey`) are
loaded by the service only for these updates. The steps, their texts and the law's
figures are `flows.journey`; this screen draws the timeline and each step with their
buttons, and handles their presses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time

from flows import journey as J
from flows import texts as T
from flows.callbacks import JourneyStep
from flows.i18n import LOCAL_TZ
from flows.replies import Button, Join, Moment, Money, Msg, Reply
from flows.roles import RoleCard
from flows.screens.roles import back_row, card_title
from flows.screens.turn import Turn
from flows.units import years

__all__ = ["journey_button", "on_journey", "overview", "show_journey", "step_screen"]


def journey_button() -> list[Button]:
    """The menu's way in: the timeline."""
    return [Button(Msg.of(J.MENU_BUTTON), JourneyStep(JourneyStep.ALL).pack())]


def show_journey(turn: Turn) -> None:
    """The timeline, with "you are here" when the case is known."""
    turn.flush()
    ctx = turn.context
    turn.replies.append(overview(turn.state.journey, _today(turn), ctx.journey))


def on_journey(turn: Turn, press: JourneyStep) -> None:
    if press.step == JourneyStep.ALL:
        show_journey(turn)
        return
    ctx = turn.context
    screen = step_screen(
        press.step, turn.state.journey, _today(turn), ctx.journey, ctx.roles, ctx.topics
    )
    if screen is None:
        turn.note(T.STALE_BUTTON)
        turn.present()
        return
    turn.flush()
    turn.replies.append(screen)


def _today(turn: Turn) -> date:
    """The day it is in the Netherlands: the case's dates are Dutch days."""
    return turn.now.astimezone(LOCAL_TZ).date()


def _day(day: date) -> Moment:
    return Moment(datetime.combine(day, time(12), tzinfo=LOCAL_TZ), "date")


def _who(step: J.Step, roles: Mapping[str, RoleCard], topics: Mapping[str, str]) -> Msg:
    code = J.helper_of(step, topics)
    card = roles.get(code)
    if card is not None:
        who = card_title(card)
    else:
        who = Msg.of(J.WHO_BEGELEIDER if code == "begeleider" else J.WHO_CONSULENT)
    return Msg.of(J.WHO_HELPS, who=who)


def _local(step: J.Step, ctx: J.JourneyContext) -> list[Msg]:
    """Who gives this part here and its local name, from the municipality file."""
    if step.code == "map" and ctx.map_by:
        return [Msg.of(J.GIVEN_BY, organisation=ctx.map_by)]
    if step.code == "pvt" and ctx.pvt_by:
        return [Msg.of(J.GIVEN_BY, organisation=ctx.pvt_by)]
    if step.code == "ontzorgen" and ctx.money_course:
        if ctx.money_course_by:
            return [
                Msg.of(J.MONEY_COURSE_BY, name=ctx.money_course, organisation=ctx.money_course_by)
            ]
        return [Msg.of(J.MONEY_COURSE, name=ctx.money_course)]
    return []


def _dates(step: J.Step, facts: J.JourneyFacts | None, ctx: J.JourneyContext) -> list[Msg]:
    """The person's own dates on the step they belong to."""
    if facts is None:
        return []
    decided = facts.pip_decided_on
    dates = J.case_dates_of(facts, ctx)
    if step.code == "pip":
        if decided is not None:
            return [Msg.of(J.PIP_DECIDED, date=_day(decided))]
        if dates.pip_deadline is not None:
            return [Msg.of(J.PIP_DUE, date=_day(dates.pip_deadline))]
    if step.code == "route" and dates.switch_until is not None:
        return [Msg.of(J.SWITCH_UNTIL, date=_day(dates.switch_until))]
    if step.code == "final" and dates.term_end is not None:
        return [Msg.of(J.TERM_ENDS, years=years(ctx.term_years), date=_day(dates.term_end))]
    return []


def fines(facts: J.JourneyFacts | None, ctx: J.JourneyContext) -> list[Msg]:
    """The fines for this person's group: the municipality's only where they apply (not
    for a gezinsmigrant, seed 001, 3.6), DUO's for everyone (without the MAP in the
    onderwijsroute); a group not recorded reads each text naming its group."""
    key = J.group_key(facts)
    municipal = {"brede_intake": Money(ctx.fine_brede_intake), "pip": Money(ctx.fine_pip)}
    onderwijs = facts is not None and facts.route == "onderwijsroute"
    duo = Msg.of(
        J.FINES_DUO_ONDERWIJS if onderwijs else J.FINES_DUO,
        years=years(ctx.term_years),
        exam=Money(ctx.fine_exam),
        map=Money(ctx.fine_map),
        pvt=Money(ctx.fine_pvt),
    )
    if key == "asylum":
        return [Msg.of(J.FINES_MUNICIPALITY, **municipal), duo, Msg.of(J.FINES_BENEFIT)]
    if key == "gezinsmigrant":
        return [Msg.of(J.FINES_OWN_COURSE), duo]
    return [
        Msg.of(J.FINES_MUNICIPALITY_NAMED, **municipal),
        Msg.of(J.FINES_OWN_COURSE_NAMED),
        duo,
        Msg.of(J.FINES_BENEFIT),
    ]


def overview(facts: J.JourneyFacts | None, today: date, ctx: J.JourneyContext) -> Reply:
    """The timeline: every step in a line, with ✓ for the steps behind and 📍 for here."""
    steps = J.steps_for(facts)
    here = J.where(facts, today, ctx)
    done = J.done_steps(here)
    lines: list[Msg] = []
    for number, step in enumerate(steps, 1):
        mark = J.HERE_MARK if step.code == here else J.DONE_MARK if step.code in done else ""
        lines.append(Msg.lit(mark + "{number}. {title}", number=number, title=Msg.of(step.title)))
    parts = [Msg.of(J.TITLE), Msg.of(J.INTRO), Msg.lit("{lines}", lines=Join(tuple(lines), "\n"))]
    if here is not None:
        parts.append(Msg.of(J.LEGEND))
    rows: list[tuple[Button, ...]] = []
    if here is not None:
        rows.append((Button(Msg.of(J.WHERE_NOW), JourneyStep(here).pack()),))
    rows.append((Button(Msg.of(J.FROM_START), JourneyStep(steps[0].code).pack()),))
    rows.append(back_row())
    return Reply(tuple(parts), tuple(rows))


def step_screen(
    code: str,
    facts: J.JourneyFacts | None,
    today: date,
    ctx: J.JourneyContext,
    roles: Mapping[str, RoleCard],
    topics: Mapping[str, str],
) -> Reply | None:
    """One step: what happens, what you do, who helps; None for a step that is not
    this person's (a stale or forged button)."""
    steps = J.steps_for(facts)
    codes = [s.code for s in steps]
    if code not in codes:
        return None
    index = codes.index(code)
    step = steps[index]
    params = J.params_of(step, ctx)
    parts = [
        Msg.of(J.STEP_HEAD, number=index + 1, total=len(steps), title=Msg.of(step.title)),
    ]
    if J.where(facts, today, ctx) == code:
        parts.append(Msg.of(J.YOU_ARE_HERE))
    parts.append(Msg.of(J.WHAT_HAPPENS, text=Msg.of(J.happens(step, facts), **params)))
    if step.code == "fines":
        parts += fines(facts, ctx)
    parts.append(Msg.of(J.WHAT_YOU_DO, text=Msg.of(step.you_do, **params)))
    parts += _local(step, ctx)
    parts += _dates(step, facts, ctx)
    parts.append(_who(step, roles, topics))
    moves: list[Button] = []
    if index > 0:
        moves.append(Button(Msg.of(J.PREVIOUS), JourneyStep(codes[index - 1]).pack()))
    if index + 1 < len(codes):
        moves.append(Button(Msg.of(J.NEXT), JourneyStep(codes[index + 1]).pack()))
    rows = (
        tuple(moves),
        (Button(Msg.of(J.ALL_STEPS), JourneyStep(JourneyStep.ALL).pack()),),
        back_row(),
    )
    return Reply(tuple(parts), rows)
