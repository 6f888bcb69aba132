"""What people are told about staying away, and the labels of two appointment kinds.

No text may promise what no municipality can keep: the seeds tie avoiding a fine to a
valid reason ("zonder geldige reden", seed 002), not to telling us before, and a benefit
can be affected. So no message, in any of the four catalogs, says that missing an
appointment is "no problem" or that "nothing happens"; and the messages that are about
appointments do say, calmly, what can follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po

from flows import appointments as A
from flows import journey as J
from flows import roles
from flows.i18n import DEFAULT_LOCALES_DIR, Renderer
from flows.replies import Reply
from flows.screens import appointments as screen
from flows.screens import roles as roles_screen
from tests.flows.helpers import NOW

LANGS = ("en", "nl", "ar", "ti")

# Promises that staying away costs nothing, as each catalog would word them. Anywhere in
# a catalog they are wrong; "nothing is decided here" (about the answers) is not one.
PROMISES: dict[str, tuple[str, ...]] = {
    "en": (
        r"\bno problem\b",
        r"\bnot a problem\b",
        r"\bnothing (bad )?(will |would )?happens?\b",
        r"\bno consequences?\b",
        r"\bdoes(n't| not) matter\b",
    ),
    "nl": (
        r"\bgeen probleem\b",
        r"\bgeen enkel probleem\b",
        r"\bgebeurt (er )?niets\b",
        r"\bniets aan de hand\b",
        r"\bgeen gevolgen\b",
        r"\bmaakt niet uit\b",
    ),
    "ar": (
        r"(لا|ليس|ليست|لن|بلا|دون)\s+((توجد|يوجد|تكون|يكون|هناك|أي)\s+)*مشكلة",
        r"لن يحدث (أي )?شيء",
        r"(لا|لن) (توجد|يوجد|تكون|يكون) (أي )?عواقب",
    ),
    "ti": (
        r"ጸገም\s*(የለን|የብሉን|ኣይኮነን|ኣይኸውንን|ኣይህሉን|ኣይክህሉን)",
        r"ሳዕቤን\s*(የለን|የብሉን|ኣይህሉን)",
        r"ገለ(ይ)?\s*ነገር\s*ኣይክኸውንን",
    ),
}
# Softer reassurance ("that is all right") is fine about the pre-intake, which is
# voluntary, but not in a message about an appointment the law asks people to come to.
REASSURANCE: dict[str, tuple[str, ...]] = {
    "en": (r"\b(that|it) is (all right|fine|okay|ok)\b", r"\b(that|it)'s (all right|fine|ok)"),
    "nl": (r"\b(dat|het) is (niet erg|goed|prima|oké)\b", r"\bgeen zorgen\b"),
    "ar": (r"لا بأس", r"لا مشكلة", r"لا تقلق"),
    "ti": (r"ሕራይ", r"ጸገም የለን", r"ኣይትጨነቑ"),
}
# What the catalogs said before they were corrected (issue #14): the patterns must catch it.
OLD_WORDING = {
    "en": "If you cannot come, tell us before. Then there is no problem.",
    "nl": "Laat het ons dan van tevoren weten. Dan is er geen probleem.",
    "ar": "إذا كنت لا تستطيع الحضور، أخبرنا قبل الموعد. عندها لا توجد أي مشكلة.",
    "ti": "ክትመጹ እንተ ዘይክኢልኩም፣ ኣቐዲምኩም ንገሩና። ሽዑ ጸገም የለን።",
}
OLD_REASSURANCE = {
    "en": "That is all right. Why can you not come?",
    "nl": "Dat is niet erg. Waarom kun je niet komen?",
    "ar": "لا مشكلة. لماذا لا تستطيع الحضور؟",
    "ti": "ጸገም የለን። ስለምንታይ ክትመጹ ዘይትኽእሉ፧",
}


def _catalog(lang: str, locales: Path = DEFAULT_LOCALES_DIR) -> dict[str, list[str]]:
    """msgid (the singular) → every form of its translation, from the .po file itself."""
    path = locales / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    entries: dict[str, list[str]] = {}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        entries.setdefault(msgid, []).extend(form for form in forms if form)
    return entries


def _module_msgids(module: ModuleType) -> set[str]:
    """Every string a module defines at the top level, also inside tuples and dicts."""

    def walk(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple | list):
            for item in value:
                yield from walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)

    found = {text for name, value in vars(module).items() if name.isupper() for text in walk(value)}
    if module is J:  # the journey's steps are records of texts
        found |= {text for step in J.STEPS for text in (step.title, step.happens, step.you_do)}
    return found


def _hits(patterns: tuple[str, ...], text: str) -> list[str]:
    return [p for p in patterns if re.search(p, text, re.IGNORECASE)]


@pytest.mark.parametrize("lang", LANGS)
def test_the_patterns_catch_what_the_catalogs_used_to_promise(lang: str) -> None:
    assert _hits(PROMISES[lang], OLD_WORDING[lang]), lang
    assert _hits(REASSURANCE[lang], OLD_REASSURANCE[lang]), lang


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_in_any_catalog_promises_that_staying_away_is_no_problem(lang: str) -> None:
    found = {
        msgid: hits
        for msgid, forms in _catalog(lang).items()
        for form in [msgid, *forms]
        if (hits := _hits(PROMISES[lang], form))
    }
    assert found == {}


@pytest.mark.parametrize("lang", LANGS)
def test_no_appointment_or_roles_text_plays_staying_away_down(lang: str) -> None:
    ours = _module_msgids(A) | _module_msgids(roles) | _module_msgids(J)
    steps = {text for step in J.STEPS for text in (step.title, step.happens, step.you_do)}
    assert steps <= set(_catalog(lang)), "the journey's texts are in the catalog"
    catalog = _catalog(lang)
    assert ours & set(catalog), "the msgids of flows.appointments are in the catalog"
    found = {
        msgid: hits
        for msgid in ours & set(catalog)
        for form in [msgid, *catalog[msgid]]
        if (hits := _hits(REASSURANCE[lang], form))
    }
    assert found == {}


# -- what can follow is said, once, calmly --------------------------------------------------

FACTS = A.AppointmentFacts(
    id=7,
    kind="brede_intake",
    starts_at=NOW.replace(day=30),
    ends_at=NOW.replace(day=30, hour=11),
)
CTX = A.AppointmentContext(kinds={"brede_intake": A.KindInfo(obligatory=True)})


@pytest.mark.parametrize("purpose", ["invitation", "changed"])
def test_an_invitation_or_change_to_an_obligatory_talk_says_what_can_follow(purpose: str) -> None:
    parts = [p.msgid for p in screen.notice(purpose, FACTS, CTX, NOW).parts]
    assert A.OBLIGATORY in parts and A.CONSEQUENCE in parts
    assert parts.index(A.CONSEQUENCE) == parts.index(A.OBLIGATORY) + 1


def test_the_consequence_ties_a_fine_to_no_valid_reason_and_calls_it_a_last_resort() -> None:
    for text in (A.CONSEQUENCE, roles.TOPIC_NOTES["fine"]):
        assert "without a valid reason" in text and "last resort" in text
    assert "benefit" in A.CONSEQUENCE
    assert "say why" in A.OBLIGATORY and "say why" in roles.TOPIC_NOTES["fine"]
    assert "without a valid reason" in A.THANKS_CANNOT_OBLIGATORY


def test_the_journey_states_the_fines_once_as_the_law_does() -> None:
    fines = next(step for step in J.STEPS if step.code == "fines")
    assert "last resort" in fines.happens and "without a valid reason" in fines.happens
    assert "say why" in fines.you_do and "ill, with proof" in fines.you_do
    assert "benefit" in J.FINES_BENEFIT
    assert "at most" in J.FINES_MUNICIPALITY and "at most" in J.FINES_DUO
    others = [s for s in J.STEPS if s is not fines]
    assert not any("fine" in f"{s.happens} {s.you_do}".casefold() for s in others)


def test_reminders_and_talks_that_are_not_obligatory_do_not_repeat_it() -> None:
    reminder = screen.notice("reminder", FACTS, CTX, NOW)
    assert A.OBLIGATORY in msgids_of(reminder) and A.CONSEQUENCE not in msgids_of(reminder)
    free = FACTS.model_copy(update={"kind": "kennismaking"})
    assert A.CONSEQUENCE not in msgids_of(screen.notice("invitation", free, CTX, NOW))


def msgids_of(reply: Reply) -> list[str]:
    return [p.msgid for p in reply.parts]


def test_the_fine_topic_explains_a_fine_next_to_whom_to_ask() -> None:
    card = roles.RoleCard("consulent", "consulent inburgering", "Gemeente Rijswijk", phone="14 070")
    reply = roles_screen.topic_answer("fine", {"consulent": card}, {"fine": "consulent"})
    assert roles.TOPIC_NOTES["fine"] in msgids_of(reply)
    other = roles_screen.topic_answer("doctor", {"consulent": card}, {"doctor": "consulent"})
    assert roles.TOPIC_NOTES["fine"] not in msgids_of(other)


@pytest.mark.parametrize("lang", ["ar", "ti", "nl"])
def test_the_new_sentences_are_translated(catalog_renderer: Renderer, lang: str) -> None:
    reply = screen.notice("invitation", FACTS, CTX, NOW)
    shown = catalog_renderer.reply(reply, lang, bilingual=False).text
    assert A.CONSEQUENCE not in shown and A.OBLIGATORY not in shown


# -- two labels ---------------------------------------------------------------------------------


def test_the_leerbaarheidstoets_is_about_how_well_one_can_learn_dutch() -> None:
    label = A.KIND_LABELS["leerbaarheidstoets"]
    assert label.startswith("Leerbaarheidstoets: ")
    assert "learn Dutch" in label and "route" in label
    assert "how you learn best" not in label


def test_the_pvt_is_a_course_of_at_least_12_hours_ending_with_signing() -> None:
    label = A.KIND_LABELS["pvt"]
    assert label.startswith("PVT: ")
    assert "course" in label and "at least 12 hours" in label
    assert "signing the participation statement" in label


def test_the_i_cannot_come_question_asks_why_without_saying_it_is_all_right() -> None:
    assert "why" in A.WHY_NOT and not _hits(REASSURANCE["en"], A.WHY_NOT)
