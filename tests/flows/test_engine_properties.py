"""Property-based tests: whatever a person (or a forger) sends, in any order, the engine
answers, stays at a valid place, and never loses or invents an answer."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import texts as T
from flows.callbacks import (
    Bilingual,
    ChooseLanguage,
    ConsentChoice,
    MenuChoice,
    ReviewAction,
    ToggleOption,
    parse,
)
from flows.effects import Consent
from flows.engine import Engine, Step
from flows.events import Event, EventKind
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.state import AnswerValue, CaseFacts, Overlay, Stage, State
from tests.flows.helpers import (
    AGREED,
    ALL_BRANCHES,
    CONSENT_VERSION,
    CONTEXT,
    NOW,
    asked,
    buttons,
    codes,
    consented,
    msgids,
    new_state,
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
