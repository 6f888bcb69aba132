"""`routes.actions`, over HTTP: erasing (with the code; only counts are left), handling a
person's requests, a label, closing a case."""

from __future__ import annotations

import re

from storage import CaseRepository, PersonRequestRepository
from tests.dashboard.conftest import Dashboard, audit, haddad, post


async def test_erasing_needs_the_code_and_leaves_only_counts(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    case = await haddad(dashboard)
    client = await dashboard.login("anna")
    wrong = await post(
        client, f"/cases/{case.id}/erase", {"confirm": "AAAA-BBBB"}, page=f"/cases/{case.id}/erase"
    )
    assert wrong.status_code == 400 and "Er is niets gewist" in wrong.text
    done = await post(
        client,
        f"/cases/{case.id}/erase",
        {"confirm": case.invite_code.lower().replace("-", " ")},
        page=f"/cases/{case.id}/erase",
    )
    assert done.headers["location"] == "/?m=erased"
    async with dashboard.app.db.session() as session:
        assert await CaseRepository(session).get(case.id) is None
    (erased,) = [e for e in await audit(dashboard) if e.action == "case.erase"]
    # As `/delete` and the retention purge write it: no case id, counts only (#13).
    assert erased.target is None and erased.detail is not None
    assert erased.detail.startswith("erased by staff: 1 case(s), 1 account(s), ")
    assert (await client.get(f"/cases/{case.id}")).status_code == 404


async def test_requests_for_a_person_are_shown_and_marked_handled(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna", "dhr. Karimi")
    async with dashboard.app.db.session() as session, session.begin():
        request = await PersonRequestRepository(session).create(
            case.id, "telegram", topic="debts", now=dashboard.clock()
        )
    client = await dashboard.login("anna")
    page = (await client.get(f"/cases/{case.id}")).text
    assert "Wil iemand spreken" in page
    assert re.search(r"over: <strong>[^<]*[Ss]chulden", page)  # the topic, in Dutch
    handled = await post(
        client, f"/cases/{case.id}/requests/{request.id}", page=f"/cases/{case.id}"
    )
    assert handled.headers["location"].endswith("?m=handled")
    async with dashboard.app.db.session() as session:
        assert await PersonRequestRepository(session).open_for_case(case.id) == []
    again = await post(client, f"/cases/{case.id}/requests/{request.id}", page=f"/cases/{case.id}")
    assert again.status_code == 404


async def test_label_and_close(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    await post(client, f"/cases/{case.id}/label", {"label": "mw. Osman"}, page=f"/cases/{case.id}")
    await post(client, f"/cases/{case.id}/close", page=f"/cases/{case.id}")
    async with dashboard.app.db.session() as session:
        fresh = await CaseRepository(session).get(case.id)
    assert fresh is not None and fresh.label == "mw. Osman" and fresh.status == "closed"
    assert fresh.closed_at == dashboard.clock()
    actions = [e.action for e in await audit(dashboard) if e.action != "case.view"]
    assert actions[-2:] == ["case.label", "case.close"]
