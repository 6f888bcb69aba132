"""`flows/engine.py`: the routing. Whatever a person (or a forger) sends, in any order, the
engine answers, stays at a valid place, and never loses or invents an answer; stale and
forged buttons, media, commands; a step is a pure function (from test_engine_properties,
test_robustness)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import texts as T
from flows.callbacks import (
    Bilingual,
    ChooseLanguage,
    ConsentChoice,
    DoneChoosing,
    MenuChoice,
    PickOption,
    ReviewAction,
    ToggleOption,
    parse,
)
from flows.effects import Consent, Erase, Submitted
from flows.engine import ROUTERS, Engine, Step
from flows.events import Event, EventKind
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.state import AnswerValue, CaseFacts, Overlay, Stage, State
from tests.flows.helpers import (
    AGREED,
    ALL_BRANCHES,
    CONSENT_VERSION,
    CONTEXT,
    FIRST_QUESTION,
    NOW,
    TO_CONSENT,
    all_msgids,
    asked,
    at_question,
    button_data,
    buttons,
    codes,
    consented,
    find,
    msgids,
    new_state,
    payloads,
    press,
    steps,
    walk,
)

RENDERER = Renderer({})
ENGINE = Engine(INTAKE, CONTEXT, RENDERER.text)
QUESTION_IDS = [question.id for question in INTAKE.questions]
OPTION_CODES = sorted({o.code for question in INTAKE.questions for o in question.options})

# -- what a person can send -------------------------------------------------------------------


@dataclass(frozen=True)
class PressOffered:
    """Press one of the buttons of the previous step (by index, modulo their number);
    `decisive` picks among those that are not MULTI toggles or language buttons, so the
    conversation moves on instead of toggling options for ever."""

    index: int
    decisive: bool = False


def _decisive(data: str) -> bool:
    return not isinstance(parse(data), ToggleOption | ChooseLanguage | Bilingual)


@dataclass(frozen=True)
class ForgeCurrent:
    """Forge a button of the question on the screen: `prefix:<current id>:value`."""

    prefix: str
    value: str


# Characters for forged button data, including compatibility digits such as "²" and "①"
# (isdigit() is True for them, int() refuses them).
forged_chars = st.characters(exclude_categories=("Cs",))
forged_value = st.one_of(
    st.sampled_from(OPTION_CODES),
    st.integers(-5, 120).map(str),
    st.sampled_from(
        ["", "²", "¹²", "①", "١٢", "۱۲", "0", "00", "sec:work", "q:reading.dutch", "send"]
    ),
    st.text(forged_chars, max_size=12),
)
forged_data = st.builds(
    lambda prefix, qid, value, shape: [
        f"{prefix}:{qid}:{value}",
        f"{prefix}:{qid}",
        f"{prefix}:{value}",
        f"{prefix}{value}",
    ][shape],
    st.sampled_from(["a", "t", "d", "n", "s", "b", "c", "r", "m", "lang", "bi", "x", "", "A"]),
    st.one_of(st.sampled_from(QUESTION_IDS), st.text(forged_chars, max_size=10)),
    forged_value,
    st.integers(0, 3),
)

forged_current = st.builds(
    ForgeCurrent, st.sampled_from(["a", "t", "d", "n", "s", "b", "r:q", "x"]), forged_value
)

texts = st.one_of(
    st.text(),
    st.text(max_size=3).map(lambda s: s * 400),  # long, often over every limit
    st.text(st.sampled_from("\x00\x07\x1b\u200b\u200c\u200d\u202e\u2066\ufeff\n\t "), max_size=8),
    st.integers(-3, 70).map(str),
    st.sampled_from(["1, 3", "١٢", "۱۲", "12", "yes", "No", "my children", "1 2", "Arabic"]),
)

commands = st.one_of(
    st.sampled_from(["start", "help", "answers", "language"]),
    st.text(max_size=10),
)

hints = st.sampled_from([None, "ar", "ti", "nl", "en", "de", ""])

offered_presses = st.builds(PressOffered, st.integers(0, 60), st.booleans())
other_events = st.one_of(
    st.builds(Event.press, forged_data),
    forged_current,
    st.builds(Event.say, texts, hints),
    st.builds(Event.cmd, commands),
    st.builds(Event.media_, st.sampled_from(["sticker", "photo", "voice", "video", ""])),
    st.builds(Event.start, hints),
    st.builds(
        Event.press,
        st.sampled_from(
            [
                *(ChooseLanguage(code).pack() for code in ("ar", "ti", "nl", "en", "xx")),
                *(Bilingual(on).pack() for on in (True, False)),
                *(ConsentChoice(answer).pack() for answer in ("yes", "no", "more", "again")),
                *(ReviewAction(action).pack() for action in ("send", "change")),
                MenuChoice("answers").pack(),
            ]
        ),
    ),
)
# Half of what a person does is pressing what is on the screen. (A plain one_of would be
# flattened into one choice among all eleven kinds.)
events = st.booleans().flatmap(lambda on_screen: offered_presses if on_screen else other_events)


# Hypothesis keeps lists short by default; a drawn length makes long conversations common.
def conversations(max_size: int = 60) -> st.SearchStrategy[list]:
    return st.integers(1, max_size).flatmap(lambda n: st.lists(events, min_size=n, max_size=n))


def _walked_states() -> list[tuple[str, State]]:
    """Places along a whole pre-intake with every branch open; the review after it; and
    changing, from the review, each answer that other questions depend on (so a new
    answer can make follow-ups go)."""
    agreed = steps(ENGINE, new_state(), AGREED)[-1]
    walked = walk(ENGINE, agreed.state, ALL_BRANCHES)
    places = [(f"at {asked(step)}", step.state) for step in walked[::4] if asked(step)]
    review = walked[-1].state
    triggers = sorted({c.question for q in INTAKE.questions for c in q.conditions})
    changing = [
        (
            f"changing {trigger}",
            review.model_copy(
                update={
                    "position": review.position.model_copy(
                        update={
                            "stage": Stage.QUESTION,
                            "question": trigger,
                            "return_to_review": True,
                        }
                    )
                },
                deep=True,
            ),
        )
        for trigger in triggers
    ]
    return [*places, ("at the review", review), *changing]


starts = st.sampled_from(
    [
        ("new person with a code", new_state()),
        ("new person without a code", new_state(has_case=False)),
        ("agreed, nothing answered", consented()),
        ("old consent", consented({"language.spoken": codes("ti")}, consent_version="old")),
        (
            "old consent, mid-way",
            consented(
                {"language.spoken": codes("ti")},
                stage=Stage.QUESTION,
                question="language.interpreter",
                consent_version="old",
            ),
        ),
        (
            "case gone, mid-way",
            consented(stage=Stage.REVIEW, consent_version=None).model_copy(
                update={"case": CaseFacts(has_case=False)}
            ),
        ),
        ("submitted", consented(stage=Stage.DONE, submitted=True)),
        *_walked_states(),
    ]
)


# -- the properties ---------------------------------------------------------------------------


def check_place(state: State) -> None:
    position = state.position
    assert position.overlay in (None, Overlay.LANGUAGE)
    if position.stage is Stage.QUESTION:
        question = INTAKE.question(position.question or "")
        assert question is not None, position.question
        assert question.applies(state.answers), question.id
        assert set(position.selection) <= {o.code for o in question.options}
    else:
        assert position.stage in set(Stage) - {Stage.QUESTION}
    for question_id, _ in state.answers.items():
        assert INTAKE.question(question_id) is not None
        assert INTAKE.question(question_id).applies(state.answers), question_id


def check_replies(step: Step, lang: str | None) -> None:
    assert step.replies, "every event gets an answer"
    for reply in step.replies:
        assert reply.parts or reply.buttons
        rendered = RENDERER.reply(reply, lang or "en", bilingual=True)
        assert rendered.text.strip() or rendered.buttons


def to_event(action: object, state: State, offered: list[str]) -> Event:
    if isinstance(action, PressOffered):
        choices = [d for d in offered if _decisive(d)] if action.decisive else offered
        choices = choices or offered
        return Event.press(choices[action.index % len(choices)]) if choices else Event.start()
    if isinstance(action, ForgeCurrent):
        return Event.press(f"{action.prefix}:{state.position.question}:{action.value}")
    assert isinstance(action, Event)
    return action


def run(start: State, actions: list) -> None:
    state = start
    answers: dict[str, AnswerValue] = dict(start.answers)
    consent = start.case.has_case and start.case.consent_version == CONSENT_VERSION
    offered: list[str] = []
    for action in actions:
        event = to_event(action, state, offered)
        step = ENGINE.step(state, event, NOW)

        check_place(step.state)
        check_replies(step, step.state.position.lang)
        if event.kind is EventKind.CHOICE and event.data in offered:
            assert T.STALE_BUTTON not in msgids(step), f"offered {event.data} called stale"

        for effect in step.effects:
            if isinstance(effect, Consent):
                consent = effect.given
        if step.answers:
            assert consent, "an answer recorded without consent"
            assert step.state.case.consent_version == CONSENT_VERSION
        for record in step.answers:
            assert INTAKE.question(record.question_id) is not None
            assert record.at == NOW
            if record.value is None:
                answers.pop(record.question_id, None)
            else:
                answers[record.question_id] = record.value
        assert step.state.answers == answers, "the answers differ from what was recorded"

        state = step.state
        offered = [button.data for button in buttons(step)]


AT_DUTCH = {"language.spoken": codes("ar"), "language.interpreter": codes("no")}


def unchanged(step, before, stage):
    assert T.STALE_BUTTON in msgids(step)
    assert step.answers == () and step.effects == ()
    assert step.state.position.stage is stage
    assert step.state.answers == before.answers
    assert step.state.case == before.case


# Buttons stay in a chat for months: the data they carry must keep its meaning. These
# presses are written out as the wire format, not built (the builders could drift).
LEGACY_PRESSES = [
    (at_question("reading.dutch", AT_DUTCH), "a:reading.dutch:good", "reading.dutch"),
    (at_question(FIRST_QUESTION, selection=["ar"]), "d:language.spoken", FIRST_QUESTION),
    (at_question("reading.dutch", AT_DUTCH), "s:reading.dutch", "reading.dutch"),
    (at_question("education.years"), "n:education.years:12", "education.years"),
]


# -- purity -----------------------------------------------------------------------------------


PURITY_CASES = [
    (new_state(), Event.start(lang_hint="ar")),
    (at_question("reading.dutch", AT_DUTCH), press(PickOption("reading.dutch", "good"))),
    (at_question(FIRST_QUESTION, selection=["ar"]), press(DoneChoosing(FIRST_QUESTION))),
    (
        at_question(
            "family.household",
            {"family.household": codes("children"), "family.children_ages": codes("under_4")},
            history=["language.spoken"],
        ),
        Event.say("1"),
    ),
    (consented(stage=Stage.REVIEW), press(ReviewAction("send"))),
    (consented(stage=Stage.CONSENT, consent_version=None), press(ConsentChoice("yes"))),
    (at_question("reading.dutch", AT_DUTCH, overlay=Overlay.LANGUAGE), Event.say("x")),
]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(start=starts, actions=conversations())
def test_any_sequence_of_events_keeps_the_conversation_sound(start, actions):
    run(start[1], actions)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    indexes=st.integers(1, 60).flatmap(
        lambda n: st.lists(st.integers(0, 60), min_size=n, max_size=n)
    )
)
def test_a_person_who_only_presses_offered_buttons_is_never_told_they_are_stale(indexes):
    """Starting from nothing, always pressing something on the screen."""
    run(new_state(), [PressOffered(i, decisive=i % 2 == 0) for i in indexes])


@settings(max_examples=50, deadline=None)
@given(start=starts, actions=conversations(20))
def test_a_step_is_a_pure_function(start, actions):
    state = start[1]
    offered: list[str] = []
    for action in actions:
        event = to_event(action, state, offered)
        before = state.model_copy(deep=True)
        step = ENGINE.step(state, event, NOW)
        assert state == before, "step changed its input"
        assert ENGINE.step(state, event, NOW) == step
        state = step.state
        offered = [button.data for button in buttons(step)]


@pytest.mark.parametrize(
    "data",
    [
        "a:language.spoken:ar",  # a button of an earlier question
        "a:reading.latin:yes",  # a button of a later question
        "a:reading.dutch:fluent",  # a made-up option code
        "a:reading.dutch:",
        "a:reading.dutch",
        "t:reading.dutch:none",  # a toggle on a single choice
        "d:reading.dutch",
        "n:reading.dutch:1",
        "s:language.spoken",  # skip of another question
        "x:reading.dutch:none",  # an unknown prefix
        "",
        ":",
        "reading.dutch",
        "r:send",  # review buttons outside the review
        "r:change",
        "r:q:reading.dutch",
        "c:yes",  # consent after consent
        "c:no",
        "c:again",
        "m:nope",
        "a:reading.dutch:none:extra",
    ],
)
def test_a_stale_or_forged_button_is_answered_with_a_note_and_changes_nothing(drive, data):
    before = at_question("reading.dutch", AT_DUTCH)
    step = drive([Event.press(data)], state=before)
    unchanged(step, before, Stage.QUESTION)
    assert asked(step) == "reading.dutch"
    assert "a:reading.dutch:none" in button_data(step)  # the question again


@pytest.mark.parametrize(
    "data",
    [
        "a:language.spoken:ar",
        "t:language.spoken:zz",
        "t:language.spoken",
        "d:nope",
        "n:language.spoken:1",
    ],
)
def test_a_forged_button_on_a_multiple_choice_is_stale(drive, data):
    before = at_question(FIRST_QUESTION)
    step = drive([Event.press(data)], state=before)
    unchanged(step, before, Stage.QUESTION)
    assert step.state.position.selection == []


@pytest.mark.parametrize("data", ["a:language.spoken:ar", "r:send", "s:language.spoken", "zz"])
def test_a_forged_button_at_consent_keeps_consent(drive, data):
    before = drive(TO_CONSENT).state
    step = drive([Event.press(data)], state=before)
    unchanged(step, before, Stage.CONSENT)
    assert payloads(step)[-3:] == [ConsentChoice(a) for a in ("yes", "no", "more")]


@pytest.mark.parametrize(("state", "data", "question"), LEGACY_PRESSES)
def test_an_old_answer_button_still_answers(drive, state, data, question):
    step = drive([Event.press(data)], state=state)
    assert [record.question_id for record in step.answers] == [question]
    assert T.STALE_BUTTON not in msgids(step)


def test_old_consent_review_and_erase_buttons_still_work(engine, drive):
    consent = drive([*TO_CONSENT, Event.press("c:yes")])
    assert [type(e) for e in consent.effects] == [Consent]
    review = walk(engine, consent.state)[-1].state
    sent = drive([Event.press("r:send")], state=review)
    assert [type(e) for e in sent.effects] == [Submitted]
    erased = drive([Event.cmd("delete"), Event.press("x:yes")], state=consented())
    assert [type(e) for e in erased.effects] == [Erase]


def test_the_stale_note_comes_before_the_question_in_one_message(drive):
    step = drive([Event.press("zz")], state=at_question("reading.dutch", AT_DUTCH))
    assert len(step.replies) == 1
    assert msgids(step)[0] == T.STALE_BUTTON


# -- media ------------------------------------------------------------------------------------


@pytest.mark.parametrize("media", ["sticker", "photo", "document", "video", ""])
def test_unsupported_media_gets_a_kind_note_and_the_question_again(drive, media):
    before = at_question("reading.dutch", AT_DUTCH)
    step = drive([Event.media_(media)], state=before)
    assert msgids(step)[0] == T.MEDIA_UNSUPPORTED
    assert asked(step) == "reading.dutch"
    assert PickOption("reading.dutch", "none") in payloads(step)
    assert step.answers == () and step.effects == ()


def test_a_voice_message_gets_its_own_note(drive):
    step = drive([Event.media_("voice")], state=at_question("reading.dutch", AT_DUTCH))
    assert msgids(step)[0] == T.VOICE_UNSUPPORTED
    assert T.MEDIA_UNSUPPORTED not in msgids(step)
    assert asked(step) == "reading.dutch"


def test_media_at_consent_shows_consent_again(drive):
    step = drive([*TO_CONSENT, Event.media_("sticker")])
    assert msgids(step)[0] == T.MEDIA_UNSUPPORTED
    assert step.state.position.stage is Stage.CONSENT


def test_commands_are_case_insensitive(drive):
    step = drive([Event.cmd("HELP")], state=at_question("reading.dutch", AT_DUTCH))
    assert T.UNKNOWN_COMMAND not in msgids(step)
    assert T.HELP in msgids(step)


def test_a_command_closes_the_language_menu(drive):
    state = at_question("reading.dutch", AT_DUTCH)
    step = drive([Event.cmd("language"), Event.cmd("help")], state=state)
    assert step.state.position.overlay is None
    assert asked(step) == "reading.dutch"


def test_every_reply_is_translatable_text(drive):
    """Nothing but msgids and literal insertions reaches the person (no raw strings)."""
    step = drive([*AGREED, Event.cmd("help")])
    assert all(isinstance(m, str) and m for m in all_msgids(step))


@pytest.mark.parametrize(("state", "event"), PURITY_CASES)
def test_the_same_state_event_and_time_give_equal_steps(engine, state, event):
    first = engine.step(state, event, NOW)
    second = engine.step(state, event, NOW)
    assert first == second


@pytest.mark.parametrize(("state", "event"), PURITY_CASES)
def test_step_does_not_change_the_state_it_is_given(engine, state, event):
    snapshot = state.model_copy(deep=True)
    step = engine.step(state, event, NOW)
    assert state == snapshot
    assert step.state is not state
    assert step.state.position is not state.position
    assert step.state.answers is not state.answers


def test_time_only_comes_from_the_argument(engine):
    later = NOW + timedelta(days=3)
    step = engine.step(at_question("reading.dutch", AT_DUTCH), Event.say("2"), later)
    assert {record.at for record in step.answers} == {later}
    consent = steps(engine, new_state(), [*TO_CONSENT, press(ConsentChoice("yes"))], now=later)[-1]
    assert consent.effects[0].at == later


def test_a_state_round_trips_through_json(engine):
    """The service stores the position as JSON: a step's state must survive that."""
    step = steps(engine, new_state(), [*AGREED, press(ToggleOption(FIRST_QUESTION, "ar"))])[-1]
    restored = type(step.state).model_validate_json(step.state.model_dump_json())
    assert restored == step.state
    again = engine.step(restored, press(DoneChoosing(FIRST_QUESTION)), NOW)
    assert again.answers[0].value == codes("ar")
    assert find(again, T.PART_OF_TOTAL).params["part"] == 2


# -- the routing table ----------------------------------------------------------------------


def test_the_routers_are_tried_in_the_documented_order() -> None:
    """The language before anything, then the consent gate, then commands before presses,
    and typed text last (its route takes whatever is left)."""
    names = [router.name for router in ROUTERS]
    assert names == ["anywhere", "the consent gate", "commands", "presses", "texts"]
    (last,) = ROUTERS[-1].routes
    assert last.guard(None, None)  # type: ignore[arg-type]
