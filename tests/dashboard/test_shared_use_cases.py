"""The dashboard and the other edges share each use case (`bot.core.cases`): an erasure
is audited exactly as `/delete` audits it, and the export is the CLI's, appointments
included (the two drifts of issue #13)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.core.appointments import AppointmentPlan
from flows.events import Event
from flows.i18n import LOCAL_TZ
from storage import AuditEntry
from tests.conftest import TestDatabase
from tests.dashboard.conftest import Dashboard, post
from tests.dashboard.intake import complete_intake


async def erasures(dashboard: Dashboard) -> list[AuditEntry]:
    async with dashboard.app.db.session() as session:
        entries = (await session.exec(select(AuditEntry))).all()
    return [e for e in entries if e.action == "case.erase"]


async def test_the_dashboards_erase_writes_the_audit_entry_delete_writes(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    by_person = await dashboard.case("anna")
    by_consulent = await dashboard.case("anna")
    person = await complete_intake(dashboard.app.service, by_person.invite_code, 7_200_000_001)
    await complete_intake(dashboard.app.service, by_consulent.invite_code, 7_200_000_002)

    await person.send(Event.cmd("delete"))
    await person.send(Event.press("x:yes"))
    client = await dashboard.login("anna")
    page = f"/cases/{by_consulent.id}/erase"
    done = await post(client, page, {"confirm": by_consulent.invite_code}, page=page)
    assert done.status_code == 303

    deleted, erased = await erasures(dashboard)
    assert (deleted.actor, erased.actor) == ("person", "anna")
    assert deleted.action == erased.action == "case.erase"
    assert deleted.target is None and erased.target is None
    reason, _, counts = deleted.detail.partition(": ")  # type: ignore[union-attr]
    assert reason == "/delete"
    assert erased.detail == f"erased by staff: {counts}"
    for case in (by_person, by_consulent):
        for entry in (deleted, erased):
            row = json.dumps(entry.model_dump(mode="json"))
            assert case.id not in row and case.invite_code not in row


async def test_the_dashboards_export_is_the_clis_with_the_appointments(
    dashboard: Dashboard,
    database_url: TestDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if database_url.dialect != "sqlite":
        pytest.skip("the CLI reads its database from DATABASE_URL: the SQLite file here")
    await dashboard.add_user("anna")
    case = await dashboard.case("anna", "gezin Haddad")
    await complete_intake(dashboard.app.service, case.invite_code, 7_200_000_003)
    await dashboard.app.appointments.plan(
        case.id,
        AppointmentPlan(
            kind="brede_intake",
            starts_at=dashboard.clock() + timedelta(days=3),
            place="Stadhuis, Markt 1",
            notes="tolk geregeld",
        ),
        by="anna",
    )
    client = await dashboard.login("anna")
    from_dashboard = json.loads(
        (await post(client, f"/cases/{case.id}/export", {"format": "json"})).text
    )

    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("DATABASE_URL", database_url.url)
    monkeypatch.delenv("WEGWIJS_SECRET_KEY", raising=False)
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["export", case.invite_code])
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.stdout)

    assert [a["place"] for a in from_dashboard["appointments"]] == ["Stadhuis, Markt 1"]
    assert from_dashboard == from_cli


async def test_the_clis_appointment_commands_write_the_dashboards_audit_entries(
    dashboard: Dashboard,
    database_url: TestDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Plan, change and cancel are audited by the use case (`AppointmentService`, with
    `by=`), so `wegwijs appointment add|change|cancel` and the dashboard's routes write
    the same entries: only the actor differs."""
    if database_url.dialect != "sqlite":
        pytest.skip("the CLI reads its database from DATABASE_URL: the SQLite file here")
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    path = f"/cases/{case.id}/appointments"
    day = (dashboard.clock().astimezone(LOCAL_TZ) + timedelta(days=2)).date().isoformat()
    fields = {"kind": "pip", "day": day, "start": "10:00", "mode": "in_person"}
    assert (await post(client, path, fields, page=path)).status_code == 303
    (first,) = await dashboard.app.appointments.for_case(case.id)
    moved = await post(client, f"{path}/{first.id}", {**fields, "start": "11:00"}, page=path)
    assert moved.status_code == 303
    assert (await post(client, f"{path}/{first.id}/cancel", page=path)).status_code == 303

    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("DATABASE_URL", database_url.url)
    monkeypatch.delenv("WEGWIJS_SECRET_KEY", raising=False)
    later = (datetime.now(LOCAL_TZ) + timedelta(days=10)).date()

    async def wegwijs(*args: str) -> None:
        result = await asyncio.to_thread(CliRunner().invoke, cli, list(args))
        assert result.exit_code == 0, result.output

    await wegwijs(
        "appointment", "add", case.invite_code, "--kind", "pip", "--start", f"{later} 10:00"
    )
    second = max(a.id or 0 for a in await dashboard.app.appointments.for_case(case.id))
    await wegwijs(
        "appointment", "change", str(second), "--kind", "pip", "--start", f"{later} 11:00"
    )
    await wegwijs("appointment", "cancel", str(second))

    async with dashboard.app.db.session() as session:
        entries = (await session.exec(select(AuditEntry).order_by(AuditEntry.id))).all()
    written = [
        (e.actor, e.action, e.target, e.detail)
        for e in entries
        if e.action.startswith("appointment.")
    ]
    actions = ("appointment.plan", "appointment.change", "appointment.cancel")
    assert written == [
        *(("anna", action, case.id, f"appointment {first.id}") for action in actions),
        *(("cli", action, case.id, f"appointment {second}") for action in actions),
    ]


def test_the_dashboard_names_every_kind_of_appointment_the_flows_know() -> None:
    from bot.dashboard.appointments import KIND_NAMES
    from flows.appointments import KIND_CODES

    assert tuple(KIND_NAMES) == tuple(KIND_CODES)
