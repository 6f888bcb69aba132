"""The Teksten page: translators (per language) review and correct texts; everyone else
has no such page, and a translator who is no consulent has no caseload."""

from __future__ import annotations

import html

from bot.core.translations import key_of
from flows import texts as T
from storage import AuditRepository, User, UserRepository
from tests.dashboard.conftest import Dashboard, post, token_of

CURRENT = key_of("", T.CURRENT_ANSWER)  # "Your answer now: {answer}"
CONSENT_YES = key_of("", T.CONSENT_YES)


async def translator(dashboard: Dashboard, name: str, languages: str) -> User:
    user = await dashboard.add_user(name)
    async with dashboard.app.db.session() as session, session.begin():
        found = await UserRepository(session).by_username(name)
        assert found is not None
        found.translates, found.is_consulent = languages, False
        session.add(found)
    return user


async def test_a_tigrinya_translator_corrects_a_text(dashboard: Dashboard) -> None:
    await translator(dashboard, "hagos", "ti")
    client = await dashboard.login("hagos")
    start = await client.get("/", follow_redirects=True)
    assert start.url.path == "/teksten/ti" and "Teksten" in start.text
    assert "Caseload" not in start.text  # no caseload for a translator only
    page = f"/teksten/ti/{CURRENT}"
    saved = await post(client, page, {"form0": "መልሲ ሕጂ፦ {answer}", "action": "save"}, page=page)
    assert saved.status_code == 303, saved.text
    listing = await client.get("/teksten/ti?status=gecontroleerd")
    assert "መልሲ ሕጂ፦ {answer}" in listing.text and "aangepast" in listing.text
    async with dashboard.app.db.session() as session:
        audit = await AuditRepository(session).list(action="text.")
    assert [(a.actor, a.action, a.target) for a in audit] == [
        ("hagos", "text.correct", f"ti/{CURRENT}")
    ]


async def test_a_refusal_says_why_in_dutch_and_keeps_what_was_typed(
    dashboard: Dashboard,
) -> None:
    await translator(dashboard, "hagos", "ti")
    client = await dashboard.login("hagos")
    page = f"/teksten/ti/{CURRENT}"
    typed = "መልሲ ሕጂ ኣሎ ኢዩ"
    refused = await post(client, page, {"form0": typed, "action": "save"}, page=page)
    assert refused.status_code == 422
    assert "Niet opgeslagen" in refused.text
    assert "tijdelijke aanduidingen" in html.unescape(refused.text)
    assert f">{typed}</textarea>" in refused.text
    latin = await post(client, page, {"form0": "Mels hiji: {answer}", "action": "save"}, page=page)
    assert latin.status_code == 422
    assert "Ethiopische (Ge&#39;ez) schrift" in latin.text


async def test_the_preview_shows_telegram_the_web_chat_and_the_bilingual_line(
    dashboard: Dashboard,
) -> None:
    await translator(dashboard, "samira", "ar")
    client = await dashboard.login("samira")
    page = f"/teksten/ar/{CURRENT}"
    shown = await post(
        client, page, {"form0": "جوابك الحالي: {answer}", "action": "preview"}, page=page
    )
    assert shown.status_code == 200
    text = html.unescape(shown.text)
    assert text.count("جوابك الحالي:") >= 3  # Telegram, web chat, bilingual
    assert "Je antwoord nu:" in text or "antwoord" in text  # the Dutch underneath
    assert 'dir="rtl"' in shown.text
    assert (await client.get("/teksten/ar")).text.count("جوابك الحالي") == 0  # not saved


async def test_an_arabic_translator_cannot_change_tigrinya(dashboard: Dashboard) -> None:
    await translator(dashboard, "samira", "ar")
    client = await dashboard.login("samira")
    assert (await client.get(f"/teksten/ti/{CONSENT_YES}")).status_code == 403
    tried = await post(client, f"/teksten/ti/{CONSENT_YES}/goedgekeurd", page="/teksten/ar")
    assert tried.status_code == 403
    assert (await client.get("/teksten/ti")).status_code == 403


async def test_a_consulent_without_the_role_has_no_teksten_page(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    assert (await client.get("/teksten")).status_code == 403
    assert (await client.get("/teksten/ar")).status_code == 403
    assert "Teksten" not in (await client.get("/")).text


async def test_a_translator_sees_no_case(dashboard: Dashboard) -> None:
    await translator(dashboard, "hagos", "ti")
    case = await dashboard.case(consulent=None)
    client = await dashboard.login("hagos")
    assert (await client.get(f"/cases/{case.id}")).status_code == 404
    assert (await post(client, "/cases", {"label": "x"}, page="/teksten/ti")).status_code == 404


async def test_approving_counts_in_the_share(dashboard: Dashboard) -> None:
    await translator(dashboard, "samira", "ar")
    client = await dashboard.login("samira")
    before = await client.get("/teksten/ar")
    assert 'data-share="0"' in before.text
    done = await post(client, f"/teksten/ar/{CONSENT_YES}/goedgekeurd", page="/teksten/ar")
    assert done.status_code == 303
    after = await client.get("/teksten/ar?status=gecontroleerd")
    assert "(1 van" in after.text


async def test_an_admin_makes_a_consulent_a_translator(dashboard: Dashboard) -> None:
    await dashboard.add_user("root", admin=True)
    await dashboard.add_user("anna")
    admin = await dashboard.login("root")
    done = await post(admin, "/users/anna/vertaler", {"lang_ar": "1"}, page="/users")
    assert done.status_code == 303
    anna = await dashboard.login("anna")
    assert (await anna.get("/teksten/ar")).status_code == 200
    assert (await anna.get("/")).status_code == 200  # still a consulent
    async with dashboard.app.db.session() as session:
        audit = await AuditRepository(session).list(action="user.translator")
    assert [(a.actor, a.target, a.detail) for a in audit] == [("root", "anna", "ar")]


async def test_a_spreadsheet_downloaded_and_uploaded_reports_nothing_changed(
    dashboard: Dashboard,
) -> None:
    await translator(dashboard, "samira", "ar")
    client = await dashboard.login("samira")
    sheet = await client.get("/teksten/ar/export/xlsx")
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"
    token = await token_of(client, "/teksten/ar/bestand")
    uploaded = await client.post(
        "/teksten/ar/bestand",
        data={"csrf_token": token},
        files={"file": ("ar.xlsx", sheet.content, "application/octet-stream")},
    )
    assert uploaded.status_code == 200, uploaded.text
    assert "0 aangepast, 0 goedgekeurd, 0 geweigerd" in uploaded.text
    wrong = await client.post(
        "/teksten/ar/bestand",
        data={"csrf_token": token},
        files={
            "file": (
                "ti.po",
                (await client.get("/teksten/ar/export/po")).content.replace(
                    b"Language: ar", b"Language: ti"
                ),
                "text/plain",
            )
        },
    )
    assert wrong.status_code == 422 and "geen vertaler" in wrong.text
