"""`wegwijs appointment add|list|cancel`: planned through the core, shown one line each,
mistakes one clear line."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from flows.i18n import LOCAL_TZ
from tests.cli.helpers import new_case, wegwijs


def test_an_appointment_is_planned_listed_by_code_and_cancelled(db_path: Path) -> None:
    code = new_case()
    assert wegwijs("appointment", "list", code).output == (
        "No appointments yet: plan one with `wegwijs appointment add`.\n"
    )
    day = (datetime.now(LOCAL_TZ) + timedelta(days=10)).date()
    added = wegwijs(
        "appointment", "add", code, "--kind", "pip", "--start", f"{day} 10:00",
        "--place", "Stadhuisplein 1",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.output.startswith(f"Planned: #1  {day} 10:00-11:00  pip ")
    listed = wegwijs("appointment", "list", code.replace("-", ""))
    assert listed.exit_code == 0, listed.output
    [line] = listed.output.splitlines()
    assert line.split()[:5] == ["#1", str(day), "10:00-11:00", "pip", "planned"]
    assert line.endswith("Stadhuisplein 1")
    cancelled = wegwijs("appointment", "cancel", "1")
    assert cancelled.exit_code == 0 and "cancelled" in cancelled.output
    # Audited by the core's AppointmentService, as on the dashboard: one home for both.
    with sqlite3.connect(db_path) as connection:
        audited = connection.execute(
            "select actor, action, detail from audit_log where action like 'appointment.%'"
            " order by id"
        ).fetchall()
    assert audited == [
        ("cli", "appointment.plan", "appointment 1"),
        ("cli", "appointment.cancel", "appointment 1"),
    ]


def test_appointment_mistakes_are_one_clear_line(db_path: Path) -> None:
    unknown = wegwijs("appointment", "list", "ABCD-EFGH")
    assert unknown.exit_code == 2 and "no case with code or id 'ABCD-EFGH'" in unknown.output
    code = new_case()
    bad_time = wegwijs("appointment", "add", code, "--kind", "pip", "--start", "morgen")
    assert bad_time.exit_code == 2 and "--start: not a date and time: 'morgen'" in bad_time.output
    bad_kind = wegwijs("appointment", "add", code, "--kind", "feest", "--start", "2030-01-01 10:00")
    assert bad_kind.exit_code == 2 and "unknown kind 'feest'" in bad_kind.output
    assert wegwijs("appointment", "cancel", "7").exit_code == 2
