"""The web chat in a real browser (Debian's headless Chromium, driven by Playwright): a
whole intake by invite link in each language with JavaScript on and off, Arabic right to
left, a reload and a double submit counted once, a stale form, erasure, one person's
cookie never showing another's conversation, code guessing throttled, a 320 px screen,
and axe-core's check (zero serious or critical violations) on every kind of page.

One chat server and one browser per module (`browser_fixtures`); each
person is a fresh browser context. Screenshots go to `test-artifacts/webchat/`; with
WEGWIJS_SCREENSHOTS=1 the Arabic one is also written to `docs/web-chat-arabic.png`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.channels.web import texts as W
from bot.channels.web.chat import MENU
from bot.core.appointments import AppointmentPlan
from flows import texts as T
from flows.callbacks import ConfirmErase
from flows.replies import Msg
from tests.channels.web.browser_fixtures import (  # noqa: F401  (the fixtures)
    NARROW,
    PHONE,
    ChatLive,
    Contexts,
    chat_browser_fixture,
    contexts_fixture,
    live_fixture,
)

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts" / "webchat"
LANGS = ("ar", "ti", "nl", "en")
SERIOUS = ("serious", "critical")
ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")  # LRI, RLI, FSI, PDI
STEPS_MAX = 120  # an intake is about 35 steps; more means it goes round in circles
TYPED = {
    "ar": "أبحث عن طبيب عام لابنتي",
    "ti": "ንጓለይ ሓኪም ስድራ ይደሊ ኣለኹ",
    "nl": "Een huisarts voor mijn dochter",
    "en": "A family doctor for my daughter",
}


# -- reading and driving the page ---------------------------------------------------------


def text_of(live: ChatLive, msgid: str, lang: str, **params: Any) -> str:
    """A text as the page shows it: in `lang`, without the bidi isolates."""
    rendered = live.app.renderer.text(Msg.of(msgid, **params), lang)  # type: ignore[arg-type]
    return rendered.translate(ISOLATES)


def choices(page: Any) -> list[str]:
    """The data of the newest answer's buttons."""
    return page.locator("#choices button[name=choice]").evaluate_all(
        "buttons => buttons.map(b => b.value)"
    )


def version(page: Any) -> str:
    return page.locator("#answer-form input[name=v]").get_attribute("value") or ""


def submit(page: Any, button: Any, js: bool) -> None:
    """Press a submit button and wait for the new page (or page part, with JavaScript)."""
    if not js:
        with page.expect_navigation(wait_until="domcontentloaded"):
            button.click(no_wait_after=True)
        return
    before = version(page)
    button.click()
    page.wait_for_function(
        """old => {
            const v = document.querySelector('#answer-form input[name=v]');
            return v !== null && v.value !== old && !document.querySelector('form.busy');
        }""",
        arg=before,
    )


def press(page: Any, data: str, js: bool) -> None:
    submit(page, page.locator(f"#choices button[name=choice][value='{data}']"), js)


def type_answer(page: Any, text: str, js: bool) -> None:
    page.fill("#answer", text)
    submit(page, page.locator("#answer-form button[type=submit]"), js)


def command(page: Any, name: str, js: bool) -> None:
    """A menu item: open the menu (unless it is open), press it."""
    if not page.locator("#menu").evaluate("menu => menu.open"):
        page.locator("#menu summary").click()
    submit(page, page.locator(f"#menu-form button[name=command][value='{name}']"), js)


def newest_text(page: Any) -> str:
    """What Wegwijs said last (the lines after the person's last one), as read: without
    the invisible isolates around names in right-to-left text."""
    return page.evaluate(
        """() => {
            const lines = [...document.querySelectorAll('#transcript > li')];
            let i = lines.length - 1;
            while (i >= 0 && !lines[i].classList.contains('from-person')) i--;
            return lines.slice(i + 1).map(l => l.innerText).join('\\n');
        }"""
    ).translate(ISOLATES)


def no_horizontal_scroll(page: Any, where: str) -> None:
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
    )
    assert max(width[:2]) <= width[2], f"{where}: the page scrolls sideways ({width})"


def axe_check(page: Any, where: str) -> None:
    """axe-core's WCAG 2.1 A/AA rules (and its best practices) on the page as shown:
    no serious or critical violation."""
    from axe_playwright_python.base import AxeResults
    from axe_playwright_python.sync_playwright import Axe

    if page.evaluate("() => typeof window.axe === 'undefined'"):
        page.evaluate(Axe().axe_script)  # once per document: the script swaps page parts
    results = AxeResults(
        page.evaluate(
            "() => axe.run({resultTypes: ['violations']})"
            ".then(r => ({violations: r.violations}))"  # only what is read: less to carry
        )
    )
    bad = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"axe on {where}:\n{report}"


def shot(page: Any, name: str, *, full: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


# -- a whole intake -----------------------------------------------------------------------


def open_invite(page: Any, live: ChatLive, link: str, js: bool, *, check: bool) -> None:
    """The invite link, its page, Start: the language menu."""
    page.goto(link)
    assert page.locator("#invite-form").is_visible()
    if check:
        axe_check(page, f"the invite page ({page.url})")
    submit(page, page.locator("#invite-form button[type=submit]"), js=False)
    assert "lang:ar" in choices(page)


def whole_intake(
    page: Any, live: ChatLive, lang: str, js: bool, *, check: bool
) -> tuple[list[str], str | None]:
    """Language, consent, every question (a button, a skip, or typed words), the review,
    sent. The questions answered, in order, and the one answered by typing. With `check`,
    axe and the 320 px check on the first page of each kind."""
    seen: set[str] = set()

    def look(kind: str) -> None:
        if kind in seen:
            return
        seen.add(kind)
        no_horizontal_scroll(page, f"{kind} ({lang})")
        if check:
            axe_check(page, f"{kind} ({lang}, JavaScript {'on' if js else 'off'})")

    look("the language menu")
    press(page, f"lang:{lang}", js)
    assert page.locator("html").get_attribute("lang") == lang
    look("the consent")
    press(page, "c:yes", js)
    answered: list[str] = []
    typed: str | None = None
    for _ in range(STEPS_MAX):
        data = choices(page)
        if "r:send" in data:
            look("the review")
            press(page, "r:send", js)
            break
        question = next((d.split(":")[1] for d in data if d.startswith("s:")), None)
        assert question is not None, f"no question on the page: {data}\n{newest_text(page)}"
        singles = [d for d in data if d.startswith(("a:", "n:"))]
        if question == "goals.help_now":
            look("a question to type the answer to")
            type_answer(page, TYPED[lang], js)
            typed = question
        elif singles:
            look("a question with one answer")
            press(page, singles[-1], js)
        else:
            look("a question with several answers")
            press(page, f"s:{question}", js)
        answered.append(question)
    else:
        raise AssertionError(f"no review after {STEPS_MAX} steps")
    look("the answers sent")
    return answered, typed


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", LANGS)
def test_a_whole_intake_by_invite_link(
    live: ChatLive, contexts: Contexts, lang: str, js: bool
) -> None:
    case = live.new_case()
    page = contexts.page(js=js, viewport=NARROW)
    open_invite(page, live, live.invite_link(case), js, check=js)
    if js:
        page.evaluate("() => { window.__samePage = true; }")
    answered, typed = whole_intake(page, live, lang, js, check=js)

    assert page.locator("html").get_attribute("lang") == lang
    # The page's own words are in the person's language too, not only the conversation.
    assert page.inner_text("label[for=answer]").strip() == text_of(live, W.ANSWER_LABEL, lang)
    sent = text_of(live, T.SENT, lang, municipality=live.app.municipality.name)
    assert sent in newest_text(page)
    if js:  # the script swapped page parts: the page itself was never reloaded
        assert page.evaluate("() => window.__samePage === true")
    # Stored: each question once, the case sent to the consulent.
    stored = live.case(case.id)
    assert stored is not None and stored.intake_submitted_at is not None
    rows = live.answers(case.id)
    assert sorted(r.question_id for r in rows) == sorted(answered)
    assert typed is not None
    (words,) = [r for r in rows if r.question_id == typed]
    assert words.free_text == TYPED[lang]
    # The menu, open, at 320 px.
    page.locator("#menu summary").click()
    no_horizontal_scroll(page, f"the menu ({lang})")
    if js:
        axe_check(page, f"the open menu ({lang})")
        every_menu_item(page, live, case.id, lang)


# Every item of the page's menu but erasing (its own test), the language menu last.
MENU_ITEMS = sorted((name for name, _ in MENU if name != "delete"), key=lambda n: n == "language")


def every_menu_item(page: Any, live: ChatLive, case_id: str, lang: str) -> None:
    """Each menu item's page, through axe; "my appointments" with a calendar file."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    plan = AppointmentPlan(kind="brede_intake", starts_at=start, place="Raadhuisplein 1")
    live.run(live.app.appointments.plan(case_id, plan, by="anna"))
    for name in MENU_ITEMS:
        command(page, name, js=True)
        no_horizontal_scroll(page, f"{name} ({lang})")
        axe_check(page, f"the menu's {name} ({lang})")
        if name == "appointments":
            link = page.locator("#transcript a[href^='/file/']").last
            assert (link.get_attribute("download") or "").endswith(".ics")
            calendar = page.request.get(f"{live.url}{link.get_attribute('href')}")
            assert calendar.status == 200 and b"BEGIN:VCALENDAR" in calendar.body()


def test_the_keyboard_and_large_text(live: ChatLive, contexts: Contexts) -> None:
    """The skip link comes first and leads to the conversation; after a step with the
    script, focus is on the newest message (a screen reader reads it next); with the
    phone's text at twice the size, 320 px still needs no sideways scrolling."""
    page = contexts.page(js=True, viewport=NARROW)
    page.goto("/new?lang=nl")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    page.keyboard.press("Tab")  # on from the main part, past the languages at the top
    assert page.evaluate("() => document.activeElement.id") == "code"
    case = live.new_case()
    open_invite(page, live, live.invite_link(case), True, check=False)
    assert page.evaluate("() => document.activeElement.id") == "latest"
    press(page, "lang:nl", True)
    assert page.evaluate("() => document.activeElement.id") == "latest"
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    no_horizontal_scroll(page, "a question with the text at 200 %")
    page.locator("#menu summary").click()
    no_horizontal_scroll(page, "the open menu with the text at 200 %")


def test_the_axe_check_can_fail(live: ChatLive, contexts: Contexts) -> None:
    """The check itself: a button without a name on a chat page is a violation."""
    page = contexts.page()
    page.goto("/new?lang=en")
    page.evaluate("() => document.querySelector('main').append(document.createElement('button'))")
    with pytest.raises(AssertionError, match="button-name"):
        axe_check(page, "a page with a nameless button")


# -- the pages around the conversation ------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_start_and_note_pages_pass_axe_at_320_px(
    live: ChatLive, contexts: Contexts, lang: str
) -> None:
    page = contexts.page(viewport=NARROW)
    for path in (
        f"/new?lang={lang}",
        f"/new?lang={lang}&m=unknown",  # a note: the code was wrong
        f"/new?lang={lang}&m=throttled&w=5",
        f"/c/ABCD2345?lang={lang}",  # an invite page (whether or not the code exists)
        f"/nothing-here?lang={lang}",  # the not-found page
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang, path
        no_horizontal_scroll(page, path)
        axe_check(page, path)
    # A practice conversation, from the start page.
    page.goto(f"/new?lang={lang}")
    submit(page, page.locator("#practice-form button"), js=False)
    assert page.locator("#practice-note").is_visible()
    no_horizontal_scroll(page, "practice")
    axe_check(page, f"a practice conversation ({lang})")


# -- Arabic, right to left ------------------------------------------------------------------


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_arabic_is_laid_out_right_to_left(live: ChatLive, contexts: Contexts, js: bool) -> None:
    case = live.new_case()
    page = contexts.page(js=js, viewport=PHONE, locale="ar")
    open_invite(page, live, live.invite_link(case), js, check=False)
    press(page, "lang:ar", js)
    press(page, "c:yes", js)
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    direction = page.evaluate(
        """() => ({
            page: getComputedStyle(document.documentElement).direction,
            question: getComputedStyle(
                document.querySelector('#transcript > li:last-child .block[lang=ar]')).direction,
            dutch: getComputedStyle(
                document.querySelector('#transcript > li:last-child .block[lang=nl]')).direction,
            label: getComputedStyle(document.querySelector('label[for=answer]')).direction,
        })"""
    )
    assert direction == {"page": "rtl", "question": "rtl", "dutch": "ltr", "label": "rtl"}
    # Right to left on the screen: Wegwijs' messages start at the right edge, the first
    # button of a row stands right of the second.
    viewport = page.viewport_size["width"]
    message = page.locator("#transcript > li.from-wegwijs").last.bounding_box()
    assert message is not None
    assert abs(viewport - (message["x"] + message["width"])) < abs(message["x"]), message
    row = page.locator("#choices .row").first.locator("button")
    if row.count() >= 2:
        first, second = row.nth(0).bounding_box(), row.nth(1).bounding_box()
        assert first is not None and second is not None
        if abs(first["y"] - second["y"]) < 2:  # side by side
            assert first["x"] > second["x"]
    no_horizontal_scroll(page, "Arabic")
    # The picture for the docs: a question with one answer, on a phone.
    press(page, "s:language.spoken", js)
    shot(page, f"arabic-{'js' if js else 'nojs'}", full=True)
    if js and os.environ.get("WEGWIJS_SCREENSHOTS"):
        page.screenshot(path=str(ROOT / "docs" / "web-chat-arabic.png"))
    # Another language from the menu: the whole page turns left to right.
    command(page, "language", js)
    press(page, "lang:nl", js)
    html = page.locator("html")
    assert html.get_attribute("lang") == "nl" and html.get_attribute("dir") == "ltr"
    assert page.evaluate("() => getComputedStyle(document.documentElement).direction") == "ltr"


def test_typed_markup_is_shown_as_text_and_never_runs(live: ChatLive, contexts: Contexts) -> None:
    """Markup in a typed answer, through the script's page swap: the characters as typed,
    no element made of them, nothing run."""
    markup = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>'
    case = live.new_case()
    page = contexts.page(js=True)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_invite(page, live, live.invite_link(case), True, check=False)
    first_question(page, live, js=True)
    type_answer(page, markup, js=True)
    mine = page.locator("#transcript li.from-person").last
    assert mine.inner_text().strip().endswith(markup)
    assert mine.locator("img, script").count() == 0
    page.reload()
    assert page.locator("#transcript li.from-person").last.locator("img, script").count() == 0
    assert page.evaluate("() => typeof window.__pwned") == "undefined" and dialogs == []


# -- once, and only the right answer --------------------------------------------------------


def first_question(page: Any, live: ChatLive, js: bool, lang: str = "en") -> None:
    """Language, consent, and the first question with one answer (the languages one
    before it, with several, is skipped)."""
    press(page, f"lang:{lang}", js)
    press(page, "c:yes", js)
    press(page, "s:language.spoken", js)
    assert any(d.startswith("a:") for d in choices(page))


def person_lines(live: ChatLive, context: Any) -> list[str]:
    account = live.account(context)
    assert account is not None
    return [line.text for line in live.lines(account.id) if line.sender == "person"]


def test_a_double_submit_and_a_reload_count_once(live: ChatLive, contexts: Contexts) -> None:
    case = live.new_case()
    context = contexts.new(js=False)
    page = context.new_page()
    open_invite(page, live, live.invite_link(case), False, check=False)
    first_question(page, live, js=False)
    data = next(d for d in choices(page) if d.startswith("a:"))
    question = data.split(":")[1]
    form = {
        "k": page.locator("#choices input[name=k]").get_attribute("value"),
        "v": page.locator("#choices input[name=v]").get_attribute("value"),
        "choice": data,
    }
    # The same form twice (a double click without JavaScript sends both).
    for _ in range(2):
        response = context.request.post(f"{live.url}/say", form=form, max_redirects=0)
        assert response.status == 303
    page.reload()  # a reload of the page after the post: a GET, nothing sent again
    page.reload()
    rows = [r for r in live.answers(case.id) if r.question_id == question]
    assert len(rows) == 1
    said = person_lines(live, context)
    assert said.count(said[-1]) == 1  # the answer is in the conversation once
    assert question not in {d.split(":")[1] for d in choices(page) if ":" in d}

    # With JavaScript: two presses before the first answer is back post once (the
    # script waits for it), and a reload after it sends nothing again.
    case = live.new_case()
    context = contexts.new(js=True)
    page = context.new_page()
    open_invite(page, live, live.invite_link(case), True, check=False)
    first_question(page, live, js=True)
    data = next(d for d in choices(page) if d.startswith("a:"))
    rows_before = len(live.answers(case.id))
    posts: list[str] = []
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    before = version(page)
    page.locator(f"#choices button[value='{data}']").evaluate("b => { b.click(); b.click(); }")
    page.wait_for_function(
        "old => document.querySelector('#answer-form input[name=v]').value !== old", arg=before
    )
    page.reload()
    assert posts == [f"{live.url}/say"]
    assert len(live.answers(case.id)) == rows_before + 1


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_a_stale_form_gets_a_kind_note_never_a_wrong_answer(
    live: ChatLive, contexts: Contexts, js: bool
) -> None:
    """Two tabs of one browser: the first answers; the second still shows the earlier
    question, and its button must not answer the question asked now."""
    case = live.new_case()
    context = contexts.new(js=js)
    page = context.new_page()
    open_invite(page, live, live.invite_link(case), js, check=False)
    first_question(page, live, js)
    old = context.new_page()
    old.goto("/")
    asked = [d for d in choices(page) if d.startswith("a:")]
    question = asked[0].split(":")[1]
    press(page, asked[0], js)  # the first tab answers the first question
    now_asked = next(d.split(":")[1] for d in choices(page) if d.startswith("s:"))
    assert now_asked != question

    press(old, asked[-1], js)  # the other tab presses another answer to the old question
    shown = newest_text(old)
    assert text_of(live, T.STALE_BUTTON, "en") in shown, shown
    rows = [r for r in live.answers(case.id) if r.question_id in (question, now_asked)]
    assert [(r.question_id, r.codes) for r in rows] == [(question, [asked[0].split(":")[2]])]
    # The question asked now is asked again, with its own buttons.
    assert f"s:{now_asked}" in choices(old)


# -- erasure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_delete_erases_everything(live: ChatLive, contexts: Contexts, js: bool) -> None:
    case = live.new_case()
    context = contexts.new(js=js)
    page = context.new_page()
    open_invite(page, live, live.invite_link(case), js, check=False)
    first_question(page, live, js)
    press(page, next(d for d in choices(page) if d.startswith("a:")), js)
    account = live.account(context)
    assert account is not None and live.answers(case.id)

    command(page, "delete", js)
    assert text_of(live, T.DELETE_CONFIRM, "en").split("\n")[0] in newest_text(page)
    if js:
        axe_check(page, "the question whether to erase everything")
    yes = ConfirmErase(True).pack()
    assert yes in choices(page)
    if js:  # the script is told to leave the page: the start page is loaded
        with page.expect_navigation():
            page.locator(f"#choices button[value='{yes}']").click()
    else:
        press(page, yes, js)
    # The start page, saying it is done; the cookie gone; nothing left.
    assert "/new" in page.url
    assert text_of(live, T.DELETED, "en").split("\n")[0] in page.inner_text("main")
    assert live.chat_id(context) is None
    assert live.case(case.id) is None
    assert live.answers(case.id) == []
    assert live.lines(account.id) == []
    page.goto("/")
    assert page.locator("#code-form").is_visible()


# -- one person's cookie, one person's conversation --------------------------------------


def test_one_cookie_never_shows_another_persons_conversation(
    live: ChatLive, contexts: Contexts
) -> None:
    first, second = contexts.new(js=False), contexts.new(js=False)
    mine, theirs = first.new_page(), second.new_page()
    links = []
    for page, words in ((mine, "Mijn eigen geheim 4711"), (theirs, "Iets van een ander")):
        links.append(live.invite_link(live.new_case()))
        open_invite(page, live, links[-1], False, check=False)
        first_question(page, live, js=False)
        type_answer(page, words, js=False)  # a typed answer where a button was asked
    command(mine, "mydata", js=False)
    file_link = mine.locator("#transcript a[href^='/file/']").last.get_attribute("href")
    assert file_link is not None
    assert mine.request.get(f"{live.url}{file_link}").status == 200

    # The other browser: its own conversation only, never the first one's words or file.
    theirs.goto("/")
    assert "Mijn eigen geheim" not in theirs.content()
    assert theirs.request.get(f"{live.url}{file_link}").status == 404
    account = live.account(first)
    assert account is not None
    for line in live.lines(account.id):  # every line of the first one's, by number
        assert theirs.request.get(f"{live.url}/file/{line.id}").status == 404

    # Their form keys posted as the first browser: they change nothing of the other's.
    before = person_lines(live, second)
    form = {
        "k": theirs.locator("#answer-form input[name=k]").get_attribute("value"),
        "v": theirs.locator("#answer-form input[name=v]").get_attribute("value"),
        "text": "als de ander",
    }
    first.request.post(f"{live.url}/say", form=form)
    assert person_lines(live, second) == before

    # The first one's invite link, used, in a third browser: a note, not their talk.
    stranger = contexts.page(js=False)
    stranger.goto(links[0])
    submit(stranger, stranger.locator("#invite-form button[type=submit]"), js=False)
    assert text_of(live, T.INVITE_UNKNOWN, "en") in stranger.inner_text("main")
    assert "Mijn eigen geheim" not in stranger.content()

    # A cookie altered by hand binds nothing: the start page, the cookie removed.
    (cookie,) = [c for c in second.cookies(live.url) if c["name"] == "wegwijs_chat"]
    tail = "AAA" if not cookie["value"].endswith("AAA") else "BBB"
    forged = {**cookie, "value": cookie["value"][:-3] + tail}
    third = contexts.new(js=False)
    third.add_cookies([forged])
    page = third.new_page()
    page.goto("/")
    assert page.locator("#code-form").is_visible()
    assert "Iets van een ander" not in page.content()
    assert live.chat_id(third) is None


# -- guessing codes -------------------------------------------------------------------------


def test_guessing_codes_is_throttled(live: ChatLive, contexts: Contexts) -> None:
    """Wrong codes from one address: after twenty, a kind note to wait, and then even a
    right code waits (another address is not held up)."""
    address = "198.51.100.23"
    context = contexts.new(js=False, address=address)
    wrong = iter(
        f"ZZZZ{n:04d}".translate(str.maketrans("0123456789", "QRSTUVWXYM")) for n in range(99)
    )
    for _ in range(15):  # typed quickly, one after the other: each is only "unknown"
        response = context.request.post(
            f"{live.url}/code", form={"code": next(wrong), "lang": "nl"}, max_redirects=0
        )
        assert "m=unknown" in response.headers["location"]
    page = context.new_page()
    page.goto("/new?lang=nl")
    waits = text_of(live, W.THROTTLED, "nl", minutes=1).split("1")[0]
    for _ in range(25):
        page.fill("#code", next(wrong))
        submit(page, page.locator("#code-form button"), js=False)
        if waits in page.inner_text("main"):
            break
    else:
        raise AssertionError("forty wrong codes and no wait")
    assert page.locator("#note").get_attribute("role") == "alert"  # said at once
    case = live.new_case()
    page.fill("#code", case.invite_code)
    submit(page, page.locator("#code-form button"), js=False)
    assert waits in page.inner_text("main")
    stored = live.case(case.id)
    assert stored is not None and stored.invite_used_at is None

    # From elsewhere the same code works.
    other = contexts.page(js=False, address="198.51.100.99")
    open_invite(other, live, live.invite_link(case), False, check=False)
    assert live.case(case.id).invite_used_at is not None  # type: ignore[union-attr]
