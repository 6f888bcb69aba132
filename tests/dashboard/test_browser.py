"""The dashboard in a real browser: Debian's headless Chromium, driven by Playwright.

One server (the real `bot.dashboard.server.serve` on uvicorn, in a thread with its own event
loop) and one browser for the whole module. The pre-intake is fed through the same
`Service` the bot uses. Screenshots of every page go to `test-artifacts/dashboard/`.

Without chromium these tests are skipped, except under CI (``CI=true``), where they
fail: `make test` installs it (`make browser`).
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import shutil
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.core.app import App, build
from bot.core.appointments import AppointmentPlan
from bot.core.passwords import Passwords
from bot.core.service import Attach
from bot.dashboard.app import DashboardConfig
from bot.dashboard.security import AddressThrottle
from bot.dashboard.server import serve
from flows.events import Event
from flows.i18n import LOCAL_TZ
from flows.record import add_months
from storage import Case, CaseRepository, UserRepository
from tests.dashboard.conftest import FAST_HASHER, settings_for
from tests.dashboard.intake import ARABIC_GOAL, CHANNEL, HADDAD, Person, complete_intake
from tests.live_server import served

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
DOCS = Path(__file__).resolve().parents[2] / "docs"  # the README's screenshots
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=nl-NL",
]
PASSWORD = "een lang wachtwoord"
T = TypeVar("T")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (make browser installs it)"
        if _in_ci():
            pytest.fail(f"{message}; CI is set, so this is an error, not a skip", pytrace=False)
        pytest.skip(message)
    return path


@dataclass
class Live:
    app: App
    url: str
    loop: asyncio.AbstractEventLoop

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the server's loop (the database belongs to it)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)


async def dashboard_case(app: App, label: str, lang: str | None) -> Case:
    async with app.db.session() as session, session.begin():
        return await CaseRepository(session).create(
            now=app.service.clock(), label=label, language=lang, consulent="anna"
        )


async def half_intake(app: App, code: str, chat_id: int) -> None:
    """Language, consent and the first parts; then the person stops."""
    assert await app.service.attach(CHANNEL, chat_id, code) is Attach.OK
    person = Person(app.service, chat_id)
    await person.send(Event.start())
    await person.send(Event.press("lang:ar"))
    await person.send(Event.press("c:yes"))
    while (question := person.current_question()) and not question.startswith("work."):
        await person.answer(question, HADDAD.get(question))


async def _seed(app: App) -> None:
    passwords = Passwords(FAST_HASHER)
    async with app.db.session() as session, session.begin():
        users = UserRepository(session)
        now = app.service.clock()
        await users.create("anna", passwords.hash(PASSWORD), now=now)
        await users.create("beheer", passwords.hash(PASSWORD), is_admin=True, now=now)
    # A few other people of Anna's, so the caseload looks like a Monday morning.
    async with app.db.session() as session, session.begin():
        cases = CaseRepository(session)
        tesfay = await cases.create(now=now, label="fam. Tesfay", language="ti", consulent="anna")
        await cases.create(now=now, label="dhr. Karimi", consulent="anna")
        osman = await cases.create(now=now, label="mw. Osman", language="ar", consulent="anna")
        # The case record: Tesfay's PIP is late, Osman's is near (see PIP_SEEN).
        today = now.astimezone(LOCAL_TZ).date()
        for case, group, days in ((tesfay, "nareiziger", 74), (osman, "statushouder", 63)):
            await cases.set_record(
                case,
                target_group=group,
                registered_on=today - timedelta(days=days),
                pip_decided_on=None,
                now=now,
            )
    osman_person = await complete_intake(
        app.service,
        osman.invite_code,
        7_000_000_002,
        {**HADDAD, "family.household": ["alone"], "goals.own_words": "أريد أن أتعلم الهولندية"},
    )
    person = await complete_intake(
        app.service,
        tesfay.invite_code,
        7_000_000_003,
        {
            "language.spoken": ["ti"],
            "language.interpreter": "yes",
            "language.interpreter_language": "ti",
            "reading.own_language": "no",
        },
        lang="ti",
        change=None,
    )
    await person.send(Event.cmd("person"))
    # Their next talks, and what they answered to the invitation.
    tomorrow = (now.astimezone(LOCAL_TZ) + timedelta(days=1)).date()
    for case, kind, days, hour, answer in (
        (tesfay, "voortgangsgesprek", 1, 9, ("n", "n:childcare")),
        (osman, "pip", 2, 14, ("y",)),
    ):
        start = datetime.combine(tomorrow + timedelta(days=days - 1), time(hour), LOCAL_TZ)
        planned = await app.appointments.plan(
            case.id, AppointmentPlan(kind=kind, starts_at=start), by="anna"
        )
        chat = person if case is tesfay else osman_person
        for data in answer:
            await chat.send(Event.press(f"p:{planned.id}:{data}"))
    # Halfway through, in Arabic: a person who stopped at work.
    halfway = await dashboard_case(app, "fam. Rahimi", "ar")
    await half_intake(app, halfway.invite_code, 7_000_000_004)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    chromium()  # no server without a browser to look at it
    app = build(settings_for(tmp_path_factory.mktemp("dashboard") / "wegwijs.db"))
    config = DashboardConfig(
        secret=b"browser" * 5, passwords=Passwords(FAST_HASHER), throttle=AddressThrottle()
    )

    def serving(port: int, stop: asyncio.Event) -> Coroutine[Any, Any, None]:
        return serve(app, "127.0.0.1", port, stop, config=config)

    with served(app, serving, what="the dashboard", prepare=_seed) as (url, loop):
        yield Live(app, url, loop)


@pytest.fixture(scope="module")
def browser(live: Live) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="nl-NL", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def shot(page: Any, name: str, *, full: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def log_in(page: Any, live: Live, name: str) -> None:
    page.goto(f"{live.url}/")
    assert "/login" in page.url
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Inloggen')")
    page.wait_for_url(f"{live.url}/")


def test_a_consulent_in_the_browser(live: Live, page: Any) -> None:
    # Without a session: the login page.
    page.goto(f"{live.url}/")
    assert page.url.startswith(f"{live.url}/login")
    shot(page, "01-login")
    log_in(page, live, "anna")
    assert page.locator("h1").first.inner_text().startswith("Caseload")
    assert page.locator("table.caseload tbody tr").count() == 4
    shot(page, "02-caseload")

    # A new case: its invite, with the deep link and the QR code.
    page.fill("form.new-case input[name=label]", "gezin Haddad")
    page.select_option("form.new-case select[name=language]", "ar")
    page.click("button:has-text('Nieuwe case')")
    page.wait_for_url("**/invite?m=created")
    qr = page.locator("figure.qr svg")
    assert qr.is_visible()
    assert qr.bounding_box()["width"] >= 200  # type: ignore[index]
    link = page.locator("a.deep-link").inner_text()
    assert link.startswith("https://t.me/wegwijs_test_bot?start=")
    assert "Nog niet gebruikt" in page.inner_text("section.invite")
    code = page.locator("strong.code").inner_text().removeprefix("/start ").strip()
    shot(page, "03-invite")
    case_url = page.url.split("/invite")[0]

    # The person does the whole pre-intake on Telegram, in Arabic.
    person = live.run(complete_intake(live.app.service, code, 7_000_000_001))
    page.reload()
    assert "Gebruikt" in page.inner_text("section.invite")

    # The caseload shows it at a glance; the flag filter finds it.
    page.goto(f"{live.url}/?flag=childcare")
    rows = page.locator("table.caseload tbody tr")
    assert rows.count() == 1
    assert "gezin Haddad" in rows.first.inner_text()
    assert "Kinderopvang nodig" in rows.first.inner_text()
    assert "verstuurd" in rows.first.inner_text()
    page.goto(f"{live.url}/")
    assert page.locator("table.caseload tbody tr").first.inner_text().startswith("fam. Tesfay")
    shot(page, "04-caseload-filled")

    # The sheet, in Dutch, by the law's three areas, with the flags at the top (new first).
    page.click("a.case-link:has-text('gezin Haddad')")
    page.wait_for_url(case_url)
    # The consulent enters the case record: the basics come first on the sheet.
    registered = live.app.service.clock().astimezone(LOCAL_TZ).date() - timedelta(days=30)
    page.select_option("form.record-form select[name=target_group]", "statushouder")
    page.fill("form.record-form input[name=registered_on]", registered.isoformat())
    page.click("button:has-text('Gegevens opslaan')")
    page.wait_for_url("**?m=record")
    page.goto(case_url)
    assert "Statushouder" in page.inner_text("section.record-box")
    flags = page.inner_text("section.flags-box")
    for expected in (
        "Tolk nodig: Arabisch",
        "Laaggeletterd in eigen taal",
        "Kinderopvang nodig",
        "Steun bij gezondheid gewenst",
        "Wil studeren: Verpleegkunde",
        "Soms niet beschikbaar: In de ochtend, Vrijdag (Zorg voor kinderen)",
        "Geen DigiD of geen bankrekening",
        "Mogelijk onderwijsroute (als jonger dan 28): Middelbare school",
    ):
        assert expected in flags, (expected, flags)
    assert flags.index("Geen DigiD") < flags.index("Tolk nodig")
    headings = page.locator("section.topic h2").all_inner_texts()
    assert headings == ["Taal", "Werk en participatie", "Zelfredzaamheid"]
    assert "Lezen en leren" in page.locator("#topic-language h3").all_inner_texts()
    assert "Niveau Engels" in page.inner_text("#topic-language")
    assert "Werkt nu" in page.inner_text("#topic-work")
    assert "Jong kind: VVE / JGZ" in page.inner_text("#topic-self_reliance")
    assert "Gesproken talen" in page.inner_text("#topic-language")
    assert "Arabisch, Engels" in page.inner_text("#topic-language")
    free = page.locator("[data-question='goals.own_words'] .free-text")
    assert free.get_attribute("lang") == "ar" and free.get_attribute("dir") == "rtl"
    assert free.inner_text() == ARABIC_GOAL  # shown as text, in the original
    # The <script> and the onerror handler in the answer did not run.
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("[data-question='goals.own_words'] script, .free-text img").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
    history = page.locator("[data-question='reading.dutch'] details.history")
    history.locator("summary").click()
    assert "Geen" in history.inner_text()  # the answer before it was changed
    assert "Een paar woorden" in page.inner_text("[data-question='reading.dutch'] dd")
    shot(page, "05-sheet")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "05-sheet-top", full=False)

    page.click("a:has-text('Afdrukversie')")
    # The click returns once the navigation commits; the print style sheet is there only
    # once the page has loaded (under load the check could run before it).
    page.wait_for_url("**/print")
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    shot(page, "06-print")
    page.emulate_media(media="screen")

    # An appointment, planned through the appointment service; the person answers.
    page.goto(f"{case_url}/appointments")
    page.select_option("select[name=kind]", "brede_intake")
    day = (live.app.service.clock().astimezone(LOCAL_TZ) + timedelta(days=3)).date()
    page.fill("input[name=day]", day.isoformat())
    page.fill("input[name=start]", "10:30")
    page.fill("input[name=place]", "Gemeentehuis, Raadhuisplein 1")
    assert page.locator("select[name=interpreter_lang]").input_value() == "ar"  # as asked
    page.click("button:has-text('Plannen en uitnodigen')")
    page.wait_for_url("**/appointments?m=planned")
    row = page.locator("table.appointments tbody tr").first
    assert "Brede intake" in row.inner_text() and "Nog geen antwoord" in row.inner_text()
    (appointment,) = live.run(live.app.appointments.for_case(case_url.rsplit("/", 1)[1]))
    live.run(person.send(Event.press(f"p:{appointment.id}:y")))
    page.reload()
    assert "Komt" in page.locator("table.appointments tbody tr").first.inner_text()
    shot(page, "07-appointments")

    # The caseload now: the next talks and their answers, who asked for a person.
    page.goto(f"{live.url}/")
    first = page.locator("table.caseload tbody tr").first.inner_text()
    assert (
        first.startswith("fam. Tesfay") and "Kan niet komen (geen opvang voor de kinderen)" in first
    )
    assert "Komt" in page.locator("tr:has-text('gezin Haddad')").inner_text()
    shot(page, "08-caseload-appointments", full=False)

    # Export for the dossier.
    page.goto(case_url)
    with page.expect_download() as download:
        page.click("button:has-text('Export CSV')")
    exported = download.value
    assert exported.suggested_filename == f"wegwijs-{code}.csv"
    rows_csv = list(csv.DictReader(io.StringIO(Path(exported.path()).read_text("utf-8"))))
    by_id = {r["question_id"]: r for r in rows_csv}
    assert by_id["language.interpreter"]["section"] == "Taal en tolk"
    assert by_id["goals.own_words"]["text"] == ARABIC_GOAL

    # Log out: the case is out of reach again.
    page.click("button:has-text('Uitloggen')")
    page.wait_for_url("**/login?m=bye")
    assert "U bent uitgelogd" in page.inner_text("main")
    shot(page, "09-logged-out")
    page.goto(case_url)
    assert "/login" in page.url

    the_admin_reads_the_audit_log(live, page)


def the_admin_reads_the_audit_log(live: Live, page: Any) -> None:
    """After the consulent's day (the end of the journey test, so that on any xdist
    worker the log holds what the journey did)."""
    log_in(page, live, "beheer")
    page.goto(f"{live.url}/audit")
    text = page.inner_text("table.audit")
    for action in (
        "login",
        "case.create",
        "case.view",
        "case.export",
        "appointment.plan",
        "logout",
    ):
        assert action in text, action
    assert ARABIC_GOAL[:10] not in page.content()  # never what was answered
    shot(page, "10-audit")
    page.goto(f"{live.url}/users")
    assert "anna" in page.inner_text("table")
    shot(page, "11-users")


def test_the_pip_deadline_on_the_caseload(live: Live, page: Any) -> None:
    """The consulent enters a registration date on the case page; the caseload shows the
    PIP deadline of every case, sorts by it and flags the ones that are late or near."""
    today = live.app.service.clock().astimezone(LOCAL_TZ).date()
    log_in(page, live, "anna")
    page.click("a.case-link:has-text('dhr. Karimi')")
    form = page.locator("form.record-form")
    form.locator("select[name=target_group]").select_option("statushouder")
    form.locator("input[name=registered_on]").fill((today - timedelta(days=20)).isoformat())
    form.locator("button:has-text('Gegevens opslaan')").click()
    page.wait_for_url("**?m=record")
    basics = page.inner_text("section.record-box")
    assert "Statushouder" in basics and "Nog niet gepland" in basics
    due = today - timedelta(days=20) + timedelta(weeks=10)
    assert f"{due.day} " in page.inner_text("dd.pip-deadline")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "12-sheet-record", full=False)

    page.goto(f"{live.url}/")
    page.click("th a:has-text('PIP uiterlijk')")
    page.wait_for_url("**sort=pip**")
    rows = page.locator("table.caseload tbody tr")
    names = rows.locator("a.case-link").all_inner_texts()
    # Late, near, then later ones (gezin Haddad has one when the first test ran), then none.
    assert names[:2] == ["fam. Tesfay", "mw. Osman"]
    assert names.index("dhr. Karimi") in (2, 3)
    assert names[-1] == "fam. Rahimi" and rows.last.locator("td.pip").inner_text() == "—"
    late = rows.nth(0).locator("td.pip")
    assert "verstreken" in late.inner_text()
    assert late.locator(".badge.pip-past").is_visible()
    near = rows.nth(1).locator("td.pip")
    assert "binnenkort" in near.inner_text() and near.locator(".badge.pip-near").is_visible()
    calm = rows.nth(names.index("dhr. Karimi")).locator("td.pip")
    assert calm.locator(".badge").count() == 0 and calm.inner_text().strip()
    # A red badge on a late PIP: the colour is the danger colour, not the plain badge.
    colours = page.evaluate(
        "[...document.querySelectorAll('td.pip .badge')]"
        ".map(b => getComputedStyle(b).backgroundColor)"
    )
    assert len(set(colours)) == 2
    shot(page, "13-caseload-pip", full=False)


def test_the_outcome_of_the_brede_intake_on_the_sheet(live: Live, page: Any) -> None:
    """The consulent records the leerbaarheidstoets's advice, the route, the PIP's day and
    ontzorgen; the sheet shows them with the route-switch deadline, and signals that the
    person said they came later by family reunification while the group is statushouder.
    The screenshot is the README's example of the sheet (docs/dashboard-sheet.png)."""
    today = live.app.service.clock().astimezone(LOCAL_TZ).date()
    case = live.run(dashboard_case(live.app, "gezin Haddad", "ar"))
    answers = {**HADDAD, "family.came_later": "yes"}
    live.run(complete_intake(live.app.service, case.invite_code, 7_000_000_005, answers))
    log_in(page, live, "anna")
    page.goto(f"{live.url}/cases/{case.id}")
    decided = today - timedelta(days=10)
    form = page.locator("form.record-form")
    form.locator("select[name=target_group]").select_option("statushouder")
    form.locator("input[name=registered_on]").fill((today - timedelta(days=60)).isoformat())
    form.locator("input[name=pip_decided_on]").fill(decided.isoformat())
    form.locator("select[name=toets_advice]").select_option("b1")
    form.locator("select[name=route]").select_option("b1")
    form.locator("input[name=ontzorgen_from]").fill((today - timedelta(days=55)).isoformat())
    form.locator("button:has-text('Gegevens opslaan')").click()
    page.wait_for_url("**?m=record")
    box = page.locator("section.record-box")
    assert box.locator("dd.route").inner_text() == "B1-route"
    assert box.locator("dd.toets-advice").inner_text() == "B1-route"
    switch = add_months(decided, 18)
    assert box.locator("dd.switch-until").inner_text().startswith(f"{switch.day} ")
    assert str(switch.year) in box.locator("dd.switch-until").inner_text()
    assert "minimaal" in box.locator("dd.ontzorgen").inner_text()
    signal = box.locator("p.group-mismatch")
    assert signal.is_visible() and "Doelgroep nakijken" in signal.inner_text()
    assert "gezinshereniging" in signal.inner_text()
    flags = page.inner_text("section.flags-box")
    assert "Geen DigiD of geen bankrekening: Ontbreekt: DigiD" in flags
    assert "Kinderopvang" in page.inner_text("#topic-work")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "13-sheet-outcome", full=False)
    if os.environ.get("WEGWIJS_SCREENSHOTS"):  # the README's picture, on request
        page.screenshot(path=str(DOCS / "dashboard-sheet.png"))
