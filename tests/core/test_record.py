"""The case record (`bot.core.record`): set by the consulent, checked, audited; its
deadlines read with the municipality's figures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from bot.core.cases import CaseNotFound, change_case_record, create_case, get_case
from bot.core.dates import ontzorgen_for
from bot.core.record import (
    Figures,
    InvalidRecord,
    Record,
    dates_for,
    parse_day,
    record_of,
    set_case_record,
    today,
)
from bot.municipality import Deadlines, Journey
from storage import AuditEntry, Database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def actions(db: Database) -> list[tuple[str, str, str | None]]:
    async with db.session() as session:
        entries = (await session.exec(select(AuditEntry))).all()
    return [(e.actor, e.action, e.target) for e in entries]


async def test_the_record_is_set_read_back_and_audited(db: Database) -> None:
    case = await create_case(db, actor="anna", now=NOW)
    await set_case_record(
        db,
        case.id,
        Record(
            target_group="statushouder",
            registered_on=date(2026, 10, 1),
            pip_decided_on=date(2026, 11, 30),
        ),
        actor="anna",
        now=NOW,
    )
    stored = await get_case(db, case.id)
    assert (stored.target_group, stored.registered_on, stored.pip_decided_on) == (
        "statushouder",
        date(2026, 10, 1),
        date(2026, 11, 30),
    )
    assert await actions(db) == [("anna", "case.create", case.id), ("anna", "case.record", case.id)]


async def test_a_new_case_can_carry_its_group_and_registration(db: Database) -> None:
    case = await create_case(
        db, actor="cli", now=NOW, target_group="gezinsmigrant", registered_on=date(2026, 11, 2)
    )
    stored = await get_case(db, case.id)
    assert (stored.target_group, stored.registered_on) == ("gezinsmigrant", date(2026, 11, 2))


@pytest.mark.parametrize(
    ("group", "registered", "decided", "field", "problem"),
    [
        ("refugee", None, None, "group", "unknown_group"),
        (None, date(2026, 12, 2), None, "registered", "future"),
        (None, date(2021, 12, 31), None, "registered", "before_law"),
        (None, None, date(2027, 1, 1), "pip", "future"),
        (None, date(2026, 10, 1), date(2026, 9, 30), "pip", "pip_before_registration"),
    ],
)
async def test_an_impossible_record_is_refused_and_nothing_changes(
    db: Database,
    group: str | None,
    registered: date | None,
    decided: date | None,
    field: str,
    problem: str,
) -> None:
    case = await create_case(db, actor="anna", now=NOW)
    with pytest.raises(InvalidRecord) as error:
        await set_case_record(
            db,
            case.id,
            Record(target_group=group, registered_on=registered, pip_decided_on=decided),
            actor="anna",
            now=NOW,
        )
    assert (error.value.field, error.value.problem) == (field, problem)
    stored = await get_case(db, case.id)
    assert (stored.target_group, stored.registered_on, stored.pip_decided_on) == (None,) * 3
    assert [a for _, a, _ in await actions(db)] == ["case.create"]


async def test_today_is_the_dutch_day_so_a_registration_made_this_morning_is_allowed(
    db: Database,
) -> None:
    late_evening_utc = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 2 December in Amsterdam
    assert today(late_evening_utc) == date(2026, 12, 2)
    case = await create_case(db, actor="anna", now=late_evening_utc)
    await set_case_record(
        db,
        case.id,
        Record(target_group=None, registered_on=date(2026, 12, 2), pip_decided_on=None),
        actor="anna",
        now=late_evening_utc,
    )


async def test_a_missing_case_is_not_found(db: Database) -> None:
    with pytest.raises(CaseNotFound):
        await set_case_record(
            db,
            "nope",
            Record(target_group=None, registered_on=None, pip_decided_on=None),
            actor="anna",
            now=NOW,
        )


def test_a_day_is_read_as_yyyy_mm_dd_and_empty_is_none() -> None:
    assert parse_day("registered", "2026-09-01") == date(2026, 9, 1)
    assert parse_day("registered", "  ") is None
    with pytest.raises(InvalidRecord, match="not a date: '1-9-2026' \\(use YYYY-MM-DD\\)"):
        parse_day("registered", "1-9-2026")


async def test_the_deadlines_use_the_municipality_figures(db: Database) -> None:
    case = await create_case(db, actor="anna", now=NOW, registered_on=date(2026, 9, 1))
    assert dates_for(case, Figures()).pip_deadline == date(2026, 11, 10)
    assert dates_for(case, Figures(Deadlines(pip_weeks=8))).pip_deadline == date(2026, 10, 27)


async def test_the_outcome_of_the_brede_intake_is_recorded(db: Database) -> None:
    """The leerbaarheidstoets's advice, the route and ontzorgen; an end of ontzorgen may
    lie ahead (the PIP sets it), its start may not."""
    case = await create_case(db, actor="anna", now=NOW)
    outcome = Record(
        target_group="nareiziger",
        registered_on=date(2026, 9, 1),
        pip_decided_on=date(2026, 11, 2),
        toets_advice="z_route",
        route="b1",
        ontzorgen_from=date(2026, 9, 15),
        ontzorgen_until=date(2027, 9, 15),
    )
    await set_case_record(db, case.id, outcome, actor="anna", now=NOW)
    assert record_of(await get_case(db, case.id)) == outcome


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"route": "c1"}, "route", "unknown_route"),
        ({"toets_advice": "b2"}, "toets", "unknown_route"),
        (
            {"target_group": "gezinsmigrant", "ontzorgen_from": date(2026, 9, 15)},
            "ontzorgen",
            "ontzorgen_not_for_group",
        ),
        ({"ontzorgen_from": date(2026, 12, 2)}, "ontzorgen", "future"),
        ({"ontzorgen_until": date(2027, 3, 1)}, "ontzorgen_until", "end_without_start"),
        (
            {"ontzorgen_from": date(2026, 9, 15), "ontzorgen_until": date(2026, 9, 15)},
            "ontzorgen_until",
            "end_before_start",
        ),
    ],
)
async def test_an_impossible_outcome_is_refused_and_nothing_changes(
    db: Database, changes: dict[str, object], field: str, problem: str
) -> None:
    case = await create_case(db, actor="anna", now=NOW)
    with pytest.raises(InvalidRecord) as refused:
        await set_case_record(db, case.id, Record(**changes), actor="anna", now=NOW)  # type: ignore[arg-type]
    assert (refused.value.field, refused.value.problem) == (field, problem)
    assert record_of(await get_case(db, case.id)) == Record()
    assert await actions(db) == [("anna", "case.create", case.id)]


async def test_the_cli_changes_only_the_fields_it_names_by_invite_code(db: Database) -> None:
    case = await create_case(
        db, actor="anna", now=NOW, target_group="statushouder", registered_on=date(2026, 9, 1)
    )
    await change_case_record(
        db, case.invite_code, {"route": "onderwijsroute"}, actor="cli", now=NOW
    )
    stored = record_of(await get_case(db, case.id))
    assert stored == Record("statushouder", date(2026, 9, 1), route="onderwijsroute")
    await change_case_record(db, case.id, {"route": None}, actor="cli", now=NOW)
    assert record_of(await get_case(db, case.id)).route is None
    assert (await actions(db))[-2:] == [("cli", "case.record", case.id)] * 2
    with pytest.raises(CaseNotFound):
        await change_case_record(db, "ZZZZ-ZZZZ", {"route": "b1"}, actor="cli", now=NOW)
    with pytest.raises(ValueError, match="not a field of the record: colour"):
        await change_case_record(db, case.id, {"colour": "red"}, actor="cli", now=NOW)


async def test_the_switch_deadline_and_ontzorgen_use_the_municipality_figures(
    db: Database,
) -> None:
    case = await create_case(db, actor="anna", now=NOW)
    record = Record(
        "statushouder", date(2026, 9, 1), date(2026, 11, 2), ontzorgen_from=date(2026, 9, 15)
    )
    await set_case_record(db, case.id, record, actor="anna", now=NOW)
    case = await get_case(db, case.id)
    assert dates_for(case, Figures()).switch_until == date(2028, 5, 2)  # 18 months
    period = ontzorgen_for(case, Figures())
    assert (period.start, period.end, period.minimum) == (
        date(2026, 9, 15),
        date(2027, 3, 15),
        True,
    )
    local = Figures(journey=Journey(route_switch_months=12, ontzorgen_months=12))
    assert dates_for(case, local).switch_until == date(2027, 11, 2)
    assert ontzorgen_for(case, local).end == date(2027, 9, 15)
