"""What an attacker probing the dashboard from outside found (issue #16), held: logins
in flight are all counted, unknown names answer as known ones, every error has its
real status, ids out of range are 404, free text is cleaned, links are encoded."""

from __future__ import annotations

import asyncio
import re
from collections import Counter

import pytest
from fastapi.routing import APIRoute
from sqlmodel import select

from storage import Appointment, Case, CaseRepository, PersonRequestRepository
from tests.dashboard.conftest import Dashboard, post, token_of, try_login

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
OUT_OF_RANGE = ("9223372036854775808", "99999999999999999999", "-9223372036854775809")
WRONG = "wrong password"


async def logins(dashboard: Dashboard, attempts: list[tuple[str, str]]) -> list[int]:
    """The attempts at the same moment, each from its own browser (one address)."""
    clients = [dashboard.client() for _ in attempts]
    responses = await asyncio.gather(
        *(
            try_login(c, name, password)
            for c, (name, password) in zip(clients, attempts, strict=True)
        )
    )
    return [r.status_code for r in responses]


# -- the throttles ------------------------------------------------------------------------


async def test_twenty_wrong_logins_at_once_lock_the_account_after_five(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    statuses = await logins(dashboard, [("anna", WRONG)] * 20)
    assert Counter(statuses) == {401: 5, 429: 15}
    assert (await try_login(dashboard.client(), "anna", "correct horse")).status_code == 429


async def test_forty_wrong_logins_at_once_from_one_address_stop_at_twenty(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    statuses = await logins(dashboard, [(f"guess{n}", WRONG) for n in range(40)])
    assert Counter(statuses) == {401: 20, 429: 20}
    assert (await try_login(dashboard.client(), "anna", "correct horse")).status_code == 429


async def test_the_right_password_among_wrong_ones_does_not_get_past_the_lock(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    first = await logins(dashboard, [("anna", WRONG)] * 15)
    assert Counter(first) == {401: 5, 429: 10}  # the lock is reached
    second = await logins(dashboard, [("anna", WRONG)] * 15 + [("anna", "correct horse")])
    assert set(second) == {429}  # the right password among them gets no further


async def test_a_name_that_is_no_user_answers_as_a_user_does(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")

    async def answers(name: str) -> list[tuple[int, str]]:
        found = []
        for _ in range(7):
            response = await try_login(dashboard.client(), name, WRONG)
            error = re.search(r'class="error"[^>]*>([^<]*)<', response.text)
            found.append((response.status_code, error.group(1) if error else response.text))
        return found

    known, unknown = await answers("anna"), await answers("nobody")
    assert [s for s, _ in known] == [401] * 5 + [429] * 2
    assert known == unknown


# -- errors with their real status ----------------------------------------------------------


def routes(dashboard: Dashboard) -> list[APIRoute]:
    return [r for r in dashboard.web.app.routes if isinstance(r, APIRoute)]  # type: ignore[attr-defined]


def concrete(path: str, case_id: str) -> str:
    values = {"case_id": case_id, "appointment_id": "1", "request_id": "1"}
    values |= {"lang": "ar", "key": "0" * 24, "kind": "xlsx", "name": "anna"}  # Teksten
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


@pytest.mark.parametrize("logged_in", [False, True])
async def test_every_route_answers_a_wrong_method_with_405_and_allow(
    dashboard: Dashboard, logged_in: bool
) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna") if logged_in else dashboard.client()
    allowed_on: dict[str, set[str]] = {}
    for route in routes(dashboard):
        allowed_on.setdefault(route.path, set()).update(route.methods)
    checked = 0
    for template, methods in allowed_on.items():
        path = concrete(template, case.id)
        for method in METHODS:
            if method in methods or (method == "HEAD" and "GET" in methods):
                continue  # HEAD is answered as GET (HeadAsGet)
            response = await client.request(method, path)
            assert response.status_code == 405, (method, path, response.status_code)
            allowed = set(response.headers["allow"].replace(" ", "").split(","))
            assert allowed == methods, (method, path)
            if method != "HEAD":
                assert "Niet gelukt" in response.text
            checked += 1
    assert checked > 50


async def test_a_megabyte_form_is_413_and_malformed_forms_are_400(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    token = await token_of(client)
    big = await client.post("/cases", data={"csrf_token": token, "label": "x" * 1024 * 1024})
    assert big.status_code == 413 and "te groot" in big.text
    login_big = await dashboard.client().post("/login", data={"password": "x" * 1024 * 1024})
    assert login_big.status_code == 413

    async def chunks():  # no Content-Length: counted as it arrives
        yield f"csrf_token={token}&label=".encode()
        for _ in range(16):
            yield b"x" * 65536

    streamed = await client.post(
        "/cases", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413
    fields = {f"f{n}": "1" for n in range(2000)}
    many = await client.post("/cases", data={"csrf_token": token, **fields})
    assert many.status_code == 400
    no_boundary = await client.post(
        "/cases", content=b"--x\r\n", headers={"content-type": "multipart/form-data"}
    )
    assert no_boundary.status_code == 400 and "Niet gelukt" in no_boundary.text
    async with dashboard.app.db.session() as session:
        assert await CaseRepository(session).list() == []


async def test_ids_out_of_range_are_404_on_every_route_that_takes_one(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna", admin=True)
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    token = await token_of(client)
    checked = 0
    for route in routes(dashboard):
        if "{appointment_id}" not in route.path and "{request_id}" not in route.path:
            continue
        for number in OUT_OF_RANGE:
            path = re.sub(r"\{(appointment_id|request_id)\}", number, route.path)
            path = path.replace("{case_id}", case.id)
            for method in route.methods - {"HEAD"}:
                response = await client.request(method, path, data={"csrf_token": token})
                assert response.status_code == 404, (method, path, response.status_code)
                assert "Niet gevonden" in response.text
                checked += 1
    assert checked == 15  # 5 route methods with an id × 3 numbers
    for number in OUT_OF_RANGE[:2]:
        assert (await client.get(f"/audit?page={number}")).status_code == 404


async def test_a_request_id_of_another_case_is_404(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    mine, other = await dashboard.case("anna"), await dashboard.case("anna")
    async with dashboard.app.db.session() as session, session.begin():
        asked = await PersonRequestRepository(session).create(
            other.id, "telegram", now=dashboard.clock()
        )
    client = await dashboard.login("anna")
    path = f"/cases/{mine.id}/requests/{asked.id}"
    assert (await post(client, path, page=f"/cases/{mine.id}")).status_code == 404


# -- free text, links, static files -------------------------------------------------------


async def test_a_bidi_override_label_is_cleaned(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    await post(client, "/cases", {"label": "\u202egnp.exe\u202c\u200b"})
    async with dashboard.app.db.session() as session:
        (case,) = (await session.exec(select(Case))).all()
    assert case.label == "gnp.exe"
    await post(client, f"/cases/{case.id}/label", {"label": "mw.\x07 Osman\u2066"}, page="/")
    caseload = (await client.get("/")).text
    assert "mw. Osman" in caseload and "\u202e" not in caseload and "\u2066" not in caseload
    too_long = await post(client, f"/cases/{case.id}/label", {"label": "x" * 81}, page="/")
    assert too_long.status_code == 400 and "hoogstens 80 tekens" in too_long.text


async def test_appointment_place_name_and_notes_are_cleaned(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    path = f"/cases/{case.id}/appointments"
    day = dashboard.clock().date().toordinal() + 2
    fields = {
        "kind": "brede_intake",
        "day": type(dashboard.clock().date()).fromordinal(day).isoformat(),
        "start": "10:00",
        "mode": "in_person",
        "place": "Markt\u202e 1",
        "with_role": "consulent",
        "with_name": "\u200bAnna\u0000",
        "notes": "tolk\u202d nodig\nbellen",
    }
    done = await post(client, path, fields, page=path)
    assert done.status_code == 303, done.text
    async with dashboard.app.db.session() as session:
        (made,) = (await session.exec(select(Appointment))).all()
    assert (made.place, made.with_name, made.notes) == ("Markt 1", "Anna", "tolk nodig\nbellen")
    refused = await post(client, path, {**fields, "notes": "x" * 501}, page=path)
    assert refused.status_code == 400 and "hoogstens 500 tekens" in refused.text


async def test_pagination_and_sort_links_encode_the_filters(dashboard: Dashboard) -> None:
    await dashboard.add_user("beheer", admin=True)
    await dashboard.case("beheer", "gezin Haddad")
    client = await dashboard.login("beheer")
    audit = await client.get("/audit", params={"page": "2", "actor": "a&page=9", "action": "x"})
    assert "actor=a%26page%3D9" in audit.text and "actor=a&amp;page=9" not in audit.text
    caseload = await client.get("/", params={"status": "all", "sort": "name"})
    assert 'href="?sort=name&amp;order=desc&amp;flag=&amp;status=all"' in caseload.text


async def test_static_files_are_revalidated(dashboard: Dashboard) -> None:
    response = await dashboard.client().get("/static/style.css")
    assert response.status_code == 200 and response.headers["etag"]
    assert response.headers["cache-control"] == "no-cache"
    again = await dashboard.client().get(
        "/static/style.css", headers={"if-none-match": response.headers["etag"]}
    )
    assert again.status_code == 304
