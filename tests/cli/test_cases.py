"""`wegwijs case create|list|close|purge` and `wegwijs export`."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta
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
        rf"{asked}  ar  no consent  open  2 request\(s\) for a person  gezin Haddad", first
    )
    assert re.fullmatch(rf"{quiet}  --  no consent  open", second.strip())


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
    assert stored.startswith("fernet:") and "B1" not in stored


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
