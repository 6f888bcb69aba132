"""Language first, then consent: nothing is asked or stored before the person agrees."""

from __future__ import annotations

import pytest

from flows import texts as T
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
    button_data,
    buttons,
    codes,
    consented,
    find,
    msgids,
    new_state,
)

FIRST_EVENTS = [
    Event.start(),
    Event.say("hello"),
    Event.say("مرحبا", lang_hint="ar"),
    Event.cmd("help"),
    Event.cmd("answers"),
    Event.media_("sticker"),
    Event.press("a:language.spoken:ar"),
    Event.press("c:yes"),
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
    assert [b.data for b in buttons(step)] == [f"lang:{code}" for code in LANGUAGES]
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
    data = button_data(step)
    assert data[0] == f"lang:{hint}"
    assert sorted(data) == sorted(f"lang:{code}" for code in LANGUAGES)
    assert step.replies[0].parts[0].in_lang == hint
    assert step.state.position.lang is None  # a hint, never a choice


def test_an_unknown_language_hint_keeps_the_usual_order(drive):
    step = drive([Event.start(lang_hint="de")])
    assert button_data(step) == [f"lang:{code}" for code in LANGUAGES]


@pytest.mark.parametrize("forged", ["lang:xx", "lang:", "lang:EN", "lang:en:extra"])
def test_a_forged_language_button_changes_nothing(drive, forged):
    before = drive([Event.start()])
    step = drive([Event.press(forged)], state=before.state)
    assert step.effects == () and step.answers == ()
    assert step.state.position.lang is None
    assert T.STALE_BUTTON in msgids(step)
    assert any(d.startswith("lang:") for d in button_data(step))  # asked again


def test_a_forged_language_button_after_choosing_keeps_the_language_and_question(drive):
    state = at_question("reading.dutch")
    step = drive([Event.press("lang:xx")], state=state)
    assert step.effects == () and step.answers == ()
    assert step.state.position.lang == "en"
    assert asked(step) == "reading.dutch"
    assert T.STALE_BUTTON in msgids(step)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_choosing_a_language_emits_set_language_and_moves_on_to_consent(drive, code):
    step = drive([Event.start(), Event.press(f"lang:{code}")])
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
    assert "bi:off" in button_data(step)
    step = drive([Event.press("bi:off")], state=step.state)
    assert step.state.position.bilingual is False
    assert T.BILINGUAL_OFF in msgids(step)
    assert asked(step) == "reading.dutch"
    step = drive([Event.cmd("language")], state=step.state)
    assert "bi:on" in button_data(step)


def test_the_language_menu_for_dutch_has_no_bilingual_switch(drive):
    step = drive([Event.cmd("language")], state=at_question("reading.dutch", lang="nl"))
    assert not any(d.startswith("bi:") for d in button_data(step))


def test_changing_the_language_later_keeps_the_place(drive):
    state = at_question("reading.dutch")
    step = drive([Event.cmd("language"), Event.press("lang:ti")], state=state)
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
    assert button_data(step) == ["c:yes", "c:no", "c:more"]
    consent = find(step, T.CONSENT_WHAT)
    assert consent.params["municipality"] == "Rijswijk"
    who = find(step, T.CONSENT_WHO[0])
    assert who.plural == T.CONSENT_WHO[1] and who.params["count"] == 12
    part = find(step, T.PART_OF_TOTAL)
    assert part.params["part"] == 1 and part.params["total"] == 9


@pytest.mark.parametrize(
    "event",
    [
        Event.press(f"a:{FIRST_QUESTION}:ar"),
        Event.press(f"t:{FIRST_QUESTION}:ar"),
        Event.press(f"s:{FIRST_QUESTION}"),
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
    step = drive([*TO_CONSENT, Event.press("c:no")])
    assert step.state.position.stage is Stage.DECLINED
    assert step.answers == ()
    assert step.effects == (Consent(CONSENT_VERSION, False, NOW),)
    assert step.state.case.consent_version is None
    assert T.DECLINED in msgids(step)
    assert button_data(step) == ["c:again"]


@pytest.mark.parametrize(
    "event",
    [
        Event.say("Arabic"),
        Event.press(f"t:{FIRST_QUESTION}:ar"),
        Event.press("c:yes"),
        Event.cmd("help"),
        Event.media_("photo"),
    ],
)
def test_a_declined_person_is_asked_nothing(drive, event):
    declined = drive([*TO_CONSENT, Event.press("c:no")])
    step = drive([event], state=declined.state)
    assert step.answers == ()
    assert step.state.position.stage is Stage.DECLINED
    assert not any(e for e in step.effects if isinstance(e, Consent) and e.given)


def test_a_declined_person_can_agree_after_all(drive):
    step = drive([*TO_CONSENT, Event.press("c:no"), Event.press("c:again")])
    assert step.state.position.stage is Stage.CONSENT
    assert step.effects == ()
    assert T.CONSENT_CHANGED not in msgids(step)  # nothing changed: they said no before
    step = drive([Event.press("c:yes")], state=step.state)
    assert step.effects == (Consent(CONSENT_VERSION, True, NOW),)
    assert asked(step) == FIRST_QUESTION


def test_tell_me_more_explains_and_asks_again(drive):
    step = drive([*TO_CONSENT, Event.press("c:more")])
    ids = msgids(step)
    for msgid in (T.MORE_MINIMUM, T.MORE_SENSITIVE, T.MORE_NOT_SHARED, T.CONSENT_QUESTION):
        assert msgid in ids
    assert ids.index(T.MORE_MINIMUM) < ids.index(T.CONSENT_QUESTION)
    assert step.state.position.stage is Stage.CONSENT
    assert step.effects == () and step.answers == ()
    assert button_data(step)[-3:] == ["c:yes", "c:no", "c:more"]


def test_a_changed_consent_version_asks_again(drive):
    state = consented({"language.spoken": codes("ar")}, consent_version="old")
    step = drive([Event.start()], state=state)
    assert step.state.position.stage is Stage.CONSENT
    assert T.CONSENT_CHANGED in msgids(step)
    assert asked(step) is None
    step = drive([Event.press("c:yes")], state=step.state)
    assert step.effects == (Consent(CONSENT_VERSION, True, NOW),)
    assert asked(step) == "language.interpreter"  # continues after the kept answer


def test_answers_cannot_be_seen_without_current_consent(drive):
    state = consented({"language.spoken": codes("ar")}, consent_version="old")
    step = drive([Event.cmd("answers")], state=state)
    assert T.NO_ANSWERS_STORED in msgids(step)
    assert step.state.position.stage is not Stage.REVIEW


@pytest.mark.parametrize(
    "event", [Event.press("a:reading.dutch:none"), Event.say("none")], ids=["button", "typed"]
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
    [Event.cmd("help"), Event.cmd("answers"), Event.media_("photo"), Event.press("lang:ar")],
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
    [Event.start(), Event.say("hello"), Event.cmd("answers"), Event.press("c:yes")],
)
def test_without_a_case_there_is_information_but_never_a_question(drive, event):
    step = drive([Event.start(), Event.press("lang:en"), event], state=new_state(has_case=False))
    assert step.state.position.stage is Stage.NO_CASE
    assert step.answers == ()
    assert not [e for e in step.effects if isinstance(e, Consent)]
    assert asked(step) is None
    assert T.NO_CASE_WELCOME in msgids(step) or T.NO_ANSWERS_STORED in msgids(step)
    assert not any(d.startswith(("a:", "t:", "c:")) for d in button_data(step))
