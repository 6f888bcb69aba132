"""The metrics that live in memory or are read from the database when scraped, and the
listener that serves them on an address of its own."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY

from bot.core.app import StartupError, build
from bot.core.metrics import LATE_AFTER, reminder_done
from bot.core.metrics_http import check_metrics_address, metrics_app
from bot.settings import Settings
from storage import CaseRepository
from tests.clock import Clock
from tests.conftest import fresh_sqlite


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_reminder_sent_more_than_five_minutes_after_it_was_due_is_also_late() -> None:
    clock = Clock()
    due = clock()
    before = {o: value("wegwijs_reminders_total", outcome=o) for o in ("sent", "late", "failed")}
    reminder_done("sent", due, due + LATE_AFTER)
    reminder_done("sent", due, due + LATE_AFTER + timedelta(seconds=1))
    reminder_done("failed", due, due)
    after = {o: value("wegwijs_reminders_total", outcome=o) for o in before}
    assert {o: after[o] - before[o] for o in before} == {"sent": 2, "late": 1, "failed": 1}


async def test_metrics_show_open_cases_by_status_when_scraped_and_nothing_else_is_served(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    url = fresh_sqlite(migrated_sqlite, tmp_path).url
    app = build(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
    clock = Clock()
    async with app.db.session() as session, session.begin():
        cases = CaseRepository(session)
        for _ in range(3):
            await cases.create(now=clock(), consulent="anna")
        await cases.create(now=clock(), consulent="anna", practice=True)
    transport = httpx.ASGITransport(app=metrics_app(app, clock))
    async with httpx.AsyncClient(transport=transport, base_url="http://m") as client:
        response = await client.get("/metrics")
        assert response.status_code == 200
        assert 'wegwijs_open_cases{status="invited"} 3.0' in response.text
        assert 'wegwijs_open_cases{status="submitted"} 0.0' in response.text
        assert "wegwijs_reminders_due 0.0" in response.text
        assert (await client.get("/readyz")).status_code == 200
        assert (await client.get("/")).status_code == 404
    await app.db.dispose()


def test_the_metrics_never_share_a_port_with_a_listener_that_serves_people() -> None:
    with pytest.raises(StartupError, match="port 8001"):
        check_metrics_address(("127.0.0.1", 8001), ("0.0.0.0", 8001), None)
    check_metrics_address(("127.0.0.1", 9100), ("127.0.0.1", 8001), ("127.0.0.1", 8000))


def test_no_wegwijs_metric_has_a_label_that_could_name_a_person() -> None:
    """Every label of every Wegwijs metric is a kind, an outcome, a code or a step."""
    allowed = {"kind", "outcome", "method", "code", "step", "status"}
    for metric in REGISTRY.collect():
        if metric.name.startswith("wegwijs_"):
            for sample in metric.samples:
                assert set(sample.labels) <= allowed | {"le"}, metric.name
