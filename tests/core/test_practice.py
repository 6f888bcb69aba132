"""Practice cases ("Try it without a code"): a real conversation, nobody's case, erased
after a day by the worker's upkeep."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.core.app import build
from bot.core.practice import PRACTICE_LIFETIME, purge_practice, start_practice
from bot.core.service import Service
from bot.settings import Settings
from bot.system import maintenance_jobs
from storage import AccountRepository, CaseRepository
from storage.db import Database
from tests.clock import Clock


def _service(db: Database, clock: Clock, tmp_path: Path) -> Service:
    app = build(Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'x.db'}"))  # type: ignore[call-arg]
    return Service(db, app.engine, app.renderer, clock)


async def test_a_practice_case_is_bound_and_its_code_used_up(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    service = _service(db, clock, tmp_path)
    assert await start_practice(service, "web", 4242)
    async with db.session() as session:
        account = await AccountRepository(session).get_or_create("web", 4242, clock())
        case = await CaseRepository(session).get(account.case_id or "")
    assert case is not None and case.practice and case.invite_used_at is not None
    assert case.consulent is None


async def test_practice_cases_go_a_day_after_they_began_and_real_cases_stay(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    service = _service(db, clock, tmp_path)
    await start_practice(service, "web", 1)
    async with db.session() as session, session.begin():
        real = await CaseRepository(session).create(now=clock() - timedelta(days=30))
    clock.advance(seconds=PRACTICE_LIFETIME.total_seconds() - 1)
    assert await purge_practice(db, clock()) == 0
    clock.advance(seconds=2)
    assert await purge_practice(db, clock()) == 1
    async with db.session() as session:
        assert await CaseRepository(session).get(real.id) is not None
        assert await CaseRepository(session).practice_created_before(clock()) == []


async def test_the_workers_upkeep_erases_old_practice_cases(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    app = build(Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'x.db'}"))  # type: ignore[call-arg]
    app.db = db
    app.service = Service(db, app.engine, app.renderer, clock)
    await start_practice(app.service, "web", 7)
    clock.advance(days=2)
    for job in maintenance_jobs(app):
        await job(clock())
    async with db.session() as session:
        assert await CaseRepository(session).practice_created_before(clock()) == []
