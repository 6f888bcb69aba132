"""Small functions shared by the flows tests: building states, driving the engine, reading
what it answered. Fixtures live in `conftest.py`; these are plain functions so the
hypothesis tests can use them too."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flows import roles
from flows.appointments import AppointmentFacts
from flows.callbacks import (
    ChooseLanguage,
    ConsentChoice,
    DoneChoosing,
    Payload,
    PickNumber,
    PickOption,
    ToggleOption,
    parse,
)
from flows.engine import Context, Engine, Step
from flows.events import Event
from flows.intake import INTAKE
from flows.model import Kind
from flows.replies import Button, Join, Msg, Reply
from flows.roles import RoleCard
from flows.state import AnswerValue, CaseFacts, Position, Stage, State
from tests.clock import NOW

CONSENT_VERSION = "1-r12"
CONTEXT = Context("Rijswijk", consent_version=CONSENT_VERSION, retention_months=12)

FIRST_QUESTION = INTAKE.questions[0].id  # language.spoken


def press(payload: Payload) -> Event:
    """Pressing a button that carries `payload` (built, never a hand-written string)."""
    return Event.press(payload.pack())


# The way in for a person with an invite code: language first, then consent.
TO_CONSENT = (Event.start(), press(ChooseLanguage("en")))
AGREED = (*TO_CONSENT, press(ConsentChoice("yes")))
# Anything that only shows the current place again (with a short note).
AGAIN = Event.media_("photo")


def new_state(*, has_case: bool = True) -> State:
    return State(case=CaseFacts(has_case=has_case))


def consented(
    answers: dict[str, AnswerValue] | None = None,
    *,
    lang: str = "en",
    stage: Stage = Stage.NEW,
    question: str | None = None,
    submitted: bool = False,
    consent_version: str | None = CONSENT_VERSION,
    **position: object,
) -> State:
    """A person with a case, a language and current consent (unless told otherwise)."""
    return State(
        position=Position(lang=lang, stage=stage, question=question, **position),
        case=CaseFacts(has_case=True, consent_version=consent_version, submitted=submitted),
        answers=dict(answers or {}),
    )


def at_question(
    question_id: str, answers: dict[str, AnswerValue] | None = None, **kwargs: object
) -> State:
    return consented(answers, stage=Stage.QUESTION, question=question_id, **kwargs)


def codes(*values: str) -> AnswerValue:
    return AnswerValue(codes=values)


def steps(engine: Engine, state: State, events: Iterable[Event], now: datetime = NOW) -> list[Step]:
    """Every step of a conversation, each step's state feeding the next."""
    result = []
    for event in events:
        step = engine.step(state, event, now)
        result.append(step)
        state = step.state
    return result


def drive(engine: Engine, state: State, events: Iterable[Event], now: datetime = NOW) -> Step:
    """The last step of a conversation."""
    result = steps(engine, state, events, now)
    assert result, "drive needs at least one event"
    return result[-1]


# -- reading replies --------------------------------------------------------------------------


def parts(step: Step) -> list[Msg]:
    return [part for reply in step.replies for part in reply.parts]


def msgids(step: Step) -> list[str]:
    return [part.msgid for part in parts(step)]


def all_msgids(step: Step) -> list[str]:
    """Every msgid in the replies, also nested in parameters and button labels."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, Msg):
            found.append(value.msgid)
            for param in value.params.values():
                walk(param)
        elif isinstance(value, Join):
            for item in value.items:
                walk(item)

    for reply in step.replies:
        for part in reply.parts:
            walk(part)
        for button in reply_buttons(reply):
            walk(button.label)
    return found


def reply_buttons(reply: Reply) -> list[Button]:
    return [button for row in reply.buttons for button in row]


def buttons(step: Step) -> list[Button]:
    return [button for reply in step.replies for button in reply_buttons(reply)]


def button_data(step: Step) -> list[str]:
    """The buttons' callback data as sent: for tests that pin the wire format."""
    return [button.data for button in buttons(step)]


def payloads(step: Step) -> list[Payload | None]:
    """What the buttons of a step carry, read back as payloads."""
    return [parse(button.data) for button in buttons(step)]


def marks(step: Step) -> dict[Payload | None, str]:
    """Each button's payload with its mark ("✅ " for a ticked option)."""
    return {parse(button.data): button.mark for button in buttons(step)}


def find(step: Step, msgid: str) -> Msg:
    found = [part for part in parts(step) if part.msgid == msgid]
    assert found, f"{msgid!r} not in {msgids(step)}"
    return found[0]


def answers_of(step: Step) -> dict[str, AnswerValue | None]:
    return {record.question_id: record.value for record in step.answers}


def asked(step: Step) -> str | None:
    """The question the person is at after this step, if any."""
    position = step.state.position
    return position.question if position.stage is Stage.QUESTION else None


def simple_answer(state: State) -> Event:
    """A button press that answers the current question (the first option or preset)."""
    question = INTAKE.question(state.position.question or "")
    assert question is not None
    qid = question.id
    if question.kind is Kind.MULTI:
        if state.position.selection:
            return press(DoneChoosing(qid))
        return press(ToggleOption(qid, question.options[0].code))
    if question.has_options:
        return press(PickOption(qid, question.options[0].code))
    if question.kind is Kind.NUMBER:
        return press(PickNumber(qid, question.presets[0]))
    return Event.say(f"my answer to {qid}")


# Answers that open every branch of the pre-intake, so every question is asked.
ALL_BRANCHES: dict[str, Event] = {
    "language.spoken": Event.say("1, 3, 5, 9, 12"),  # Arabic, Farsi, Kurdish, English, other
    "language.interpreter": press(PickOption("language.interpreter", "yes")),
    "language.interpreter_language": press(PickOption("language.interpreter_language", "other")),
    "education.level": press(PickOption("education.level", "vocational")),  # a diploma: its field
    "education.study_wish": press(PickOption("education.study_wish", "yes")),
    "work.worked_before": press(PickOption("work.worked_before", "yes")),
    "family.household": Event.say("2, 3"),  # partner and children
    "family.children_ages": Event.say("1"),
    "family.unavailable": Event.say("Monday"),
    "health.consent": press(PickOption("health.consent", "yes")),
    "health.difficulty": press(PickOption("health.difficulty", "yes")),
    "money.worries": press(PickOption("money.worries", "yes")),
}


def walk(
    engine: Engine, state: State, chosen: dict[str, Event] | None = None, limit: int = 200
) -> list[Step]:
    """Answer questions until the conversation leaves them: with `chosen[question]` where
    given, else with `simple_answer`. Every step is returned."""
    chosen = chosen or {}
    result: list[Step] = []
    for _ in range(limit):
        if state.position.stage is not Stage.QUESTION:
            return result
        question = state.position.question or ""
        event = chosen.get(question) if not state.position.selection else None
        event = event or simple_answer(state)
        step = engine.step(state, event, NOW)
        if not step.answers and not isinstance(parse(event.data), ToggleOption):
            raise AssertionError(f"{event} did not answer {question}: {msgids(step)}")
        result.append(step)
        state = step.state
    raise AssertionError("the questions never ended")


def walked(engine: Engine, **chosen: Event) -> list[Step]:
    """All questions answered from consent on: `chosen` (question id with `.` as `__`)
    where given, the first option otherwise."""
    agreed = steps(engine, new_state(), AGREED)[-1]
    answers = {qid.replace("__", "."): event for qid, event in chosen.items()}
    return walk(engine, agreed.state, answers)


# -- a municipality's roles, and an appointment ------------------------------------------

ROLE_CARDS = {
    "consulent": RoleCard(
        "consulent", "klantmanager inburgering", "ISD Bollenstreek", phone="071 000 0000"
    ),
    "begeleider": RoleCard(
        "begeleider",
        "maatschappelijk begeleider",
        "VluchtelingenWerk",
        hours="ma–do 9–12",
        example=True,
    ),
    "inkomen": RoleCard(
        "inkomen", "klantmanager inkomen", "ISD Bollenstreek", standard="werk_inkomen"
    ),
    "cjg": RoleCard("cjg", "Centrum voor Jeugd en Gezin", "CJG", phone="071 000 0001"),
}
# Everything to the begeleider, but what the consulent, the income role and the CJG answer.
TOPIC_ROLES = {code: "begeleider" for code, _ in roles.TOPICS} | {
    "exam": "consulent",
    "change_route": "consulent",
    "language_school": "consulent",
    "map_pvt": "consulent",
    "fine": "consulent",
    "interpreter": "consulent",
    "other": "consulent",
    "benefit": "inkomen",
    "rent_energy": "inkomen",
    "work": "inkomen",
    "children_school": "cjg",
}

APPOINTMENT_START = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam
APPOINTMENT = AppointmentFacts(
    id=7,
    kind="brede_intake",
    starts_at=APPOINTMENT_START,
    ends_at=APPOINTMENT_START + timedelta(minutes=90),
    place="Bogaardplein 15, 2284 DP Rijswijk",
    with_name="Sanne de Vries",
)
