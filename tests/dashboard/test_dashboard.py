"""What the pages show and do, over HTTP (the browser tests cover the same in Chromium)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

from sqlmodel import select

from bot.dashboard.server import ensure_first_admin
from flows.i18n import LOCAL_TZ
from storage import (
    AuditEntry,
    AuditRepository,
    Case,
    CaseRepository,
    PersonRequestRepository,
)
from tests.dashboard.conftest import Dashboard, post
from tests.dashboard.intake import ARABIC_GOAL, complete_intake

CHAT = 7_100_000_001


async def haddad(dashboard: Dashboard, consulent: str = "anna") -> Case:
    case = await dashboard.case(consulent, "gezin Haddad")
    await complete_intake(dashboard.app.service, case.invite_code, CHAT)
    return case


async def audit(dashboard: Dashboard) -> list[AuditEntry]:
    async with dashboard.app.db.session() as session:
        return list((await session.exec(select(AuditEntry).order_by(AuditEntry.id))).all())


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
