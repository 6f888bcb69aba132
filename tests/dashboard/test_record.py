"""The case record on the dashboard: the consulent enters the target group and the dates
on the case page; the sheet shows the basics; the caseload shows, sorts and flags the PIP
deadline."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from storage import Appointment, AppointmentRepository, AuditEntry, CaseRepository
from tests.dashboard.conftest import Dashboard, post
from tests.dashboard.intake import HADDAD, complete_intake


async def stored(dashboard: Dashboard, case_id: str) -> tuple:
    async with dashboard.app.db.session() as session:
        case = await CaseRepository(session).get(case_id)
    assert case is not None
    return case.target_group, case.registered_on, case.pip_decided_on


async def test_the_consulent_sets_the_record_and_the_sheet_shows_the_basics(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna", "gezin Haddad")
    client = await dashboard.login("anna")
    page = f"/cases/{case.id}"
    before = (await client.get(page)).text
    assert "Gegevens van de case" in before
    assert "onbekend: vul de datum van inschrijving in" in before
    saved = await post(
        client,
        f"{page}/record",
        {"target_group": "statushouder", "registered_on": "2026-10-01", "pip_decided_on": ""},
        page=page,
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("?m=record")
    assert await stored(dashboard, case.id) == ("statushouder", date(2026, 10, 1), None)
    sheet = (await client.get(page + "?m=record")).text
    assert "De gegevens van de case zijn opgeslagen." in sheet
    assert re.search(r'class="target-group">Statushouder<', sheet)
    assert re.search(r'class="registered-on">1 oktober 2026<', sheet)
    # 10 weeks later, 10 December: within the 14 days from 1 December (the test clock)
    assert re.search(r'class="pip-deadline">10 december 2026 <span class="badge pip-near">', sheet)
    assert "PIP-termijn nadert" in sheet
    assert re.search(r'class="toets">Nog niet gepland<', sheet)
    assert '<option value="statushouder" selected>' in sheet
    assert 'name="registered_on" min="2022-01-01" max="2026-12-01" value="2026-10-01"' in sheet

    await post(
        client,
        f"{page}/record",
        {
            "target_group": "statushouder",
            "registered_on": "2026-10-01",
            "pip_decided_on": "2026-11-20",
        },
        page=page,
    )
    sheet = (await client.get(page)).text
    assert re.search(r'class="term-start">20 november 2026<', sheet)
    assert re.search(r'class="term-end">20 november 2029<', sheet)
    assert "PIP-termijn nadert" not in sheet  # decided: nothing to flag
    printed = (await client.get(f"{page}/print")).text
    assert re.search(r'class="term-end">20 november 2029<', printed)

    async with dashboard.app.db.session() as session:
        entries = (await session.exec(select(AuditEntry).order_by(AuditEntry.id))).all()
    records = [(e.actor, e.action, e.target) for e in entries if e.action == "case.record"]
    assert records == [("anna", "case.record", case.id)] * 2


async def test_a_date_the_law_cannot_have_is_refused_in_dutch_and_nothing_is_saved(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    page = f"/cases/{case.id}"
    for fields, said in [
        ({"registered_on": "2026-12-02"}, "De datum van inschrijving ligt in de toekomst."),
        ({"registered_on": "2021-12-31"}, "ligt vóór 1 januari 2022"),
        ({"registered_on": "gisteren"}, "De datum van inschrijving is geen datum"),
        ({"target_group": "toerist"}, "De doelgroep is geen bekende doelgroep."),
        (
            {"registered_on": "2026-10-01", "pip_decided_on": "2026-09-01"},
            "De PIP-datum ligt vóór de inschrijving in de BRP.",
        ),
    ]:
        refused = await post(client, f"{page}/record", fields, page=page)
        assert refused.status_code == 400, fields
        assert said in refused.text and "Er is niets opgeslagen." in refused.text
    assert await stored(dashboard, case.id) == (None, None, None)


async def test_the_record_form_needs_the_csrf_token_and_the_own_case(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    await dashboard.add_user("bram")
    case = await dashboard.case("anna")
    anna = await dashboard.login("anna")
    forged = await anna.post(f"/cases/{case.id}/record", data={"registered_on": "2026-10-01"})
    assert forged.status_code in (400, 403)
    bram = await dashboard.login("bram")
    other = await post(bram, f"/cases/{case.id}/record", {"registered_on": "2026-10-01"})
    assert other.status_code == 404
    assert await stored(dashboard, case.id) == (None, None, None)


async def test_the_leerbaarheidstoets_status_comes_from_its_appointments(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    now = dashboard.clock()
    async with dashboard.app.db.session() as session, session.begin():
        appointment = await AppointmentRepository(session).add(
            Appointment(
                case_id=case.id,
                kind="leerbaarheidstoets",
                starts_at=now + timedelta(days=3),
                ends_at=now + timedelta(days=3, hours=2),
                created_at=now,
                updated_at=now,
            )
        )
    assert re.search(r'class="toets">Gepland<', (await client.get(f"/cases/{case.id}")).text)
    async with dashboard.app.db.session() as session, session.begin():
        row = await AppointmentRepository(session).get(appointment.id or 0)
        assert row is not None
        row.status = "done"
        session.add(row)
    assert re.search(r'class="toets">Gedaan<', (await client.get(f"/cases/{case.id}")).text)


async def test_the_caseload_shows_sorts_and_flags_the_pip_deadline(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    client = await dashboard.login("anna")
    today = dashboard.clock().date()  # 1 December 2026
    cases = {}
    for label, registered, decided in [
        ("calm", today - timedelta(days=20), None),  # due in 50 days
        ("late", today - timedelta(days=75), None),  # due 5 days ago
        ("unknown", None, None),
        ("soon", today - timedelta(days=60), None),  # due in 10 days
        ("decided", today - timedelta(days=90), today - timedelta(days=30)),
    ]:
        case = await dashboard.case("anna", label)
        cases[label] = case
        if registered:
            fields = {"registered_on": registered.isoformat()}
            if decided:
                fields["pip_decided_on"] = decided.isoformat()
            response = await post(client, f"/cases/{case.id}/record", fields)
            assert response.status_code == 303, response.text

    page = (await client.get("/?sort=pip")).text
    names = re.findall(r'class="case-link" href="/cases/\w+">(\w+)</a>', page)
    assert names[:3] == ["late", "soon", "calm"]
    assert set(names[3:]) == {"unknown", "decided"}
    assert 'aria-sort="ascending">PIP uiterlijk</a>' in page
    rows = dict(
        re.findall(
            r'class="case-link" href="/cases/\w+">(\w+)</a>.*?<td class="pip">(.*?)</td>',
            page,
            re.S,
        )
    )
    assert "26 november 2026" in rows["late"] and "pip-past" in rows["late"]
    assert "verstreken" in rows["late"]
    assert "11 december 2026" in rows["soon"] and "binnenkort" in rows["soon"]
    assert "pip-" not in rows["calm"].replace("pip-deadline", "")
    assert "vastgesteld 1 november 2026" in rows["decided"]
    assert "—" in rows["unknown"]
    descending = (await client.get("/?sort=pip&order=desc")).text
    names = re.findall(r'class="case-link" href="/cases/\w+">(\w+)</a>', descending)
    assert names[-3:] == ["calm", "soon", "late"]


def test_every_target_group_and_refusal_has_its_dutch_words() -> None:
    from bot.dashboard.record import FIELDS, GROUP_NAMES, PROBLEMS, ROUTE_NAMES, SENTENCES
    from flows.record import ROUTES, TARGET_GROUPS

    assert tuple(GROUP_NAMES) == TARGET_GROUPS
    assert set(FIELDS) == {
        "group",
        "registered",
        "pip",
        "toets",
        "route",
        "ontzorgen",
        "ontzorgen_until",
    }
    assert set(PROBLEMS) | set(SENTENCES) == {
        "not_a_date",
        "future",
        "before_law",
        "unknown_group",
        "pip_before_registration",
        "unknown_route",
        "ontzorgen_not_for_group",
        "end_before_start",
        "end_without_start",
    }
    assert tuple(ROUTE_NAMES) == ROUTES


async def test_the_dashboards_export_carries_the_record(dashboard: Dashboard) -> None:
    """The dashboard's export is the CLI's (`export_case`): the record in JSON and as
    the CSV's first rows."""
    await dashboard.add_user("anna")
    case = await dashboard.case("anna", "gezin Haddad")
    client = await dashboard.login("anna")
    page = f"/cases/{case.id}"
    record = {"target_group": "nareiziger", "registered_on": "2026-10-01", "pip_decided_on": ""}
    await post(client, f"{page}/record", record, page=page)
    as_json = (await post(client, f"{page}/export", {"format": "json"}, page=page)).json()
    assert as_json["case"]["target_group"] == "nareiziger"
    assert as_json["case"]["registered_on"] == "2026-10-01"
    assert as_json["case"]["pip_deadline"] == "2026-12-10"
    assert as_json["case"]["term_start"] is None
    as_csv = (await post(client, f"{page}/export", {"format": "csv"}, page=page)).text
    first = list(csv.DictReader(io.StringIO(as_csv)))[:3]
    assert [(r["question"], r["answer"]) for r in first] == [
        ("Doelgroep", "Nareiziger (gezinshereniging)"),
        ("Inschrijving in de BRP", "2026-10-01"),
        ("Uiterste datum PIP", "2026-12-10"),
    ]


OUTCOME = {
    "target_group": "statushouder",
    "registered_on": "2026-09-01",
    "pip_decided_on": "2026-11-02",
    "toets_advice": "z_route",
    "route": "b1",
    "ontzorgen_from": "2026-09-15",
    "ontzorgen_until": "",
}


async def test_the_sheet_shows_the_outcome_of_the_brede_intake(dashboard: Dashboard) -> None:
    """The consulent records the leerbaarheidstoets's advice, the route and ontzorgen;
    the sheet shows them with the PIP's own date, the switch deadline (18 months after
    the PIP, as `/route` computes it) and ontzorgen's least end."""
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    page = f"/cases/{case.id}"
    saved = await post(client, f"{page}/record", OUTCOME, page=page)
    assert saved.status_code == 303
    sheet = (await client.get(page)).text
    assert re.search(r'class="pip-decided">2 november 2026<', sheet)
    assert re.search(r'class="toets-advice">Z-route<', sheet)
    assert re.search(r'class="route">B1-route<', sheet)
    assert re.search(r'class="switch-until">2 mei 2028<', sheet)
    assert re.search(r'class="ontzorgen">15 september 2026 tot minimaal 15 maart 2027<', sheet)
    assert '<option value="b1" selected>' in sheet and '<option value="z_route" selected>' in sheet
    await post(client, f"{page}/record", {**OUTCOME, "ontzorgen_until": "2027-09-15"}, page=page)
    sheet = (await client.get(page)).text
    assert re.search(r'class="ontzorgen">15 september 2026 tot 15 september 2027<', sheet)
    async with dashboard.app.db.session() as session:
        stored_case = await CaseRepository(session).get(case.id)
    assert stored_case is not None
    assert (stored_case.toets_advice, stored_case.route) == ("z_route", "b1")
    assert stored_case.ontzorgen_until == date(2027, 9, 15)


async def test_a_gezinsmigrants_pip_date_is_shown_and_ontzorgen_is_not_theirs(
    dashboard: Dashboard,
) -> None:
    """Their term starts at the registration, so the PIP's own day needs its own line;
    ontzorgen is not part of their PIP (seed 001, 1.3.3): refused, and said so."""
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    page = f"/cases/{case.id}"
    record = {"target_group": "gezinsmigrant", "registered_on": "2026-09-01"}
    await post(client, f"{page}/record", {**record, "pip_decided_on": "2026-11-02"}, page=page)
    sheet = (await client.get(page)).text
    assert re.search(r'class="pip-decided">2 november 2026<', sheet)
    assert re.search(r'class="term-start">1 september 2026<', sheet)
    assert "Termijn start (vanaf de inschrijving in de BRP)" in sheet
    assert "niet van toepassing (gezinsmigrant)" in sheet
    refused = await post(
        client, f"{page}/record", {**record, "ontzorgen_from": "2026-09-15"}, page=page
    )
    assert refused.status_code == 400
    assert "Ontzorgen hoort niet bij het PIP van een gezinsmigrant" in refused.text
    assert "Er is niets opgeslagen." in refused.text


@pytest.mark.parametrize(
    ("group", "came_later", "signal"),
    [
        ("statushouder", "yes", "later gekomen te zijn via gezinshereniging (nareiziger)"),
        ("nareiziger", "no", "niet later gekomen te zijn via gezinshereniging"),
        ("statushouder", "no", None),
        ("nareiziger", "yes", None),
        ("gezinsmigrant", "yes", None),
    ],
)
async def test_an_answer_that_contradicts_the_target_group_is_signalled(
    dashboard: Dashboard, group: str, came_later: str, signal: str | None
) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    answers = {"family.came_later": came_later}
    await complete_intake(dashboard.app.service, case.invite_code, 4711, answers, change=None)
    page = f"/cases/{case.id}"
    await post(client, f"{page}/record", {"target_group": group}, page=page)
    sheet = (await client.get(page)).text
    if signal is None:
        assert "group-mismatch" not in sheet
    else:
        assert 'class="group-mismatch"' in sheet and "Doelgroep nakijken" in sheet
        assert signal in sheet


async def test_the_digid_signal_says_what_is_missing_and_childcare_stands_with_availability(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    await complete_intake(dashboard.app.service, case.invite_code, 4712, HADDAD, change=None)
    sheet = (await client.get(f"/cases/{case.id}")).text
    # Haddad has a bank account and no DigiD: the signal names only the DigiD.
    assert "Geen DigiD of geen bankrekening: <strong>Ontbreekt: DigiD</strong>" in sheet
    assert "Heeft al:" not in sheet
    work = sheet.split('id="topic-work"')[1].split('id="topic-self_reliance"')[0]
    assert 'data-question="family.childcare"' in work
    assert 'data-question="family.unavailable"' in work


async def test_the_export_carries_the_new_answers_and_the_recorded_outcome(
    dashboard: Dashboard,
) -> None:
    await dashboard.add_user("anna")
    case = await dashboard.case("anna")
    client = await dashboard.login("anna")
    answers = {
        **HADDAD,
        "daily.benefit": "yes",
        "daily.benefit_from": "municipality",
        "daily.toeslagen": ["zorg"],
        "work.skills": ["team", "boss"],
        "family.network": ["nobody"],
        "family.network_wish": "yes",
        "goals.for_consulent": "Ik werk graag met mijn handen",
    }
    await complete_intake(dashboard.app.service, case.invite_code, 4713, answers, change=None)
    page = f"/cases/{case.id}"
    await post(client, f"{page}/record", OUTCOME, page=page)
    as_json = (await post(client, f"{page}/export", {"format": "json"}, page=page)).json()
    exported = {a["question_id"]: a for a in as_json["answers"]}
    assert exported["daily.benefit_from"]["codes"] == ["municipality"]
    assert exported["daily.benefit_from"]["answer"] == "De gemeente (bijstand)"
    assert exported["work.skills"]["question"] == "Werknemersvaardigheden (eigen inschatting)"
    assert exported["family.network"]["answer"] == "Nog niemand"
    assert exported["goals.for_consulent"]["text"] == "Ik werk graag met mijn handen"
    assert {"id": "no_network", "label": "Nog niemand om hulp te vragen"} in as_json["flags"]
    assert (as_json["case"]["route"], as_json["case"]["toets_advice"]) == ("b1", "z_route")
    assert as_json["case"]["switch_until"] == "2028-05-02"
    as_csv = (await post(client, f"{page}/export", {"format": "csv"}, page=page)).text
    rows = {r["question_id"]: r for r in csv.DictReader(io.StringIO(as_csv))}
    assert rows["case.route"]["answer"] == "B1-route"
    assert rows["case.ontzorgen_from"]["codes"] == "2026-09-15"
    assert rows["daily.toeslagen"]["answer"] == "Zorgtoeslag"
    assert rows["family.network"]["codes"] == "nobody"
    sheet = (await client.get(page)).text
    assert "Nog niemand om hulp te vragen" in sheet  # the signal on the sheet
    assert 'data-question="work.skills"' in sheet.split('id="topic-work"')[1]
