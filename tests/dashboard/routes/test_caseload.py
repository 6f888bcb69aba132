"""`routes.caseload`, over HTTP (the browser tests cover the same in Chromium): progress,
flags, requests and filters."""

from __future__ import annotations

import re

from storage import CaseRepository, PersonRequestRepository
from tests.dashboard.conftest import Dashboard, haddad


async def test_the_caseload_shows_progress_flags_requests_and_filters(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    done = await haddad(dashboard)
    waiting = await dashboard.case("anna", "dhr. Karimi")
    async with dashboard.app.db.session() as session, session.begin():
        await PersonRequestRepository(session).create(waiting.id, "telegram", now=dashboard.clock())
    client = await dashboard.login("anna")
    page = (await client.get("/")).text
    rows = re.findall(r"<tr class=\"[^\"]*\">(.*?)</tr>", page, re.S)
    assert "dhr. Karimi" in rows[0] and "1 open" in rows[0]  # who needs what, first
    assert "gezin Haddad" in rows[1] and "100%" in rows[1] and "verstuurd" in rows[1]
    assert "Tolk nodig: Arabisch" in rows[1] and "Kinderopvang nodig" in rows[1]
    filtered = (await client.get("/", params={"flag": "childcare"})).text
    assert "gezin Haddad" in filtered and "dhr. Karimi" not in filtered
    by_name = (await client.get("/", params={"sort": "name", "order": "desc"})).text
    assert by_name.index("gezin Haddad") < by_name.index("dhr. Karimi")
    async with dashboard.app.db.session() as session, session.begin():
        await CaseRepository(session).close(
            await CaseRepository(session).get(done.id), dashboard.clock()
        )
    assert "gezin Haddad" not in (await client.get("/")).text
    assert "gezin Haddad" in (await client.get("/", params={"status": "closed"})).text
