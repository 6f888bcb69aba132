"""`flows/screens/consent.py`: consent before anything is asked or stored; who sees the
answers, as the consent text says it (from test_language_and_consent, test_consent_who,
test_robustness)."""

from __future__ import annotations

import pytest

from flows import texts as T
from flows.callbacks import (
    ChooseLanguage,
    ConsentChoice,
    PickOption,
    SkipQuestion,
    ToggleOption,
)
from flows.effects import Consent
from flows.events import Event
from flows.i18n import FSI, PDI, Renderer
from flows.intake import INTAKE
from flows.state import Stage
from tests.flows.helpers import (
    AGREED,
    CONSENT_VERSION,
    FIRST_QUESTION,
    NOW,
    TO_CONSENT,
    asked,
    at_question,
    codes,
    consented,
    find,
    msgids,
    new_state,
    payloads,
    press,
)

WHO = ("je klantmanager inburgering bij ISD Bollenstreek", "VluchtelingenWerk, bij de brede intake")


def test_without_a_list_the_consulent_and_the_people_who_work_with_them_see_the_answers(
    renderer: Renderer,
) -> None:
    text = renderer.text(T.consent_who("Noordwijk", 12, ()), "en")
    assert text.startswith("Your consulent at Noordwijk and the people who work with them")
    assert "erased 12 months after" in text
    assert "Only" not in text and "only" not in text


def test_with_a_list_each_one_is_named_on_its_own_line(renderer: Renderer) -> None:
    text = renderer.text(T.consent_who("Noordwijk", 1, WHO), "en")
    assert text.splitlines() == [
        "These people can see your answers:",
        "• je klantmanager inburgering bij ISD Bollenstreek",
        "• VluchtelingenWerk, bij de brede intake",
        "Your answers are erased 1 month after your inburgering ends.",
    ]


@pytest.mark.parametrize("lang", ["ar", "ti", "nl"])
@pytest.mark.parametrize("months", [1, 2, 12, 24])
def test_the_list_is_rendered_in_every_language_with_the_dutch_names_as_written(
    catalog_renderer: Renderer, lang: str, months: int
) -> None:
    text = catalog_renderer.text(T.consent_who("Noordwijk", months, WHO), lang)
    english = catalog_renderer.text(T.consent_who("Noordwijk", months, WHO), "en")
    assert text != english
    assert "{" not in text
    lines = text.splitlines()
    for who in WHO:
        line = next(line for line in lines if who in line)
        if lang == "ar":  # a Dutch line inside Arabic keeps its own direction
            assert line == f"{FSI}• {who}{PDI}"


@pytest.mark.parametrize("lang", ["ar", "ti", "nl"])
def test_the_general_sentence_is_translated(catalog_renderer: Renderer, lang: str) -> None:
    text = catalog_renderer.text(T.consent_who("Rijswijk", 12, ()), lang)
    assert "Rijswijk" in text and "{" not in text
    assert text != catalog_renderer.text(T.consent_who("Rijswijk", 12, ()), "en")


def test_the_consent_screen_no_longer_says_only_the_consulent_sees_them(drive) -> None:  # type: ignore[no-untyped-def]
    step = drive(TO_CONSENT)
    shown = "\n".join(part.msgid for reply in step.replies for part in reply.parts)
    assert "the people who work with them on your inburgering" in shown
    assert "Only your consulent" not in shown


def test_the_consent_text_version_moved_on_because_the_promise_changed() -> None:
    assert T.CONSENT_TEXT_VERSION != "1"


def test_the_consent_screen_names_the_municipalitys_list(renderer: Renderer) -> None:
    from dataclasses import replace

    from flows.engine import Engine
    from tests.flows.helpers import CONTEXT, drive, new_state

    engine = Engine(INTAKE, replace(CONTEXT, who_sees=WHO), renderer.text)
    step = drive(engine, new_state(), TO_CONSENT)
    shown = "\n".join(renderer.text(part, "en") for reply in step.replies for part in reply.parts)
    assert "These people can see your answers:" in shown
    assert all(f"• {who}" in shown for who in WHO)


@pytest.mark.parametrize(
    "event",
    [Event.say("hello"), Event.say(""), Event.say("\x00")],
    ids=["words", "empty", "control"],
)
def test_typing_at_consent_points_to_the_buttons(drive, event):
    step = drive([*TO_CONSENT, event])
    assert msgids(step)[0] in (T.USE_BUTTONS, T.NO_TEXT)
    assert step.state.position.stage is Stage.CONSENT
    assert step.answers == () and step.effects == ()


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
