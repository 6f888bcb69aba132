"""`wegwijs case record`: the case record and the outcome of the brede intake from the
command line, checked and audited as on the dashboard; only the options given change."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from bot.core.record import Record, record_of
from flows.record import add_months
from storage import CaseRepository, Session
from tests.cli.helpers import new_case, read, wegwijs


def stored(db_path: Path, code: str) -> Record:
    async def work(session: Session) -> Record:
        case = await CaseRepository(session).by_code(code)
        assert case is not None
        return record_of(case)

    return read(db_path, work)


def test_the_outcome_is_recorded_shown_and_audited(db_path: Path) -> None:
    registered = date.today() - timedelta(days=120)
    decided = date.today() - timedelta(days=40)
    started = registered + timedelta(days=14)
    code = new_case("--group", "statushouder", "--registered", str(registered))
    result = wegwijs(
        "case", "record", code, "--pip", str(decided), "--toets", "z_route",
        "--route", "b1", "--ontzorgen-from", str(started),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert stored(db_path, code) == Record(
        "statushouder", registered, decided, "z_route", "b1", started, None
    )
    lines = result.output.splitlines()
    assert f"PIP decided on: {decided}" in lines
    assert "Route: b1" in lines and "Leerbaarheidstoets advice: z_route" in lines
    # The same computation as /route and the sheet: 18 months after the PIP.
    assert f"Route can be switched until: {add_months(decided, 18)}" in lines
    least = add_months(started, 6)
    assert f"Ontzorgen: {started} to {least} (at least: the law's least)" in lines
    # Only what is named changes; "" clears.
    cleared = wegwijs("case", "record", code, "--route", "")
    assert cleared.exit_code == 0, cleared.output
    assert stored(db_path, code).route is None
    assert stored(db_path, code).toets_advice == "z_route"
    shown = wegwijs("case", "record", code)
    assert shown.exit_code == 0 and "Route: --" in shown.output
    with sqlite3.connect(db_path) as connection:
        audited = connection.execute(
            "select actor, action from audit_log where action = 'case.record' order by id"
        ).fetchall()
    assert audited == [("cli", "case.record")] * 2  # showing it changes nothing


def test_a_value_the_law_cannot_have_is_one_clear_line_and_nothing_changes(
    db_path: Path,
) -> None:
    code = new_case("--group", "gezinsmigrant")
    started = str(date.today() - timedelta(days=30))
    for options, said in [
        (("--route", "c1"), "route: unknown 'c1' (one of b1, onderwijsroute, z_route)"),
        (("--ontzorgen-from", started), "ontzorgen: not part of a gezinsmigrant's PIP"),
        (("--pip", "2-11-2026"), "--pip: not a date: '2-11-2026' (use YYYY-MM-DD)"),
    ]:
        result = wegwijs("case", "record", code, *options)
        assert result.exit_code == 2, result.output
        assert said in result.output and len(result.output.strip().splitlines()) == 1
    assert stored(db_path, code) == Record("gezinsmigrant")
    unknown = wegwijs("case", "record", "ZZZZ-ZZZZ", "--route", "b1")
    assert unknown.exit_code == 2 and "no case with code or id 'ZZZZ-ZZZZ'" in unknown.output
