"""Language first, then consent: nothing is asked or stored before the person agrees."""

from __future__ import annotations

import pytest

from flows import texts as T
from flows.callbacks import (
    Bilingual,
    ChooseLanguage,
    ConsentChoice,
    PickOption,
    SkipQuestion,
    ToggleOption,
)
from flows.effects import Consent, SetLanguage
from flows.events import Event
from flows.languages import LANGUAGES
from flows.state import Overlay, Stage
from tests.flows.helpers import (
    AGREED,
    CONSENT_VERSION,
    FIRST_QUESTION,
    NOW,
    TO_CONSENT,
    asked,
    at_question,
    buttons,
    codes,
    consented,
    find,
    msgids,
    new_state,
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


# -- consent ----------------------------------------------------------------------------------


def test_no_question_is_asked_before_consent(drive):
    step = drive(TO_CONSENT)
    assert step.state.position.stage is Stage.CONSENT
    assert asked(step) is None
    assert payloads(step) == [ConsentChoice("yes"), ConsentChoice("no"), ConsentChoice("more")]
    consent = find(step, T.CONSENT_WHAT)
    assert consent.params["municipality"] == "Rijswijk"
    who = find(step, T.CONSENT_WHO[0])
    assert who.plural == T.CONSENT_WHO[1] and who.params["count"] == 12
    part = find(step, T.PART_OF_TOTAL)
    assert part.params["part"] == 1 and part.params["total"] == 9


@pytest.mark.parametrize(
    "event",
    [
        press(PickOption(FIRST_QUESTION, "ar")),
        press(ToggleOption(FIRST_QUESTION, "ar")),
        press(SkipQuestion(FIRST_QUESTION)),
        Event.say("1"),
        Event.say("Arabic"),
    ],
)
def test_nothing_is_recorded_while_consent_is_being_asked(drive, event):
    step = drive([*TO_CONSENT, event])
    assert step.answers == () and step.effects == ()
    assert step.state.position.stage is Stage.CONSENT
    assert step.state.answers == {}


def test_agreeing_emits_consent_and_asks_the_first_question(drive):
    step = drive(AGREED)
    assert step.effects == (Consent(CONSENT_VERSION, True, NOW),)
    assert step.state.case.consent_version == CONSENT_VERSION
    assert asked(step) == FIRST_QUESTION
    assert msgids(step)[0] == T.CONSENT_THANKS


def test_declining_stores_nothing_and_emits_a_refusal(drive):
    step = drive([*TO_CONSENT, press(ConsentChoice("no"))])
    assert step.state.position.stage is Stage.DECLINED
    assert step.answers == ()
    assert step.effects == (Consent(CONSENT_VERSION, False, NOW),)
    assert step.state.case.consent_version is None
    assert T.DECLINED in msgids(step)
    assert payloads(step) == [ConsentChoice("again")]


@pytest.mark.parametrize(
    "event",
    [
        Event.say("Arabic"),
        press(ToggleOption(FIRST_QUESTION, "ar")),
        press(ConsentChoice("yes")),
        Event.cmd("help"),
        Event.media_("photo"),
    ],
)
def test_a_declined_person_is_asked_nothing(drive, event):
    declined = drive([*TO_CONSENT, press(ConsentChoice("no"))])
    step = drive([event], state=declined.state)
    assert step.answers == ()
    assert step.state.position.stage is Stage.DECLINED
    assert not any(e for e in step.effects if isinstance(e, Consent) and e.given)


def test_a_declined_person_can_agree_after_all(drive):
    step = drive([*TO_CONSENT, press(ConsentChoice("no")), press(ConsentChoice("again"))])
    assert step.state.position.stage is Stage.CONSENT
    assert step.effects == ()
    assert T.CONSENT_CHANGED not in msgids(step)  # nothing changed: they said no before
    step = drive([press(ConsentChoice("yes"))], state=step.state)
    assert step.effects == (Consent(CONSENT_VERSION, True, NOW),)
    assert asked(step) == FIRST_QUESTION


def test_tell_me_more_explains_and_asks_again(drive):
    step = drive([*TO_CONSENT, press(ConsentChoice("more"))])
    ids = msgids(step)
    for msgid in (T.MORE_MINIMUM, T.MORE_SENSITIVE, T.MORE_NOT_SHARED, T.CONSENT_QUESTION):
        assert msgid in ids
    assert ids.index(T.MORE_MINIMUM) < ids.index(T.CONSENT_QUESTION)
    assert step.state.position.stage is Stage.CONSENT
    assert step.effects == () and step.answers == ()
    assert payloads(step)[-3:] == [ConsentChoice(a) for a in ("yes", "no", "more")]


def test_a_changed_consent_version_asks_again(drive):
    state = consented({"language.spoken": codes("ar")}, consent_version="old")
    step = drive([Event.start()], state=state)
    assert step.state.position.stage is Stage.CONSENT
    assert T.CONSENT_CHANGED in msgids(step)
    assert asked(step) is None
    step = drive([press(ConsentChoice("yes"))], state=step.state)
    assert step.effects == (Consent(CONSENT_VERSION, True, NOW),)
    assert asked(step) == "language.interpreter"  # continues after the kept answer


def test_answers_cannot_be_seen_without_current_consent(drive):
    state = consented({"language.spoken": codes("ar")}, consent_version="old")
    step = drive([Event.cmd("answers")], state=state)
    assert T.NO_ANSWERS_STORED in msgids(step)
    assert step.state.position.stage is not Stage.REVIEW


@pytest.mark.parametrize(
    "event",
    [press(PickOption("reading.dutch", "none")), Event.say("none")],
    ids=["button", "typed"],
)
def test_no_answer_is_recorded_after_the_consent_version_changed(drive, event):
    # The person was mid-way when the consent text changed; their next answer must wait
    # for the new consent.
    state = at_question("reading.dutch", consent_version="old")
    step = drive([event], state=state)
    assert step.answers == ()
    assert step.state.position.stage is Stage.CONSENT
    assert T.CONSENT_CHANGED in msgids(step)
    assert asked(step) is None


@pytest.mark.parametrize(
    "event",
    [Event.cmd("help"), Event.cmd("answers"), Event.media_("photo"), press(ChooseLanguage("ar"))],
    ids=["help", "answers", "photo", "language"],
)
def test_after_a_consent_change_nothing_shows_a_question_before_consent(drive, event):
    state = at_question("reading.dutch", consent_version="old")
    step = drive([event], state=state)
    assert step.answers == ()
    assert asked(step) is None
    assert step.state.position.stage is Stage.CONSENT
    assert T.CONSENT_QUESTION in msgids(step)


@pytest.mark.parametrize(
    "event",
    [Event.start(), Event.say("hello"), Event.cmd("answers"), press(ConsentChoice("yes"))],
)
def test_without_a_case_there_is_information_but_never_a_question(drive, event):
    step = drive(
        [Event.start(), press(ChooseLanguage("en")), event], state=new_state(has_case=False)
    )
    assert step.state.position.stage is Stage.NO_CASE
    assert step.answers == ()
    assert not [e for e in step.effects if isinstance(e, Consent)]
    assert asked(step) is None
    assert T.NO_CASE_WELCOME in msgids(step) or T.NO_ANSWERS_STORED in msgids(step)
    asking = (PickOption, ToggleOption, ConsentChoice)
    assert not any(isinstance(p, asking) for p in payloads(step))
