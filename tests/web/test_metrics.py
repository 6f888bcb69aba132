"""The metrics listener (`bot.web.metrics`): `/metrics` on an address of its own, with
the figures read from the database when scraped, the probes, nothing else; never on a
port that serves people."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.core.app import StartupError, build
from bot.settings import Settings
from bot.web.metrics import check_metrics_address, metrics_app
from storage import CaseRepository
from tests.clock import Clock
from tests.conftest import fresh_sqlite


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
