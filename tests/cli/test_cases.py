"""`wegwijs case create|list|close|purge` and `wegwijs export`."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from storage import (
    Appointment,
    AuditRepository,
    CaseRepository,
    PersonRequestRepository,
    Session,
)
from storage.crypto import KeyRing
from tests.cli.helpers import new_case, read, wegwijs

KEY = "first-key-for-the-cli-test-0123456789"


def test_case_list_shows_each_case_with_its_open_requests_for_a_person(db_path: Path) -> None:
    assert wegwijs("case", "list").output == (
        "No cases yet: make one with `wegwijs case create`.\n"
    )
    asked = new_case("--lang", "ar", "--label", "gezin Haddad")
    quiet = new_case()

    async def ask(s: Session) -> None:
        case = await CaseRepository(s).by_code(asked)
        assert case is not None
        at = datetime(2026, 11, 1, tzinfo=UTC)
        for topic in ("general", "letter"):
            await PersonRequestRepository(s).create(case.id, "telegram", topic=topic, now=at)

    read(db_path, ask)
    listed = wegwijs("case", "list")
    assert listed.exit_code == 0
    first, second = listed.output.splitlines()
    assert re.fullmatch(
        rf"{asked}  ar  no consent  open  PIP -- +  2 request\(s\) for a person  gezin Haddad",
        first,
    )
    assert re.fullmatch(rf"{quiet}  --  no consent  open  PIP --", second.strip())


def test_case_close_and_purge(db_path: Path) -> None:
    code = new_case()
    closed = wegwijs("case", "close", code)
    assert closed.exit_code == 0, closed.output
    assert f"Case {code} closed on" in closed.output and "after 12 month(s)" in closed.output
    again = wegwijs("case", "close", code.replace("-", "").lower())
    assert again.exit_code == 0 and "was already closed" in again.output
    with sqlite3.connect(db_path) as connection:
        closes = connection.execute(
            "select actor, action from audit_log where action = 'case.close'"
        ).fetchall()
    assert closes == [("cli", "case.close")]  # once: closing again changes nothing
    unknown = wegwijs("case", "close", "ABCD-EFGH")
    assert unknown.exit_code == 2 and "no case with code or id 'ABCD-EFGH'" in unknown.output
    # Closed just now: within the retention period, so the purge keeps it.
    purged = wegwijs("case", "purge")
    assert purged.exit_code == 0 and "Erased 0 case(s) closed before" in purged.output
    assert code in wegwijs("case", "list").output


def test_export_from_the_command_line_is_audited(db_path: Path) -> None:
    code = new_case("--label", "gezin Haddad")
    assert wegwijs("export", code, "--format", "csv").exit_code == 0
    entries = read(db_path, lambda s: AuditRepository(s).list())
    # Made and exported through the same use cases as on the dashboard, so both audited.
    assert sorted((e.actor, e.action, e.detail) for e in entries) == [
        ("cli", "case.create", None),
        ("cli", "case.export", "csv"),
    ]
    assert all(e.target is not None and "Haddad" not in e.target for e in entries)


def test_export_carries_the_case_record_in_json_and_csv(db_path: Path) -> None:
    registered = (date.today() - timedelta(days=20)).isoformat()
    code = new_case("--registered", registered, "--group", "nareiziger")
    due = (date.fromisoformat(registered) + timedelta(weeks=10)).isoformat()
    as_json = wegwijs("export", code)
    assert as_json.exit_code == 0, as_json.output
    case = json.loads(as_json.output)["case"]
    assert (case["target_group"], case["registered_on"]) == ("nareiziger", registered)
    assert (case["pip_deadline"], case["term_start"]) == (due, None)
    as_csv = wegwijs("export", code, "--format", "csv")
    rows = {r["question_id"]: r for r in csv.DictReader(io.StringIO(as_csv.output))}
    assert rows["case.target_group"]["codes"] == "nareiziger"
    assert rows["case.registered_on"]["codes"] == registered
    assert rows["case.pip_deadline"]["question"] == "Uiterste datum PIP"
    assert rows["case.pip_deadline"]["codes"] == due


def test_export_holds_the_appointments_with_notes_decrypted(db_path: Path) -> None:
    code = new_case()

    async def plan(s: Session) -> None:
        case = await CaseRepository(s).by_code(code)
        assert case is not None
        at = datetime(2027, 1, 11, 9, tzinfo=UTC)
        s.add(
            Appointment(
                case_id=case.id,
                kind="pip",
                starts_at=at,
                ends_at=at + timedelta(hours=1),
                notes="route B1 bespreken",
                response="coming",
                created_at=at,
                updated_at=at,
            )
        )

    read(db_path, plan, key_ring=KeyRing(KEY))
    exported = wegwijs("export", code, WEGWIJS_SECRET_KEY=KEY)
    assert exported.exit_code == 0, exported.output
    [appointment] = json.loads(exported.stdout)["appointments"]
    assert appointment["kind"] == "pip" and appointment["response"] == "coming"
    assert appointment["notes"] == "route B1 bespreken"
    with sqlite3.connect(db_path) as connection:
        [(stored,)] = connection.execute("select notes from appointment").fetchall()
    # The whole note: a short piece such as "B1" turns up in random base64 now and then.
    assert stored.startswith("fernet:") and "route B1 bespreken" not in stored


def test_an_unknown_case_and_an_unwritable_file_are_one_clear_line(
    db_path: Path, tmp_path: Path
) -> None:
    unknown = wegwijs("export", "ABCD-EFGH")
    assert unknown.exit_code == 2 and "no case with code or id 'ABCD-EFGH'" in unknown.output
    code = new_case()
    nowhere = tmp_path / "missing" / "out.json"
    refused = wegwijs("export", code, "--output", str(nowhere))
    assert refused.exit_code == 2 and f"cannot write {nowhere}" in refused.output
    written = wegwijs("export", code, "-o", str(tmp_path / "out.json"))
    assert written.exit_code == 0 and "Written to" in written.output
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))


def test_case_create_takes_the_registration_and_group_and_list_shows_the_pip_deadline(
    db_path: Path,
) -> None:
    today = date.today()
    late = (today - timedelta(days=80)).isoformat()  # the PIP was due 10 days ago
    close = (today - timedelta(days=63)).isoformat()  # due in 7 days
    calm = (today - timedelta(days=20)).isoformat()  # due in 50 days
    created = wegwijs("case", "create", "--registered", late, "--group", "nareiziger")
    assert created.exit_code == 0, created.output
    due = date.fromisoformat(late) + timedelta(weeks=10)
    assert f"PIP due by: {due} (registered {late})" in created.output
    first = re.search(r"Invite code: (\S+)", created.output)
    assert first
    second, third = new_case("--registered", close), new_case("--registered", calm)

    async def stored(s: Session) -> tuple[str | None, date | None]:
        case = await CaseRepository(s).by_code(first.group(1))
        assert case is not None
        return case.target_group, case.registered_on

    assert read(db_path, stored) == ("nareiziger", date.fromisoformat(late))
    lines = wegwijs("case", "list").output.splitlines()
    assert f"PIP by {due} OVERDUE" in lines[0]
    due_soon = date.fromisoformat(close) + timedelta(weeks=10)
    assert second in lines[1] and f"PIP by {due_soon} soon" in lines[1]
    due_later = date.fromisoformat(calm) + timedelta(weeks=10)
    assert third in lines[2] and lines[2].split("  ")[4].strip() == f"PIP by {due_later}"


def test_case_create_refuses_a_bad_registration_date_in_one_line(db_path: Path) -> None:
    future = (date.today() + timedelta(days=2)).isoformat()
    for value, said in [
        ("1-9-2026", "--registered: not a date: '1-9-2026' (use YYYY-MM-DD)"),
        (future, f"--registered: {future} is in the future"),
        ("2021-06-01", "--registered: 2021-06-01 is before 2022-01-01, when the Wet"),
    ]:
        result = wegwijs("case", "create", "--registered", value)
        assert result.exit_code == 2, result.output
        assert said in result.output
        assert len(result.output.strip().splitlines()) == 1
    bad_group = wegwijs("case", "create", "--group", "refugee")
    assert bad_group.exit_code == 2 and "refugee" in bad_group.output
    assert wegwijs("case", "list").output.startswith("No cases yet")
