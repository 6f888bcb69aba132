"""The texts as a whole: no text may promise what no municipality can keep (a fine only
without a valid reason, as a last resort), the new sentences are translated, and words
that need a context have one (from test_consequences, test_consent_who)."""

from __future__ import annotations

import pickle
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
from flows.intake import INTAKE
from flows.model import NC_, Contextual
from flows.replies import Msg
from flows.screens import appointments as screen
from tests.flows.helpers import NOW

# -- a msgctxt for words that need different translations ------------------------------------


def _none_options() -> dict[str, str]:
    found = {}
    for question in INTAKE.questions:
        for option in question.options:
            if option.code == "none" and option.text == "None":
                found[question.id] = option.text
    return found


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


# -- what can follow is said, once, calmly --------------------------------------------------

FACTS = A.AppointmentFacts(
    id=7,
    kind="brede_intake",
    starts_at=NOW.replace(day=30),
    ends_at=NOW.replace(day=30, hour=11),
)
CTX = A.AppointmentContext(kinds={"brede_intake": A.KindInfo(obligatory=True)})


def test_the_two_nones_are_the_same_english_word_with_their_own_context() -> None:
    nones = _none_options()
    assert set(nones) == {"reading.dutch", "education.level"}
    assert all(isinstance(text, Contextual) for text in nones.values())
    assert nones["reading.dutch"].context != nones["education.level"].context  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["ar", "ti"])
def test_no_dutch_and_no_school_are_worded_apart(catalog_renderer: Renderer, lang: str) -> None:
    nones = _none_options()
    dutch = catalog_renderer.text(Msg.of(nones["reading.dutch"]), lang)
    school = catalog_renderer.text(Msg.of(nones["education.level"]), lang)
    assert dutch != school
    assert "None" not in (dutch, school)


def test_a_context_word_is_still_the_plain_english_without_a_catalog(renderer: Renderer) -> None:
    word = NC_("no school finished", "None")
    assert word == "None" and renderer.text(Msg.of(word), "ar") == "None"
    copied = pickle.loads(pickle.dumps(word))
    assert copied == "None" and copied.context == "no school finished"


def test_the_template_has_both_contexts_and_no_bare_none() -> None:
    with (DEFAULT_LOCALES_DIR / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    assert template.get("None", "no Dutch spoken") is not None
    assert template.get("None", "no school finished") is not None
    assert template.get("None") is None


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


@pytest.mark.parametrize("lang", ["ar", "ti", "nl"])
def test_the_new_sentences_are_translated(catalog_renderer: Renderer, lang: str) -> None:
    reply = screen.notice("invitation", FACTS, CTX, NOW)
    shown = catalog_renderer.reply(reply, lang, bilingual=False).text
    assert A.CONSEQUENCE not in shown and A.OBLIGATORY not in shown
