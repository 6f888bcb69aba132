"""`flows/screens/appointments.py`: what people are told about appointments and what
their buttons do: invitations, changes, cancellations and reminders in four languages;
I'll come / I can't come (and why) / I need an interpreter / How do I get there?;
/appointments; and what they are told about staying away (from
test_appointment_messages, test_consequences)."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest

from flows import appointments as A
from flows import roles
from flows.callbacks import AppointmentAnswer, Payload, RolesAction, parse
from flows.effects import AppointmentResponse
from flows.engine import Engine
from flows.events import Event
from flows.i18n import FSI, PDI, Renderer
from flows.intake import INTAKE
from flows.replies import Reply
from flows.roles import RoleCard
from flows.screens import appointments as screen
from flows.state import Stage
from tests.flows.helpers import APPOINTMENT as FACTS
from tests.flows.helpers import APPOINTMENT_START as START
from tests.flows.helpers import CONTEXT, NOW, at_question, consented, msgids, payloads

CONSULENT = RoleCard("consulent", "consulent inburgering", "Gemeente Rijswijk")
BEGELEIDER = RoleCard("begeleider", "maatschappelijk begeleider", "Stichting Welzijn")
APPT_CTX = A.AppointmentContext(
    kinds={
        "brede_intake": A.KindInfo(obligatory=True, bring=("je verblijfsdocument", "diploma's")),
        "kennismaking": A.KindInfo(obligatory=False),
    },
    roles={"consulent": CONSULENT, "begeleider": BEGELEIDER},
)
LANGS = ("ar", "ti", "nl", "en")


@pytest.fixture(scope="module")
def appt_engine(renderer: Renderer) -> Engine:
    return Engine(INTAKE, dataclasses.replace(CONTEXT, appointments=APPT_CTX), renderer.text)


def with_appointments(state, *facts: A.AppointmentFacts):
    state.appointments = {f.id: f for f in facts}
    return state


def press(engine: Engine, data: Payload | str, facts: A.AppointmentFacts = FACTS, state=None):
    """Press an appointment button: built, or (for forged data) written out."""
    state = with_appointments(state or at_question("reading.dutch"), facts)
    raw = data.pack() if isinstance(data, Payload) else data
    return engine.step(state, Event.press(raw), NOW)


def offered(reply) -> list[Payload | None]:
    return [parse(b.data) for row in reply.buttons for b in row]


# Softer reassurance ("that is all right") is fine about the pre-intake, which is
# voluntary, but not in a message about an appointment the law asks people to come to.
REASSURANCE: dict[str, tuple[str, ...]] = {
    "en": (r"\b(that|it) is (all right|fine|okay|ok)\b", r"\b(that|it)'s (all right|fine|ok)"),
    "nl": (r"\b(dat|het) is (niet erg|goed|prima|oké)\b", r"\bgeen zorgen\b"),
    "ar": (r"لا بأس", r"لا مشكلة", r"لا تقلق"),
    "ti": (r"ሕራይ", r"ጸገም የለን", r"ኣይትጨነቑ"),
}


def _hits(patterns: tuple[str, ...], text: str) -> list[str]:
    return [p for p in patterns if re.search(p, text, re.IGNORECASE)]


# -- what can follow is said, once, calmly --------------------------------------------------

TALK = A.AppointmentFacts(  # an obligatory talk, plain
    id=7,
    kind="brede_intake",
    starts_at=NOW.replace(day=30),
    ends_at=NOW.replace(day=30, hour=11),
)
CTX = A.AppointmentContext(kinds={"brede_intake": A.KindInfo(obligatory=True)})


def msgids_of(reply: Reply) -> list[str]:
    return [p.msgid for p in reply.parts]


# -- the messages ------------------------------------------------------------------------


def test_an_invitation_says_what_when_where_with_whom_and_what_to_bring(renderer) -> None:
    reply = screen.notice("invitation", FACTS, APPT_CTX, NOW)
    text = renderer.reply(reply, "en", bilingual=False).text
    assert "You have a new appointment" in text
    assert "Brede intake" in text
    assert "Monday 14 December 2026, 10:00–11:30" in text
    assert "Where: Bogaardplein 15, 2284 DP Rijswijk" in text
    assert "With: consulent inburgering Sanne de Vries" in text
    assert "Please bring: je verblijfsdocument, diploma's" in text
    assert A.OBLIGATORY in [p.msgid for p in reply.parts]
    # Written out: these buttons stay in chats for weeks, their data must not change.
    assert [b.data for row in reply.buttons for b in row] == ["p:7:y", "p:7:n", "p:7:i", "p:7:w"]


def test_a_kind_that_is_not_obligatory_gets_no_sentence_about_the_law() -> None:
    facts = FACTS.model_copy(update={"kind": "kennismaking"})
    reply = screen.notice("invitation", facts, APPT_CTX, NOW)
    assert A.OBLIGATORY not in [p.msgid for p in reply.parts]


def test_phone_and_video_appointments_say_so_instead_of_an_address(renderer) -> None:
    phone = FACTS.model_copy(update={"mode": "phone", "place": None})
    video = FACTS.model_copy(update={"mode": "video", "place": "https://meet.example.nl/x"})
    assert (
        "By phone: you will be called"
        in renderer.reply(screen.notice("invitation", phone, APPT_CTX, NOW), "en", False).text
    )
    assert (
        "By video call: https://meet.example.nl/x"
        in renderer.reply(screen.notice("invitation", video, APPT_CTX, NOW), "en", False).text
    )


def test_an_arranged_interpreter_is_mentioned_and_not_asked_for_again(renderer) -> None:
    facts = FACTS.model_copy(update={"interpreter_lang": "Arabisch"})
    reply = screen.notice("invitation", facts, APPT_CTX, NOW)
    assert "interpreter (tolk) for Arabisch" in renderer.reply(reply, "en", False).text
    assert AppointmentAnswer(7, "i") not in offered(reply)


@pytest.mark.parametrize(
    ("sent", "head"),
    [
        (START - timedelta(days=7), "in 7 days"),
        (START - timedelta(days=1), "tomorrow"),
        (START - timedelta(hours=2), "today"),
    ],
)
def test_reminders_say_how_soon(renderer, sent, head) -> None:
    text = renderer.reply(screen.notice("reminder", FACTS, APPT_CTX, sent), "en", False).text
    assert text.startswith("⏰ Reminder") and head in text


def test_a_cancellation_has_no_buttons_and_says_not_to_come(renderer) -> None:
    reply = screen.notice("cancelled", FACTS, APPT_CTX, NOW)
    assert reply.buttons == ()
    assert "You do not need to come" in renderer.reply(reply, "en", False).text


def test_a_change_says_it_is_the_new_plan_and_remembers_the_answer(renderer) -> None:
    facts = FACTS.model_copy(update={"response": "coming"})
    reply = screen.notice("changed", facts, APPT_CTX, NOW)
    text = renderer.reply(reply, "en", False).text
    assert "has changed" in text and "You said: you will come." in text
    assert AppointmentAnswer(7, "y") not in offered(reply)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("purpose", ["invitation", "changed", "cancelled", "reminder"])
def test_every_message_is_translated_in_four_languages(catalog_renderer, lang, purpose) -> None:
    reply = screen.notice(purpose, FACTS, APPT_CTX, START - timedelta(days=1))
    own = catalog_renderer.reply(reply, lang, bilingual=False).text
    for part in reply.parts:
        if not part.literal and lang != "en":
            assert catalog_renderer.text(part, lang) != catalog_renderer.text(part, "en")
    assert "2026" in own or "٢٠٢٦" in own  # the date, in the language's own digits
    if lang == "ar":
        assert f"{FSI}Bogaardplein 15, 2284 DP Rijswijk{PDI}" in own or purpose == "cancelled"
    if lang != "nl":
        both = catalog_renderer.reply(reply, lang, bilingual=True).text
        dutch = catalog_renderer.reply(reply, "nl", bilingual=False).text
        assert both.endswith(dutch)  # the Dutch underneath


@pytest.mark.parametrize("lang", LANGS)
def test_dates_use_the_explicit_pattern_in_each_language(catalog_renderer, lang) -> None:
    line = catalog_renderer.text(screen.details(FACTS, APPT_CTX)[1], lang)
    dutch = catalog_renderer.text(screen.details(FACTS, APPT_CTX)[1], "nl")
    assert "maandag 14 december 2026" in dutch
    assert "10:00" in line or "١٠:٠٠" in line


# -- the buttons ------------------------------------------------------------------------


def test_ill_come_is_recorded_and_thanked(appt_engine) -> None:
    step = press(appt_engine, AppointmentAnswer(7, "y"))
    assert step.effects == (AppointmentResponse(7, NOW, "coming"),)
    assert msgids(step)[0] == A.THANKS_COMING
    assert AppointmentAnswer(7, "y") not in payloads(step)
    assert AppointmentAnswer(7, "n") in payloads(step)
    assert RolesAction("back") in payloads(step)
    assert step.state.position.question == "reading.dutch"  # the intake waits where it was


def test_i_cannot_come_asks_why_and_records_the_reason(appt_engine) -> None:
    step = press(appt_engine, AppointmentAnswer(7, "n"))
    assert step.effects == (AppointmentResponse(7, NOW, "cannot_come"),)
    assert msgids(step) == [A.WHY_NOT]
    assert payloads(step) == [
        AppointmentAnswer(7, "n", "ill"),
        AppointmentAnswer(7, "n", "work"),
        AppointmentAnswer(7, "n", "childcare"),
        AppointmentAnswer(7, "n", "other"),
        AppointmentAnswer(7, "y"),
    ]
    for reason in A.REASON_CODES:
        step = press(appt_engine, AppointmentAnswer(7, "n", reason))
        assert step.effects == (AppointmentResponse(7, NOW, "cannot_come", reason),)
        # An obligatory talk: thanked, with what can follow only without a valid reason.
        assert msgids(step) == [A.THANKS_CANNOT_OBLIGATORY]


def test_cannot_come_to_a_talk_that_is_not_obligatory_is_thanked_plainly(appt_engine) -> None:
    facts = FACTS.model_copy(update={"kind": "kennismaking"})
    step = press(appt_engine, AppointmentAnswer(7, "n", "work"), facts)
    assert msgids(step) == [A.THANKS_CANNOT]


def test_i_need_an_interpreter_is_recorded_once(appt_engine) -> None:
    step = press(appt_engine, AppointmentAnswer(7, "i"))
    assert step.effects == (AppointmentResponse(7, NOW, None, None, True),)
    assert msgids(step) == [A.THANKS_INTERPRETER]
    assert AppointmentAnswer(7, "i") not in payloads(step)


def test_how_do_i_get_there_gives_the_address_and_a_map_link(appt_engine, renderer) -> None:
    step = press(appt_engine, AppointmentAnswer(7, "w"))
    assert step.effects == ()
    text = renderer.reply(step.replies[0], "en", False).text
    assert "Bogaardplein 15, 2284 DP Rijswijk" in text
    assert "https://www.openstreetmap.org/search?query=Bogaardplein+15%2C+2284+DP+Rijswijk" in text
    phone = press(
        appt_engine, AppointmentAnswer(7, "w"), FACTS.model_copy(update={"mode": "phone"})
    )
    assert msgids(phone) == [A.ROUTE_PHONE]


@pytest.mark.parametrize("data", ["p:8:y", "p:x:y", "p:7", "p:", "p:7:n:bored", "p:7:zz"])
def test_a_button_for_no_known_appointment_or_action_is_answered_kindly(appt_engine, data) -> None:
    step = press(appt_engine, data)
    assert step.effects == ()
    assert step.replies  # something kind, then the question again
    assert step.state.position.question == "reading.dutch"


def test_a_cancelled_or_past_appointment_is_no_longer_answered(appt_engine) -> None:
    step = press(appt_engine, AppointmentAnswer(7, "y"), FACTS.model_copy(update={"active": False}))
    assert step.effects == ()
    assert msgids(step)[0] == A.NO_LONGER


def test_appointment_buttons_work_without_intake_consent(appt_engine) -> None:
    state = consented(consent_version=None, stage=Stage.DECLINED)
    step = press(appt_engine, AppointmentAnswer(7, "y"), state=state)
    assert step.effects == (AppointmentResponse(7, NOW, "coming"),)
    assert step.answers == ()


def test_the_appointments_command_lists_the_upcoming_ones(appt_engine) -> None:
    later = FACTS.model_copy(
        update={
            "id": 9,
            "starts_at": START + timedelta(days=7),
            "ends_at": START + timedelta(days=7, hours=1),
        }
    )
    gone = FACTS.model_copy(update={"id": 3, "active": False})
    state = with_appointments(at_question("reading.dutch"), later, FACTS, gone)
    step = appt_engine.step(state, Event.cmd("appointments"), NOW)
    assert msgids(step)[0] == A.YOUR_APPOINTMENTS
    data = payloads(step)
    assert data.index(AppointmentAnswer(7, "y")) < data.index(AppointmentAnswer(9, "y"))
    assert AppointmentAnswer(3, "y") not in data
    assert data[-1] == RolesAction("back")
    empty = appt_engine.step(at_question("reading.dutch"), Event.cmd("appointments"), NOW)
    assert msgids(empty) == [A.NONE_PLANNED]


@pytest.mark.parametrize("purpose", ["invitation", "changed"])
def test_an_invitation_or_change_to_an_obligatory_talk_says_what_can_follow(purpose: str) -> None:
    parts = [p.msgid for p in screen.notice(purpose, TALK, CTX, NOW).parts]
    assert A.OBLIGATORY in parts and A.CONSEQUENCE in parts
    assert parts.index(A.CONSEQUENCE) == parts.index(A.OBLIGATORY) + 1


def test_the_consequence_ties_a_fine_to_no_valid_reason_and_calls_it_a_last_resort() -> None:
    for text in (A.CONSEQUENCE, roles.TOPIC_NOTES["fine"]):
        assert "without a valid reason" in text and "last resort" in text
    assert "benefit" in A.CONSEQUENCE
    assert "say why" in A.OBLIGATORY and "say why" in roles.TOPIC_NOTES["fine"]
    assert "without a valid reason" in A.THANKS_CANNOT_OBLIGATORY


def test_reminders_and_talks_that_are_not_obligatory_do_not_repeat_it() -> None:
    reminder = screen.notice("reminder", TALK, CTX, NOW)
    assert A.OBLIGATORY in msgids_of(reminder) and A.CONSEQUENCE not in msgids_of(reminder)
    free = TALK.model_copy(update={"kind": "kennismaking"})
    assert A.CONSEQUENCE not in msgids_of(screen.notice("invitation", free, CTX, NOW))


def test_the_i_cannot_come_question_asks_why_without_saying_it_is_all_right() -> None:
    assert "why" in A.WHY_NOT and not _hits(REASSURANCE["en"], A.WHY_NOT)
