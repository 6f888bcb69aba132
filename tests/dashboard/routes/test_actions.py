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
    # The confirmation page shows the label and the invite code: a view, audited.
    assert (await client.get(f"/cases/{case.id}/erase")).status_code == 200
    viewed = [(e.action, e.target, e.detail) for e in await audit(dashboard)]
    assert viewed[-1] == ("case.view", case.id, "erase")
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


async def test_unbinding_all_browsers_raises_the_binding_version_and_is_audited(
    dashboard: Dashboard,
) -> None:
    """The consulent's way to end the web chat on a lost or shared device: every
    browser bound before is refused (the web chat's tests show it), nothing is erased."""
    await dashboard.add_user("anna")
    case = await haddad(dashboard)
    client = await dashboard.login("anna")
    page = (await client.get(f"/cases/{case.id}")).text
    assert f'action="/cases/{case.id}/unbind"' in page
    refused = await client.post(f"/cases/{case.id}/unbind", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    done = await post(client, f"/cases/{case.id}/unbind", page=f"/cases/{case.id}")
    assert done.headers["location"] == f"/cases/{case.id}?m=unbound"
    assert "ontkoppeld" in (await client.get(done.headers["location"])).text
    async with dashboard.app.db.session() as session:
        fresh = await CaseRepository(session).get(case.id)
    assert fresh is not None and fresh.binding_version == 1 and fresh.label == "gezin Haddad"
    unbound = [e for e in await audit(dashboard) if e.action == "case.unbind"]
    assert [(e.actor, e.target) for e in unbound] == [("anna", case.id)]
