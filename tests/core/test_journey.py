"""My inburgering, step by step, through the service: `/route` and its buttons read the
case record and the talks held (and only they do), so "you are here" and the person's
own dates come from the case — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.appointments import AppointmentPlan, AppointmentService, context_of
from bot.core.journey import journey_context, journey_facts
from bot.core.record import Record, set_case_record
from bot.core.service import Attach, Inbound, Service
from bot.municipality import load_municipality
from flows.callbacks import JourneyStep
from flows.engine import Context, Engine
from flows.events import Event
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.journey import LAW, JourneyFacts
from storage import Appointment, Case, Database
from tests.clock import Clock
from tests.core.test_service_statements import counting, listing
from tests.flows.helpers import press

AMS = ZoneInfo("Europe/Amsterdam")
MUNICIPALITIES = Path(__file__).resolve().parents[2] / "municipalities"
NOORDWIJK = load_municipality(MUNICIPALITIES / "noordwijk.example.toml")
CHAT = 8_000_000_003
NOW_ = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def service(db: Database, clock: Clock) -> Service:
    renderer = Renderer({})
    context = Context(
        "Noordwijk",
        consent_version="1-r12",
        appointments=context_of(NOORDWIJK),
        journey=journey_context(NOORDWIJK),
    )
    return Service(db, Engine(INTAKE, context, renderer.text), renderer, clock)


async def attached(service: Service) -> Case:
    case = await service.create_case(language="en")
    assert await service.attach("telegram", CHAT, case.invite_code) is Attach.OK
    return case


async def send(service: Service, event: Event, update_id: int | None = None) -> str:
    replies = await service.handle(Inbound("telegram", CHAT, event, update_id))
    return "\n".join(reply.text for reply in replies)


async def test_route_marks_where_the_person_is_from_the_talks_held(
    db: Database, service: Service, clock: Clock
) -> None:
    case = await attached(service)
    planner = AppointmentService(db, NOORDWIJK, clock)
    start = datetime(2026, 12, 3, 10, 0, tzinfo=AMS)
    intake = await planner.plan(case.id, AppointmentPlan("brede_intake", start, place="ISD"))
    first = "📍 1. Getting to know each other (kennismaking)"
    assert first in await send(service, Event.cmd("route"))
    clock.now = datetime(2026, 12, 3, 12, 0, tzinfo=AMS).astimezone(UTC)
    await planner.mark(intake.id, "done")
    shown = await send(service, Event.cmd("route"))
    # The leerbaarheidstoets comes before the brede intake (seed 002): both behind now.
    assert "✓ 2. Leerbaarheidstoets" in shown and "✓ 3. Brede intake" in shown
    assert "📍 4. PIP: your plan" in shown


async def test_a_step_shows_the_pip_deadline_from_the_case_record(
    db: Database, service: Service, clock: Clock
) -> None:
    case = await attached(service)
    await set_case_record(
        db,
        case.id,
        Record(target_group="statushouder", registered_on=date(2026, 10, 1), pip_decided_on=None),
        actor="sanne",
        now=clock(),
    )
    shown = await send(service, press(JourneyStep("pip")))
    assert "Your PIP should be decided by Thursday 10 December 2026." in shown
    assert "Given here by: VluchtelingenWerk" in await send(service, press(JourneyStep("pvt")))


async def test_without_a_case_the_journey_is_shown_without_marks(service: Service) -> None:
    shown = await send(service, Event.cmd("language"))
    shown = await send(service, Event.press("lang:en"))
    shown = await send(service, Event.cmd("route"))
    assert "1. Getting to know each other (kennismaking)" in shown and "📍" not in shown


async def test_an_intake_answer_still_costs_no_journey_read(db: Database, service: Service) -> None:
    """The case record and the appointments are read for /route only: the hot path of
    the intake keeps its statement count (tests/core/test_service_statements.py)."""
    await attached(service)
    await send(service, Event.press("lang:en"), update_id=1)
    with counting(db) as statements:
        await send(service, Event.press("c:yes"), update_id=2)
    assert not any("FROM appointment" in s for s in statements), listing(statements)
    with counting(db) as statements:
        await send(service, Event.cmd("route"), update_id=3)
    assert sum("FROM appointment" in s for s in statements) == 1, listing(statements)


def test_the_facts_are_the_record_and_the_kinds_held() -> None:
    case = Case(id="c1", invite_code="X", target_group="nareiziger", registered_on=date(2026, 1, 5))
    rows = [
        Appointment(case_id="c1", kind="brede_intake", starts_at=NOW_, ends_at=NOW_, status="done"),
        Appointment(case_id="c1", kind="pip", starts_at=NOW_, ends_at=NOW_, status="missed"),
        Appointment(case_id="c1", kind="kennismaking", starts_at=NOW_, ends_at=NOW_, status="done"),
    ]
    assert journey_facts(case, rows) == JourneyFacts(
        target_group="nareiziger",
        registered_on=date(2026, 1, 5),
        held=("brede_intake", "kennismaking"),
    )


@pytest.mark.parametrize(
    "name", ["example", "gooise-meren.example", "noordwijk.example", "rijswijk.example"]
)
def test_every_example_file_gives_the_law_s_figures(name: str) -> None:
    context = journey_context(load_municipality(MUNICIPALITIES / f"{name}.toml"))
    figures = {f.name for f in dataclasses.fields(LAW)} - {
        "map_by", "pvt_by", "money_course", "money_course_by",
    }  # fmt: skip
    assert {f: getattr(context, f) for f in figures} == {f: getattr(LAW, f) for f in figures}


def test_a_file_with_another_fine_changes_the_context(tmp_path: Path) -> None:
    text = (MUNICIPALITIES / "noordwijk.example.toml").read_text(encoding="utf-8")
    path = tmp_path / "other.toml"
    path.write_text(text + "\n[fines]\npip = 500\n", encoding="utf-8")
    context = journey_context(load_municipality(path))
    assert context.fine_pip == 500 and context.fine_brede_intake == LAW.fine_brede_intake
    assert context.pvt_by == "VluchtelingenWerk" and context.map_by == "MareGroep / SPW"
