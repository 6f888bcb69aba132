"""`wegwijs case record CASE`: the case record and the outcome of the brede intake, as
the dashboard's form sets them (target group, BRP registration, PIP date, the
leerbaarheidstoets's advice, the route, ontzorgen). Only the options given change; an
empty value ("") clears a field. Prints the record with the deadlines that follow."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bot.cli.common import CaseArgument, fail, run_with_app
from bot.core.app import App
from bot.core.cases import CaseNotFound, change_case_record, get_case
from bot.core.clock import utcnow
from bot.core.dates import Figures, dates_for, ontzorgen_for
from bot.core.record import InvalidRecord, parse_day
from storage import Case

# The options and the record's fields they set, and how a value is read.
DATES = {
    "registered": "registered_on",
    "pip": "pip_decided_on",
    "ontzorgen_from": "ontzorgen_from",
    "ontzorgen_until": "ontzorgen_until",
}
CODES = {"group": "target_group", "toets": "toets_advice", "route": "route"}


def _changes(given: dict[str, str | None]) -> dict[str, Any]:
    """The fields to change: a date read as YYYY-MM-DD, a code as it is, "" as none."""
    changes: dict[str, Any] = {}
    for option, value in given.items():
        if value is None:
            continue
        name = f"--{option.replace('_', '-')}"
        if option in DATES:
            changes[DATES[option]] = parse_day(name, value)
        else:
            changes[CODES[option]] = value.strip() or None
    return changes


def _lines(case: Case, figures: Figures) -> list[str]:
    dates, period = dates_for(case, figures), ontzorgen_for(case, figures)

    def shown(value: object) -> str:
        return str(value) if value else "--"

    least = " (at least: the law's least)" if period.minimum else ""
    return [
        f"Target group: {shown(case.target_group)}",
        f"Registered in the BRP: {shown(case.registered_on)}",
        f"PIP due by: {shown(dates.pip_deadline)}",
        f"PIP decided on: {shown(case.pip_decided_on)}",
        f"Term: {shown(dates.term_start)} to {shown(dates.term_end)}",
        f"Leerbaarheidstoets advice: {shown(case.toets_advice)}",
        f"Route: {shown(case.route)}",
        f"Route can be switched until: {shown(dates.switch_until)}",
        f"Ontzorgen: {shown(period.start)} to {shown(period.end)}{least}",
    ]


def case_record(
    case: CaseArgument,
    group: Annotated[
        str | None,
        typer.Option(help='statushouder, nareiziger or gezinsmigrant ("" clears it).'),
    ] = None,
    registered: Annotated[
        str | None, typer.Option(help="Registration in the BRP, YYYY-MM-DD.")
    ] = None,
    pip: Annotated[
        str | None, typer.Option(help="The day the PIP was decided, YYYY-MM-DD.")
    ] = None,
    toets: Annotated[
        str | None,
        typer.Option(help="The leerbaarheidstoets's advice: b1, onderwijsroute or z_route."),
    ] = None,
    route: Annotated[
        str | None, typer.Option(help="The route the PIP chose: b1, onderwijsroute or z_route.")
    ] = None,
    ontzorgen_from: Annotated[
        str | None, typer.Option(help="Ontzorgen started, YYYY-MM-DD.")
    ] = None,
    ontzorgen_until: Annotated[
        str | None,
        typer.Option(help="Ontzorgen ends, YYYY-MM-DD (only when the PIP sets an end)."),
    ] = None,
) -> None:
    """Show or set a case's record and the outcome of the brede intake (audited)."""
    try:
        changes = _changes(
            {
                "group": group,
                "registered": registered,
                "pip": pip,
                "toets": toets,
                "route": route,
                "ontzorgen_from": ontzorgen_from,
                "ontzorgen_until": ontzorgen_until,
            }
        )
    except InvalidRecord as exc:
        raise fail(str(exc)) from None

    async def work(application: App) -> list[str]:
        try:
            if changes:
                found = await change_case_record(
                    application.db, case, changes, actor="cli", now=utcnow()
                )
            else:
                found = await get_case(application.db, case)
        except CaseNotFound:
            raise fail(f"no case with code or id {case!r}") from None
        except InvalidRecord as exc:
            raise fail(str(exc)) from None
        return _lines(found, Figures.of(application.municipality))

    for line in run_with_app(work):
        typer.echo(line)
