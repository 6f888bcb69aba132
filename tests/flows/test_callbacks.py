"""Typed button payloads: every kind packs to the wire format people already have in their
chats and reads back; anything else reads as None, never as an exception."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import appointments as A
from flows import roles
from flows.callbacks import (
    MAX_BYTES,
    AppointmentAnswer,
    Bilingual,
    ChooseLanguage,
    ConfirmErase,
    ConsentChoice,
    DoneChoosing,
    GoBack,
    JourneyStep,
    MenuChoice,
    Payload,
    PickNumber,
    PickOption,
    ReviewAction,
    RolesAction,
    SkipQuestion,
    ToggleOption,
    parse,
)
from flows.engine import Engine
from flows.events import Event
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.journey import STEP_CODES as JOURNEY_STEPS
from flows.model import Kind
from flows.roles import RoleCard
from flows.state import Stage
from tests.flows.helpers import (
    AGREED,
    ALL_BRANCHES,
    CONTEXT,
    NOW,
    buttons,
    consented,
    new_state,
    press,
    steps,
    walk,
)

# The wire format, written out: each payload with the data its button carries. Old
# buttons stay in chats for months, so none of these strings may ever change.
WIRE: list[tuple[Payload, str]] = [
    (ChooseLanguage("ar"), "lang:ar"),
    (Bilingual(True), "bi:on"),
    (Bilingual(False), "bi:off"),
    (PickOption("reading.dutch", "good"), "a:reading.dutch:good"),
    (ToggleOption("language.spoken", "ar"), "t:language.spoken:ar"),
    (DoneChoosing("language.spoken"), "d:language.spoken"),
    (PickNumber("education.years", 12), "n:education.years:12"),
    (SkipQuestion("reading.dutch"), "s:reading.dutch"),
    (GoBack("reading.latin"), "b:reading.latin"),
    (ConsentChoice("yes"), "c:yes"),
    (ConsentChoice("no"), "c:no"),
    (ConsentChoice("more"), "c:more"),
    (ConsentChoice("again"), "c:again"),
    (ReviewAction("send"), "r:send"),
    (ReviewAction("more"), "r:more"),
    (ReviewAction("change"), "r:change"),
    (ReviewAction("back"), "r:back"),
    (ReviewAction("sec", "reading"), "r:sec:reading"),
    (ReviewAction("q", "reading.dutch"), "r:q:reading.dutch"),
    (MenuChoice("answers"), "m:answers"),
    (MenuChoice("language"), "m:language"),
    (MenuChoice("help"), "m:help"),
    (RolesAction("roles"), "o:roles"),
    (RolesAction("topics"), "o:topics"),
    (RolesAction("back"), "o:back"),
    (RolesAction("t", "letter"), "o:t:letter"),
    (RolesAction("ask", "debts"), "o:ask:debts"),
    (JourneyStep("all"), "j:all"),
    (JourneyStep("pip"), "j:pip"),
    (AppointmentAnswer(7, "y"), "p:7:y"),
    (AppointmentAnswer(7, "n"), "p:7:n"),
    (AppointmentAnswer(7, "n", "childcare"), "p:7:n:childcare"),
    (AppointmentAnswer(123456, "i"), "p:123456:i"),
    (AppointmentAnswer(7, "w"), "p:7:w"),
    (ConfirmErase(True), "x:yes"),
    (ConfirmErase(False), "x:no"),
]


@pytest.mark.parametrize(("payload", "data"), WIRE, ids=[data for _, data in WIRE])
def test_every_kind_packs_to_its_wire_format_and_reads_back(payload, data):
    assert payload.pack() == data
    assert parse(data) == payload
    assert type(payload).unpack(data) == payload


def test_every_prefix_in_use_is_pinned():
    kinds = {type(payload) for payload, _ in WIRE}
    assert kinds == {k for k in Payload.__subclasses__() if k.__module__ == "flows.callbacks"}
    assert {data.split(":")[0] for _, data in WIRE} == {
        *("lang", "bi", "a", "t", "d", "n", "s", "b", "c", "r", "m", "o", "j", "p", "x"),
    }


def test_unpack_is_only_for_its_own_kind():
    assert PickOption.unpack("t:language.spoken:ar") is None
    assert ToggleOption.unpack("t:language.spoken:ar") == ToggleOption("language.spoken", "ar")
    assert AppointmentAnswer.unpack("o:back") is None


@pytest.mark.parametrize(
    "data",
    [
        "",
        ":",
        "zz",
        "zz:yes",
        "A:reading.dutch:good",  # prefixes are case-sensitive
        "a",
        "a:",
        "a:reading.dutch",
        "a:reading.dutch:",
        "a::good",
        "a:reading.dutch:good:extra",
        "d:language.spoken:extra",
        "s:",
        "n:education.years:twelve",
        "n:education.years:-1",
        "n:education.years:١٢",  # digits of another script are not what a button carries
        "n:education.years:²",
        "bi:maybe",
        "bi:",
        "c:maybe",
        "c:yes:no",
        "r:sec",
        "r:sec:",
        "r:send:now",
        "r:whatever",
        "m:nope",
        "o:whatever",
        "o:t",
        "o:t:",
        "o:back:now",
        "j:",
        "j:pip:now",
        "p:",
        "p:7",
        "p:x:y",
        "p:7:zz",
        "p:7:y:ill",  # only "cannot come" has a reason
        "p:-7:y",
        "x:maybe",
        "x:yes:no",
        "\ud800",  # a lone surrogate, as JSON can deliver one
    ],
)
def test_forged_or_malformed_data_reads_as_none(data):
    assert parse(data) is None


def test_oversized_data_reads_as_none():
    fits = "s:" + "q" * (MAX_BYTES - 2)
    assert parse(fits) == SkipQuestion("q" * (MAX_BYTES - 2))
    assert parse(fits + "q") is None
    assert parse("s:" + "é" * 32) is None  # 66 bytes in UTF-8, though 34 characters


def test_a_language_button_reads_whatever_follows_its_prefix_as_the_code():
    """The language screen tells the person an unknown code is stale, even a broken one."""
    assert parse("lang:xx") == ChooseLanguage("xx")
    assert parse("lang:") == ChooseLanguage("")
    assert parse("lang:en:extra") == ChooseLanguage("en:extra")


@pytest.mark.parametrize(
    "payload",
    [
        SkipQuestion("q" * (MAX_BYTES - 1)),
        RolesAction("ask", "t" * 60),
        AppointmentAnswer(10**60, "y"),
    ],
)
def test_pack_refuses_more_than_64_bytes(payload):
    with pytest.raises(ValueError, match="64 bytes"):
        payload.pack()


@pytest.mark.parametrize(
    "payload",
    [
        PickOption("reading.dutch", ""),
        PickOption("reading.dutch", "a:b"),  # would read back as three fields
        DoneChoosing(""),
        ConsentChoice("maybe"),
        ReviewAction("sec"),  # a part needs its section
        ReviewAction("send", "now"),
        MenuChoice("nope"),
        RolesAction("t"),
        AppointmentAnswer(7, "y", "ill"),
        AppointmentAnswer(-1, "y"),
        PickNumber("education.years", "12"),  # type: ignore[arg-type]
        ChooseLanguage(""),
        ChooseLanguage("en:extra"),
    ],
)
def test_pack_refuses_what_would_not_read_back_as_the_same_payload(payload):
    with pytest.raises(ValueError, match="cannot be packed"):
        payload.pack()


def test_a_payload_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        PickOption("reading.dutch", "good").option = "none"  # type: ignore[misc]


def test_a_second_kind_with_a_prefix_in_use_is_refused():
    with pytest.raises(TypeError, match="taken"):

        @dataclasses.dataclass(frozen=True)
        class Other(Payload, prefix="a"):
            value: str


@given(st.text(max_size=80))
def test_reading_any_text_never_raises_and_what_it_reads_packs_back(data):
    payload = parse(data)
    if payload is not None and not isinstance(payload, ChooseLanguage):
        assert parse(payload.pack()) == payload


@given(
    st.sampled_from([PickOption, ToggleOption]),
    st.text(st.characters(exclude_characters=":", exclude_categories=("Cs",)), min_size=1),
    st.text(st.characters(exclude_characters=":", exclude_categories=("Cs",)), min_size=1),
)
def test_any_question_and_option_without_a_colon_round_trips_or_is_refused(kind, qid, code):
    payload = kind(qid, code)
    try:
        data = payload.pack()
    except ValueError:
        assert len(f"{kind.prefix}:{qid}:{code}".encode()) > MAX_BYTES
    else:
        assert parse(data) == payload


# -- every button the conversation draws ---------------------------------------------------


def test_every_button_of_the_intake_packs_and_reads_back(engine):
    """Walking the whole pre-intake with every branch open, then the review, its parts and
    the menu: every button fits in 64 bytes and reads back as a payload."""
    agreed = steps(engine, new_state(), AGREED)
    walked = walk(engine, agreed[-1].state, ALL_BRANCHES)
    seen = [*agreed, *walked]
    for section in INTAKE.sections:
        state = seen[-1].state
        change = [press(ReviewAction("change")), press(ReviewAction("sec", section.id))]
        seen += steps(engine, state, change)
    for step in seen:
        for button in buttons(step):
            assert len(button.data.encode()) <= MAX_BYTES
            assert parse(button.data) is not None, button.data
    kinds = {type(parse(b.data)) for step in seen for b in buttons(step)}
    assert {PickOption, ToggleOption, DoneChoosing, SkipQuestion, GoBack} <= kinds
    assert {ConsentChoice, ReviewAction, ChooseLanguage} <= kinds


def test_every_question_and_option_of_the_intake_fits_in_a_button():
    for question in INTAKE.questions:
        SkipQuestion(question.id).pack()
        GoBack(question.id).pack()
        ReviewAction("q", question.id).pack()
        for option in question.options:
            PickOption(question.id, option.code).pack()
            ToggleOption(question.id, option.code).pack()
        if question.kind is Kind.NUMBER:
            for preset in question.presets:
                PickNumber(question.id, preset).pack()
    for section in INTAKE.sections:
        ReviewAction("sec", section.id).pack()


def test_every_topic_and_reason_fits_in_a_button():
    for code, _ in roles.TOPICS:
        assert parse(RolesAction("t", code).pack()) == RolesAction("t", code)
        assert parse(RolesAction("ask", code).pack()) == RolesAction("ask", code)
    for code in JOURNEY_STEPS:
        assert parse(JourneyStep(code).pack()) == JourneyStep(code)
    for code in A.REASON_CODES:
        big = AppointmentAnswer(2**63 - 1, "n", code)  # the largest database id
        assert parse(big.pack()) == big


def test_appointment_and_roles_screens_draw_their_buttons_with_payloads():
    card = RoleCard("consulent", "consulent", "Gemeente")
    helper = RoleCard("begeleider", "begeleider", "Stichting")
    context = dataclasses.replace(
        CONTEXT,
        roles={"consulent": card, "begeleider": helper},
        topics={code: "begeleider" for code, _ in roles.TOPICS},
    )
    engine = Engine(INTAKE, context, Renderer({}).text)
    state = consented(stage=Stage.DONE, submitted=True)
    presses = [
        Event.cmd("roles"),
        press(RolesAction("topics")),
        press(RolesAction("t", "letter")),
        Event.cmd("appointments"),
        Event.cmd("route"),
        press(JourneyStep("pip")),
        Event.cmd("delete"),
    ]
    seen = steps(engine, state, presses, NOW)
    data = [parse(b.data) for step in seen for b in buttons(step)]
    assert None not in data
    assert RolesAction("ask", "letter") in data and ConfirmErase(True) in data
    assert JourneyStep("brede") in data  # the step before the PIP
    assert JourneyStep("all") in data
