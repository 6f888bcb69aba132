"""`routes.appointments`, over HTTP: plan, change, cancel and mark an appointment, each
audited."""

from __future__ import annotations

import re
from datetime import timedelta

from flows.i18n import LOCAL_TZ
from tests.dashboard.conftest import Dashboard, audit, haddad, post


async def test_appointments_plan_change_cancel_and_mark(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    case = await haddad(dashboard)
    client = await dashboard.login("anna")
    path = f"/cases/{case.id}/appointments"
    form = (await client.get(path)).text
    assert re.search(r'<option value="ar" selected>Arabisch</option>', form)  # as asked
    day = (dashboard.clock().astimezone(LOCAL_TZ) + timedelta(days=2)).date().isoformat()
    fields = {
        "kind": "brede_intake",
        "day": day,
        "start": "10:00",
        "mode": "in_person",
        "place": "Gemeentehuis",
        "with_role": "consulent",
        "interpreter_lang": "ar",
    }
    planned = await post(client, path, fields, page=path)
    assert planned.headers["location"] == f"{path}?m=planned"
    (appointment,) = await dashboard.app.appointments.for_case(case.id)
    assert appointment.starts_at.astimezone(LOCAL_TZ).hour == 10
    assert appointment.created_by == "anna" and appointment.interpreter_lang == "ar"
    past = await post(client, path, {**fields, "day": "2020-01-01"}, page=path)
    assert past.status_code == 400 and "al voorbij" in past.text

    moved = await post(client, f"{path}/{appointment.id}", {**fields, "start": "14:00"}, page=path)
    assert moved.headers["location"] == f"{path}?m=changed"
    too_early = await post(client, f"{path}/{appointment.id}/mark", {"outcome": "done"}, page=path)
    assert too_early.status_code == 400 and "nog niet begonnen" in too_early.text
    dashboard.clock.advance(days=3)
    client = await dashboard.login("anna")  # the session did not last three days
    marked = await post(client, f"{path}/{appointment.id}/mark", {"outcome": "done"}, page=path)
    assert marked.headers["location"] == f"{path}?m=done"
    assert "Gehouden" in (await client.get(path)).text

    second = await post(
        client,
        path,
        {
            **fields,
            "day": (dashboard.clock().astimezone(LOCAL_TZ) + timedelta(days=5)).date().isoformat(),
        },
        page=path,
    )
    assert second.status_code == 303
    later = [a for a in await dashboard.app.appointments.for_case(case.id) if a.status == "planned"]
    cancelled = await post(client, f"{path}/{later[0].id}/cancel", page=path)
    assert cancelled.headers["location"] == f"{path}?m=cancelled"
    actions = [e.action for e in await audit(dashboard) if e.action.startswith("appointment.")]
    assert actions == [
        "appointment.plan",
        "appointment.change",
        "appointment.done",
        "appointment.plan",
        "appointment.cancel",
    ]
    other = await dashboard.case("anna")
    assert (await client.get(f"/cases/{other.id}/appointments/{later[0].id}")).status_code == 404
