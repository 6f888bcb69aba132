"""`flows/screens/language.py`: the language first, each in its own words, and the Dutch
copy underneath (from test_language_and_consent)."""

from __future__ import annotations

import pytest

from flows import texts as T
from flows.callbacks import (
    Bilingual,
    ChooseLanguage,
    ConsentChoice,
    PickOption,
)
from flows.effects import SetLanguage
from flows.events import Event
from flows.languages import LANGUAGES
from flows.state import Overlay, Stage
from tests.flows.helpers import (
    asked,
    at_question,
    buttons,
    msgids,
    payloads,
    press,
)

FIRST_EVENTS = [
    Event.start(),
    Event.say("hello"),
    Event.say("مرحبا", lang_hint="ar"),
    Event.cmd("help"),
    Event.cmd("answers"),
    Event.media_("sticker"),
    press(PickOption("language.spoken", "ar")),
    press(ConsentChoice("yes")),
]

# -- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "event", FIRST_EVENTS, ids=lambda e: f"{e.kind}:{e.text or e.data or e.command or e.media}"
)
def test_any_first_event_asks_for_the_language_with_four_own_name_buttons(drive, event):
    step = drive([event])
    assert len(step.replies) == 1
    reply = step.replies[0]
    labels = [b.label for b in buttons(step)]
    assert [b.data for b in buttons(step)] == [f"lang:{code}" for code in LANGUAGES]  # pinned
    assert all(label.literal for label in labels)
    assert [label.msgid for label in labels] == [lang.own_name for lang in LANGUAGES.values()]
    # "Choose your language." once in every language, each rendered in that language.
    assert [p.msgid for p in reply.parts] == [T.CHOOSE_LANGUAGE] * 4
    assert [p.in_lang for p in reply.parts] == list(LANGUAGES)
    assert reply.bilingual is False
    assert step.answers == () and step.effects == ()
    assert step.state.position.lang is None
    assert step.state.position.overlay is Overlay.LANGUAGE


@pytest.mark.parametrize("hint", ["ar", "ti", "nl", "en"])
def test_a_language_hint_puts_that_language_first(drive, hint):
    step = drive([Event.start(lang_hint=hint)])
    offered = payloads(step)
    assert offered[0] == ChooseLanguage(hint)
    assert {p.code for p in offered if isinstance(p, ChooseLanguage)} == set(LANGUAGES)
    assert len(offered) == len(LANGUAGES)
    assert step.replies[0].parts[0].in_lang == hint
    assert step.state.position.lang is None  # a hint, never a choice


def test_an_unknown_language_hint_keeps_the_usual_order(drive):
    step = drive([Event.start(lang_hint="de")])
    assert payloads(step) == [ChooseLanguage(code) for code in LANGUAGES]


@pytest.mark.parametrize("forged", ["lang:xx", "lang:", "lang:EN", "lang:en:extra"])
def test_a_forged_language_button_changes_nothing(drive, forged):
    before = drive([Event.start()])
    step = drive([Event.press(forged)], state=before.state)
    assert step.effects == () and step.answers == ()
    assert step.state.position.lang is None
    assert T.STALE_BUTTON in msgids(step)
    assert any(isinstance(p, ChooseLanguage) for p in payloads(step))  # asked again


def test_a_forged_language_button_after_choosing_keeps_the_language_and_question(drive):
    state = at_question("reading.dutch")
    step = drive([press(ChooseLanguage("xx"))], state=state)
    assert step.effects == () and step.answers == ()
    assert step.state.position.lang == "en"
    assert asked(step) == "reading.dutch"
    assert T.STALE_BUTTON in msgids(step)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_choosing_a_language_emits_set_language_and_moves_on_to_consent(drive, code):
    step = drive([Event.start(), press(ChooseLanguage(code))])
    assert step.effects == (SetLanguage(code),)
    assert step.state.position.lang == code
    assert step.state.position.overlay is None
    assert step.state.position.stage is Stage.CONSENT
    # Everyone but Dutch speakers is told about the Dutch underneath.
    assert (T.BILINGUAL_EXPLAINED in msgids(step)) is (code != "nl")


def test_the_language_menu_offers_turning_dutch_underneath_off_and_on(drive):
    state = at_question("reading.dutch", lang="ar")
    step = drive([Event.cmd("language")], state=state)
    assert step.state.position.overlay is Overlay.LANGUAGE
    assert Bilingual(False) in payloads(step)
    step = drive([press(Bilingual(False))], state=step.state)
    assert step.state.position.bilingual is False
    assert T.BILINGUAL_OFF in msgids(step)
    assert asked(step) == "reading.dutch"
    step = drive([Event.cmd("language")], state=step.state)
    assert Bilingual(True) in payloads(step)


def test_the_language_menu_for_dutch_has_no_bilingual_switch(drive):
    step = drive([Event.cmd("language")], state=at_question("reading.dutch", lang="nl"))
    assert not any(isinstance(p, Bilingual) for p in payloads(step))


def test_changing_the_language_later_keeps_the_place(drive):
    state = at_question("reading.dutch")
    step = drive([Event.cmd("language"), press(ChooseLanguage("ti"))], state=state)
    assert step.effects == (SetLanguage("ti"),)
    assert asked(step) == "reading.dutch"
    assert step.state.position.overlay is None


def test_typing_while_the_language_menu_is_open_asks_for_a_button(drive):
    state = at_question("reading.dutch")
    step = drive([Event.cmd("language"), Event.say("none")], state=state)
    assert step.answers == ()
    assert T.CHOOSE_LANGUAGE_BUTTON in msgids(step)
    assert step.state.position.overlay is Overlay.LANGUAGE


def test_a_forged_bilingual_button_changes_nothing(drive):
    state = at_question("reading.dutch", lang="ar")
    step = drive([Event.press("bi:maybe")], state=state)
    assert step.state.position.bilingual is True
    assert T.BILINGUAL_OFF not in msgids(step)
