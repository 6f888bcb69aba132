"""Planning appointments and what it schedules, and the person's answers reaching the
appointment — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.appointments import AppointmentError, AppointmentPlan, AppointmentService, context_of
from bot.core.service import Attach, Inbound, Service
from bot.municipality import load_municipality
from flows.callbacks import AppointmentAnswer
from flows.engine import Context, Engine
from flows.events import Event
from flows.i18n import Renderer
from flows.intake import INTAKE
from storage import Appointment, Database, Reminder, ReminderRepository
from tests.clock import NOW, Clock

AMS = ZoneInfo("Europe/Amsterdam")
EXAMPLE = Path(__file__).resolve().parents[2] / "municipalities" / "example.toml"
MUNICIPALITY = load_municipality(EXAMPLE)
CHAT = 8_000_000_002


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def plan(start: datetime, **kw: object) -> AppointmentPlan:
    return AppointmentPlan(kind="brede_intake", starts_at=start, place="Stadhuisplein 1", **kw)


@pytest.fixture
def planner(db: Database, clock: Clock) -> AppointmentService:
    return AppointmentService(db, MUNICIPALITY, clock)


@pytest.fixture
def service(db: Database, clock: Clock) -> Service:
    renderer = Renderer({})
    context = Context(
        "Voorbeeldstad", consent_version="1-r12", appointments=context_of(MUNICIPALITY)
    )
    return Service(db, Engine(INTAKE, context, renderer.text), renderer, clock)


async def schedule(db: Database, appointment_id: int) -> list[tuple[str, datetime, str]]:
    async with db.session() as session:
        rows = await ReminderRepository(session).for_appointment(appointment_id)
    return [(r.purpose, r.due_at.astimezone(AMS), r.status) for r in rows]


async def test_planning_schedules_the_invitation_now_and_three_reminders(db, service, planner):
    case = await service.create_case()
    item = await planner.plan(case.invite_code, plan(at(2026, 12, 15, 10, 0)), by="sanne")
    assert item.status == "planned" and item.created_by == "sanne"
    assert item.ends_at - item.starts_at == timedelta(minutes=90)  # from the municipality file
    assert await schedule(db, item.id) == [
        ("invitation", NOW.astimezone(AMS), "pending"),
        ("reminder", at(2026, 12, 8, 10, 0), "pending"),
        ("reminder", at(2026, 12, 14, 10, 0), "pending"),
        ("reminder", at(2026, 12, 15, 8, 0), "pending"),
    ]


async def test_a_case_is_found_by_id_or_by_code_in_any_spelling(service, planner) -> None:
    case = await service.create_case()
    by_id = await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    by_code = await planner.plan(
        case.invite_code.replace("-", "").lower(), plan(at(2026, 12, 16, 10, 0))
    )
    assert by_id.case_id == by_code.case_id == case.id


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"kind": "lunch"}, "unknown_kind"),
        ({"starts_at": datetime(2026, 11, 30, 10, 0, tzinfo=UTC)}, "in_past"),
        ({"ends_at": datetime(2026, 12, 15, 8, 0, tzinfo=UTC)}, "end_before_start"),
        ({"mode": "pigeon"}, "bad_mode"),
        ({"with_role": "mayor"}, "unknown_role"),
        ({"starts_at": datetime(2026, 12, 15, 10, 0)}, "bad_time"),
    ],
)
async def test_a_plan_that_cannot_be_is_refused_with_a_clear_reason(
    db, service, planner, change, code
) -> None:
    case = await service.create_case()
    wrong = dataclasses.replace(plan(at(2026, 12, 15, 10, 0)), **change)
    with pytest.raises(AppointmentError) as raised:
        await planner.plan(case.id, wrong)
    assert raised.value.code == code and raised.value.message
    async with db.session() as session:
        assert (await session.exec(Appointment.__table__.select())).all() == []


async def test_an_unknown_case_is_refused(planner) -> None:
    with pytest.raises(AppointmentError) as raised:
        await planner.plan("ZZZZ-ZZZZ", plan(at(2026, 12, 15, 10, 0)))
    assert raised.value.code == "unknown_case"
    with pytest.raises(AppointmentError) as raised:
        await planner.of_case("ZZZZ-ZZZZ")
    assert raised.value.message == "no case with code or id 'ZZZZ-ZZZZ'"


async def test_a_cases_appointments_are_listed_by_its_id_or_its_code(service, planner) -> None:
    case, other = await service.create_case(), await service.create_case()
    later = await planner.plan(case.id, plan(at(2026, 12, 16, 10, 0)))
    sooner = await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    await planner.plan(other.id, plan(at(2026, 12, 15, 11, 0)))
    by_code = await planner.of_case(case.invite_code.replace("-", "").lower())
    assert [a.id for a in by_code] == [sooner.id, later.id]
    assert [a.id for a in await planner.of_case(case.id)] == [sooner.id, later.id]


async def test_a_change_replaces_the_pending_reminders(db, service, planner, clock) -> None:
    case = await service.create_case()
    item = await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    clock.now = NOW + timedelta(hours=1)
    moved = await planner.change(item.id, plan(at(2026, 12, 17, 14, 0)))
    rows = await schedule(db, item.id)
    assert [r for r in rows if r[2] == "pending"] == [
        # Never sent before, so the person gets an invitation, not a "changed" notice.
        ("invitation", clock.now.astimezone(AMS), "pending"),
        ("reminder", at(2026, 12, 10, 14, 0), "pending"),
        ("reminder", at(2026, 12, 16, 14, 0), "pending"),
        ("reminder", at(2026, 12, 17, 12, 0), "pending"),
    ]
    assert sum(1 for r in rows if r[2] == "cancelled") == 4
    assert moved.status == "planned"


async def mark_sent(db: Database, appointment_id: int, purpose: str) -> None:
    async with db.session() as session, session.begin():
        for row in await ReminderRepository(session).for_appointment(appointment_id):
            if row.purpose == purpose and row.status == "pending":
                row.status, row.sent_at = "sent", NOW
                session.add(row)


async def test_a_change_after_the_invitation_went_out_is_a_changed_notice(
    db, service, planner
) -> None:
    case = await service.create_case()
    item = await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    await mark_sent(db, item.id, "invitation")
    moved = await planner.change(item.id, plan(at(2026, 12, 15, 11, 0)))
    pending = [r[0] for r in await schedule(db, item.id) if r[2] == "pending"]
    assert pending == ["changed", "reminder", "reminder", "reminder"]
    assert moved.status == "changed"


async def test_cancel_stops_the_reminders_and_tells_a_person_who_was_invited(
    db, service, planner
) -> None:
    case = await service.create_case()
    quiet = await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    await planner.cancel(quiet.id)
    assert {r[2] for r in await schedule(db, quiet.id)} == {"cancelled"}  # never told: nothing

    told = await planner.plan(case.id, plan(at(2026, 12, 16, 10, 0)))
    await mark_sent(db, told.id, "invitation")
    cancelled = await planner.cancel(told.id)
    assert cancelled.status == "cancelled"
    pending = [r[0] for r in await schedule(db, told.id) if r[2] == "pending"]
    assert pending == ["cancelled"]
    with pytest.raises(AppointmentError) as raised:
        await planner.change(told.id, plan(at(2026, 12, 17, 10, 0)))
    assert raised.value.code == "closed"


async def test_done_and_missed_only_after_the_start(service, planner, clock) -> None:
    case = await service.create_case()
    item = await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    with pytest.raises(AppointmentError) as raised:
        await planner.mark(item.id, "done")
    assert raised.value.code == "not_yet"
    clock.now = at(2026, 12, 15, 12, 0).astimezone(UTC)
    assert (await planner.mark(item.id, "missed")).status == "missed"
    with pytest.raises(AppointmentError):
        await planner.mark(item.id, "done")
    with pytest.raises(AppointmentError) as unknown:
        await planner.mark(999, "done")
    assert unknown.value.code == "unknown_appointment"


async def test_next_for_cases_gives_the_next_one_that_still_takes_place(service, planner):
    first, second = await service.create_case(), await service.create_case()
    soon = await planner.plan(first.id, plan(at(2026, 12, 10, 10, 0)))
    await planner.plan(first.id, plan(at(2026, 12, 20, 10, 0)))
    await planner.cancel(soon.id)
    later = await planner.plan(second.id, plan(at(2026, 12, 11, 9, 0)))
    found = await planner.next_for_cases([first.id, second.id])
    assert found[first.id].starts_at == at(2026, 12, 20, 10, 0)
    assert found[second.id].id == later.id
    assert await planner.next_for_cases([]) == {}


async def press(service: Service, payload: AppointmentAnswer, update_id: int | None = None):
    event = Event.press(payload.pack())
    return await service.handle(Inbound("telegram", CHAT, event, update_id))


async def test_the_persons_buttons_reach_the_appointment(db, service, planner) -> None:
    case = await service.create_case(language="en")
    assert await service.attach("telegram", CHAT, case.invite_code) is Attach.OK
    item = await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    replies = await press(service, AppointmentAnswer(item.id, "n"))
    assert "why you cannot come" in replies[0].text
    await press(service, AppointmentAnswer(item.id, "n", "childcare"))
    await press(service, AppointmentAnswer(item.id, "i"))
    (stored,) = await planner.for_case(case.id)
    assert (stored.response, stored.response_reason) == ("cannot_come", "childcare")
    assert stored.interpreter_requested and stored.responded_at == NOW
    await press(service, AppointmentAnswer(item.id, "y"))
    (stored,) = await planner.for_case(case.id)
    assert (stored.response, stored.response_reason) == ("coming", None)


async def test_a_button_for_another_persons_appointment_changes_nothing(db, service, planner):
    mine = await service.create_case(language="en")
    assert await service.attach("telegram", CHAT, mine.invite_code) is Attach.OK
    other = await service.create_case()
    theirs = await planner.plan(other.id, plan(at(2026, 12, 15, 10, 0)))
    replies = await press(service, AppointmentAnswer(theirs.id, "y"))
    assert "no longer planned" in replies[0].text
    (stored,) = await planner.for_case(other.id)
    assert stored.response is None


async def test_a_cancelled_appointment_takes_no_more_answers(db, service, planner) -> None:
    case = await service.create_case(language="en")
    assert await service.attach("telegram", CHAT, case.invite_code) is Attach.OK
    item = await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    await planner.cancel(item.id)
    replies = await press(service, AppointmentAnswer(item.id, "y"))
    assert "no longer planned" in replies[0].text
    (stored,) = await planner.for_case(case.id)
    assert stored.response is None


async def test_the_appointments_command_lists_them(db, service, planner) -> None:
    case = await service.create_case(language="en")
    assert await service.attach("telegram", CHAT, case.invite_code) is Attach.OK
    await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    replies = await service.handle(Inbound("telegram", CHAT, Event.cmd("appointments")))
    assert replies[0].text == "Your appointments:"
    assert "Stadhuisplein 1" in replies[1].text


async def test_erasing_the_case_takes_its_appointments_and_reminders(db, service, planner):
    case = await service.create_case()
    item = await planner.plan(case.id, plan(at(2026, 12, 15, 10, 0)))
    from storage import EraseRepository

    async with db.session() as session, session.begin():
        await EraseRepository(session).erase_case(case.id)
    async with db.session() as session:
        assert (await session.exec(Appointment.__table__.select())).all() == []
        assert (await session.exec(Reminder.__table__.select())).all() == []
    assert item.id is not None
