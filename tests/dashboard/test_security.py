"""The dashboard's security: sessions, CSRF, case access, throttling, headers, escaping."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from sqlmodel import select

from bot.dashboard.security import SESSION_COOKIE
from storage import AnswerRepository, AuditEntry, Case, CaseRepository
from tests.dashboard.conftest import Dashboard, post, token_of, try_login

PARAMS = {
    "case_id": "0" * 32,
    "appointment_id": "1",
    "request_id": "1",
    # Teksten (tests/dashboard/test_texts.py): a language, a text's key, a file kind, a user.
    "lang": "ar",
    "key": "0" * 24,
    "kind": "xlsx",
    "name": "anna",
}


def routes(dashboard: Dashboard) -> list[tuple[str, str]]:
    found = []
    for route in dashboard.web.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, APIRoute) or route.path == "/login":
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: PARAMS[m.group(1)], route.path)
        found += [(method, path) for method in sorted(route.methods)]
    return found


async def test_every_route_without_a_session_redirects_to_the_login_page(
    dashboard: Dashboard,
) -> None:
    client = dashboard.client()
    checked = routes(dashboard)
    assert len(checked) >= 20  # the whole dashboard, not a handful
    for method, path in checked:
        response = await client.request(method, path, data={"csrf_token": "x"})
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"].startswith("/login"), (method, path)


async def test_malformed_paths_are_the_login_page_or_a_dutch_404(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    path = f"/cases/{case.id}/appointments/not-a-number"
    anonymous = await dashboard.client().get(path)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    client = await dashboard.login("anna")
    found = await client.get(path)
    assert found.status_code == 404 and "Niet gevonden" in found.text
    assert found.headers["content-type"].startswith("text/html")


async def test_a_forged_or_stale_session_cookie_is_no_session(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    good = client.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    assert (await client.get("/")).status_code == 303
    client.cookies.set(SESSION_COOKIE, good)
    assert (await client.get("/")).status_code == 200
    dashboard.clock.advance(hours=1, minutes=1)  # idle longer than an hour
    assert (await client.get("/")).headers["location"] == "/login"


async def test_a_session_ends_after_a_working_day_even_when_used(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    for _ in range(10):
        dashboard.clock.advance(minutes=59)
        assert (await client.get("/")).status_code == 200  # renewed while in use
    dashboard.clock.advance(minutes=15)
    assert (await client.get("/")).status_code == 303


async def test_logout_ends_the_session_also_for_a_copied_cookie(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    copied = client.cookies[SESSION_COOKIE]
    response = await post(client, "/logout")
    assert response.headers["location"].startswith("/login")
    other = dashboard.client()
    other.cookies.set(SESSION_COOKIE, copied)
    assert (await other.get("/")).status_code == 303


async def test_consulent_a_gets_404_for_consulent_bs_case_on_every_case_page(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    await dashboard.add_user("bram")
    theirs = await dashboard.case("bram", "gezin Bakari")
    anna = await dashboard.login("anna")
    token = await token_of(anna)
    for method, path in routes(dashboard):
        if "/cases/" not in path:
            continue
        path = path.replace(PARAMS["case_id"], theirs.id)
        response = await anna.request(
            method, path, data={"csrf_token": token, "format": "csv", "confirm": theirs.invite_code}
        )
        assert response.status_code == 404, (method, path, response.status_code)
        assert "gezin Bakari" not in response.text
    caseload = await anna.get("/")
    assert "gezin Bakari" not in caseload.text
    async with dashboard.app.db.session() as session:
        assert await CaseRepository(session).get(theirs.id) is not None  # nothing erased
        refused = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "case.refused"))
        ).all()
    # Every refused attempt is in the audit log: who tried which case, how.
    tried = [(m, p.replace(PARAMS["case_id"], theirs.id)) for m, p in routes(dashboard)]
    # (Handing a case over is an admin's page: refused before any case is looked up.)
    tried = [f"{m} {p}" for m, p in tried if "/cases/" in p and not p.endswith("/assign")]
    assert sorted(e.detail or "" for e in refused) == sorted(tried)
    assert {(e.actor, e.target) for e in refused} == {("anna", theirs.id)}

    bram = await dashboard.login("bram")
    assert (await bram.get(f"/cases/{theirs.id}")).status_code == 200


async def test_an_admin_sees_every_case_and_can_reassign(dashboard: Dashboard) -> None:
    await dashboard.add_user("beheer", admin=True)
    await dashboard.add_user("bram")
    await dashboard.add_user("anna")
    case = await dashboard.case("bram", "gezin Bakari")
    admin = await dashboard.login("beheer")
    assert "gezin Bakari" in (await admin.get("/")).text
    response = await post(
        admin, f"/cases/{case.id}/assign", {"consulent": "anna"}, page=f"/cases/{case.id}"
    )
    assert response.status_code == 303
    anna = await dashboard.login("anna")
    assert (await anna.get(f"/cases/{case.id}")).status_code == 200
    bram = await dashboard.login("bram")
    assert (await bram.get(f"/cases/{case.id}")).status_code == 404
    assert (await bram.get("/audit")).status_code == 404  # admin pages are not theirs either


async def test_a_form_post_without_the_csrf_token_is_refused(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    missing = await client.post("/cases", data={"label": "gezin Haddad"})
    wrong = await client.post("/cases", data={"label": "gezin Haddad", "csrf_token": "abc"})
    assert missing.status_code == wrong.status_code == 403
    async with dashboard.app.db.session() as session:
        assert await CaseRepository(session).list() == []
    ok = await post(client, "/cases", {"label": "gezin Haddad"})
    assert ok.status_code == 303


async def test_the_login_form_has_its_own_csrf_token(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = dashboard.client()
    response = await client.post(
        "/login", data={"username": "anna", "password": "correct horse", "csrf_token": "x"}
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


async def test_wrong_passwords_are_throttled_per_account(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = dashboard.client()
    for _ in range(5):
        assert (await try_login(client, "anna", "wrong password")).status_code == 401
    refused = await try_login(client, "anna", "correct horse")
    assert refused.status_code == 429  # even the right password, for a while
    assert "Te veel mislukte pogingen" in refused.text
    dashboard.clock.advance(minutes=1, seconds=1)
    assert (await try_login(client, "anna", "wrong again")).status_code == 401
    assert (await try_login(client, "anna", "correct horse")).status_code == 429  # 2 minutes now
    dashboard.clock.advance(minutes=2, seconds=1)
    assert (await try_login(client, "anna", "correct horse")).status_code == 303


async def test_a_locked_account_still_gets_in_from_an_address_that_did_not_fail(
    dashboard: Dashboard,
) -> None:
    """Anyone could lock any account with 20 wrong passwords: the lock is on the
    account from the address that failed, so the consulent at their own desk gets in."""
    await dashboard.add_user("anna")
    attacker = dashboard.client("198.51.100.66")
    statuses = [(await try_login(attacker, "anna", "wrong")).status_code for _ in range(20)]
    assert statuses == [401] * 5 + [429] * 15
    assert (await try_login(attacker, "anna", "correct horse")).status_code == 429
    desk = dashboard.client("203.0.113.7")
    assert (await try_login(desk, "anna", "correct horse")).status_code == 303
    # The desk's success does not lift the attacker's lock.
    assert (await try_login(attacker, "anna", "correct horse")).status_code == 429


async def test_a_success_resets_only_its_own_addresss_count(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    desk = dashboard.client("203.0.113.7")
    for _ in range(4):
        assert (await try_login(desk, "anna", "wrong")).status_code == 401
    assert (await try_login(desk, "anna", "correct horse")).status_code == 303
    desk = dashboard.client("203.0.113.7")  # logged out again
    for _ in range(5):
        assert (await try_login(desk, "anna", "wrong")).status_code == 401
    assert (await try_login(desk, "anna", "wrong")).status_code == 429


async def test_wrong_logins_are_throttled_per_address_for_unknown_names_too(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    client = dashboard.client()
    for number in range(20):
        assert (await try_login(client, f"guess{number}", "x")).status_code == 401
    assert (await try_login(client, "anna", "correct horse")).status_code == 429
    dashboard.clock.advance(minutes=16)
    assert (await try_login(client, "anna", "correct horse")).status_code == 303


async def test_failed_logins_are_audited_without_what_was_typed(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = dashboard.client()
    await try_login(client, "my secret password", "x")
    await try_login(client, "anna", "wrong")
    async with dashboard.app.db.session() as session:
        entries = (await session.exec(select(AuditEntry))).all()
    assert [(e.actor, e.action) for e in entries] == [
        ("unknown", "login.failed"),
        ("anna", "login.failed"),
    ]
    assert all("secret" not in f"{e.actor}{e.target}{e.detail}" for e in entries)


async def test_security_headers_and_cookie_attributes(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = dashboard.client()
    page = await client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    response = await try_login(client, "anna", "correct horse")
    session_cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


async def test_head_is_answered_like_get_without_a_body(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    anonymous = dashboard.client()
    for who, path in ((client, "/"), (client, "/static/style.css"), (anonymous, "/login")):
        got, head = await who.get(path), await who.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
    redirected = await anonymous.head("/")
    assert redirected.status_code == 303 and redirected.headers["location"].startswith("/login")


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
async def test_login_never_redirects_off_site(dashboard: Dashboard, target: str) -> None:
    await dashboard.add_user("anna")
    client = dashboard.client()
    page = await client.get("/login", params={"next": target})
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/login",
        data={"csrf_token": token, "username": "anna", "password": "correct horse", "next": target},
    )
    assert response.headers["location"] == "/"


async def test_free_text_is_escaped_and_marked_with_its_language(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    async with dashboard.app.db.session() as session, session.begin():
        await AnswerRepository(session).record(
            case.id,
            "goals.own_words",
            free_text='أريد <script>alert(1)</script><img src=x onerror="alert(2)">',
            text_lang="ar",
            at=dashboard.clock(),
        )
    client = await dashboard.login("anna")
    page = (await client.get(f"/cases/{case.id}")).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert re.search(r'<p class="free-text" lang="ar" dir="rtl">أريد &lt;script&gt;', page)


async def test_a_case_label_is_escaped_everywhere(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    await post(client, "/cases", {"label": "<b onmouseover=alert(1)>Haddad</b>"})
    async with dashboard.app.db.session() as session:
        (case,) = (await session.exec(select(Case))).all()
    for path in ("/", f"/cases/{case.id}", f"/cases/{case.id}/invite", f"/cases/{case.id}/print"):
        text = (await client.get(path)).text
        assert "<b onmouseover" not in text and "&lt;b onmouseover=alert(1)&gt;" in text, path


async def test_a_trailing_slash_never_redirects_to_the_host_header(dashboard: Dashboard) -> None:
    """The framework's slash redirect was built from the Host header: `GET /login/` with
    `Host: evil.example` answered 307 to http://evil.example/login."""
    client = dashboard.client()
    response = await client.get("/login/", headers={"host": "evil.example"})
    assert "evil.example" not in response.headers.get("location", "")
    assert response.status_code == 404
