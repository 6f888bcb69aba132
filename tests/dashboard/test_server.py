"""`server`: the first start makes one admin and prints its password once, on the
terminal only."""

from __future__ import annotations

import io

from bot.dashboard.server import ensure_first_admin
from storage import AuditRepository
from tests.dashboard.conftest import Dashboard


async def test_the_first_start_makes_one_admin_and_prints_the_password_once(
    dashboard: Dashboard,
) -> None:
    out = io.StringIO()
    password = await ensure_first_admin(dashboard.app, dashboard.passwords, out=out)
    assert password is not None and password in out.getvalue()
    assert await ensure_first_admin(dashboard.app, dashboard.passwords, out=out) is None
    assert out.getvalue().count(password) == 1
    client = await dashboard.login("admin", password)
    assert "Auditlog" in (await client.get("/")).text
    async with dashboard.app.db.session() as session:
        entries = await AuditRepository(session).list(action="user.")
    assert [(e.actor, e.target) for e in entries] == [("system", "admin")]
