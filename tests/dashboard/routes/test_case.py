"""`routes.case`, over HTTP (the browser tests cover the same in Chromium): the sheet in
Dutch by the law's areas, the exports, the print view, a new invite."""

from __future__ import annotations

import csv
import io
import json
import re

from tests.dashboard.conftest import CHAT, Dashboard, audit, haddad, post
from tests.dashboard.intake import ARABIC_GOAL, complete_intake


async def test_the_sheet_is_dutch_by_the_laws_areas_with_free_text_in_the_original(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    case = await haddad(dashboard)
    client = await dashboard.login("anna")
    page = (await client.get(f"/cases/{case.id}")).text
    titles = re.findall(r'<section class="topic" id="topic-(\w+)">\s*<h2>([^<]+)</h2>', page)
    assert titles == [
        ("language", "Taal"),
        ("work", "Werk en participatie"),
        ("self_reliance", "Zelfredzaamheid"),
    ]
    assert "Voor het PIP: leerroute (B1, onderwijsroute of Z-route), KNM" in page
    subtopics = re.findall(r'<h3 class="subtopic" id="subtopic-(\w+)-(\w+)">', page)
    assert subtopics == [
        ("language", "language"),
        ("language", "reading"),
        ("language", "education"),
        ("language", "goals"),  # the language buddy
        ("work", "work"),
        ("work", "family"),  # availability
        ("work", "goals"),
        ("self_reliance", "family"),
        ("self_reliance", "daily"),
        ("self_reliance", "health_money"),
        ("self_reliance", "goals"),  # what they need help with now
    ]
    assert page.index('class="flags-box"') < page.index('class="topic"')  # flags on top
    # The new flags first, with what lies behind them.
    assert page.index("Geen DigiD of geen bankrekening") < page.index("Tolk nodig")
    assert (
        "Mogelijk onderwijsroute (als jonger dan 28): <strong>Middelbare school"
        " (Niveau Engels: Goed, ik kan een gesprek voeren)</strong>" in page
    )
    assert "Tolk nodig: <strong>Arabisch</strong>" in page
    assert "Eigen woorden, in het Arabisch" in page
    assert 'lang="ar" dir="rtl"' in page
    assert "Eerdere antwoorden (1)" in page  # Dutch now: none → some words
    assert "48 van 48" in page
    entries = await audit(dashboard)
    assert (entries[-1].actor, entries[-1].action, entries[-1].target, entries[-1].detail) == (
        "anna",
        "case.view",
        case.id,
        "sheet",
    )


async def test_export_csv_and_json_carry_the_dutch_labels_and_are_audited(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    case = await haddad(dashboard)
    client = await dashboard.login("anna")
    as_csv = await post(client, f"/cases/{case.id}/export", {"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert f'filename="wegwijs-{case.invite_code}.csv"' in as_csv.headers["content-disposition"]
    rows = {r["question_id"]: r for r in csv.DictReader(io.StringIO(as_csv.text))}
    assert rows["language.interpreter_language"]["answer"] == "Arabisch"
    assert rows["goals.own_words"]["text"] == ARABIC_GOAL
    # The new brede-intake topics, with their Dutch labels and stable codes.
    new = {
        "language.english_level": ("Niveau Engels", "good", "Goed, ik kan een gesprek voeren"),
        "reading.numeracy": ("Rekenen (eigen inschatting)", "a_little", "Een beetje"),
        "work.current_job": ("Werkt nu", "no", "Nee"),
        "family.partner_inburgering": ("Partner heeft eigen inburgering", "yes", "Ja"),
        "family.children_count": ("Aantal kinderen", "2", "Twee kinderen"),
        "family.preschool": ("Jong kind: VVE / JGZ", "jgz", "Het consultatiebureau (JGZ)"),
        "family.came_later": ("Gekomen via gezinshereniging (nareiziger)", "no", "Nee"),
        "health.kind": (
            "Gezondheid: wat voor soort (geen details)",
            "physical|hearing",
            "Mijn lichaam, bijvoorbeeld pijn of moeheid, Horen",
        ),
    }
    for question_id, (label, codes, answer) in new.items():
        row = rows[question_id]
        assert (row["question"], row["codes"], row["answer"]) == (label, codes, answer)
    assert rows["goals.help_now"]["question"] == "Heeft nu hulp nodig bij"
    assert rows["goals.help_now"]["text"] == "Een huisarts voor mijn dochter"
    assert "education.field" not in rows  # a secondary school: no diploma field asked
    as_json = json.loads((await post(client, f"/cases/{case.id}/export", {"format": "json"})).text)
    assert {"id": "childcare", "label": "Kinderopvang nodig"} in as_json["flags"]
    assert as_json["flags"][:2] == [
        {"id": "no_digid_or_bank", "label": "Geen DigiD of geen bankrekening"},
        {"id": "onderwijsroute", "label": "Mogelijk onderwijsroute (als jonger dan 28)"},
    ]
    exports = [e for e in await audit(dashboard) if e.action == "case.export"]
    assert [e.detail for e in exports] == ["csv", "json"]
    assert all(ARABIC_GOAL[:8] not in (e.detail or "") for e in await audit(dashboard))


async def test_the_print_view_has_the_history_open_and_no_forms(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    case = await haddad(dashboard)
    client = await dashboard.login("anna")
    page = (await client.get(f"/cases/{case.id}/print")).text
    assert 'media="print"' in page and "<details" not in page
    assert "Eerdere antwoorden:" in page and "Voorbereiding brede intake" in page


async def test_the_invite_can_be_made_again_and_shows_whether_it_was_used(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    created = await post(client, "/cases", {"label": "gezin Haddad", "language": "ar"})
    case_path = created.headers["location"].split("/invite")[0]
    page = (await client.get(f"{case_path}/invite")).text
    old = re.search(r"start=(\w+)", page).group(1)  # type: ignore[union-attr]
    assert "<svg" in page and "Nog niet gebruikt" in page
    svg = await client.get(f"{case_path}/invite.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    again = await post(client, f"{case_path}/invite", page=f"{case_path}/invite")
    new_page = (await client.get(again.headers["location"])).text
    new = re.search(r"start=(\w+)", new_page).group(1)  # type: ignore[union-attr]
    assert new != old
    code = f"{new[:4]}-{new[4:]}"
    await complete_intake(dashboard.app.service, code, CHAT, {}, change=None)
    assert "Gebruikt" in (await client.get(f"{case_path}/invite")).text


async def test_the_note_and_label_fields_say_the_person_can_ask_to_see_them(
    dashboard: Dashboard,
) -> None:
    """A note and a label are in the person's own data export (GDPR art. 15): the form
    must not promise that the person never sees them."""
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    planning = (await client.get(f"/cases/{case.id}/appointments")).text
    assert "wordt niet naar de persoon gestuurd" not in planning
    for page in (planning, (await client.get(f"/cases/{case.id}")).text):
        assert "de persoon ziet dit als die de eigen gegevens opvraagt" in page
