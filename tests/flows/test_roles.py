"""Who helps me with what: the explainer, the topics, and returning to where one was."""

from __future__ import annotations

import dataclasses

import pytest

from flows import roles
from flows import texts as T
from flows.callbacks import ChooseLanguage, DoneChoosing, RolesAction
from flows.effects import RequestPerson
from flows.engine import Engine, Step
from flows.events import Event
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.roles import RoleCard
from flows.state import Stage
from tests.flows.helpers import AGREED, CONTEXT, NOW, asked, drive, new_state, payloads, press

CARDS = {
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
    "inkomen": RoleCard("inkomen", "consulent werk en inkomen", "ISD Bollenstreek"),
}
TOPIC_ROLES = {code: "begeleider" for code, _ in roles.TOPICS} | {
    "exam": "consulent",
    "benefit": "inkomen",
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    context = dataclasses.replace(CONTEXT, roles=CARDS, topics=TOPIC_ROLES)
    return Engine(INTAKE, context, Renderer({}).text)


def run(engine: Engine, *events: Event, has_case: bool = True) -> Step:
    return drive(engine, new_state(has_case=has_case), events, NOW)


def texts(step: Step) -> str:
    renderer = Renderer({})
    return "\n".join(renderer.reply(r, "en", False).text for r in step.replies)


def test_the_explainer_shows_both_roles_with_their_local_titles(engine: Engine) -> None:
    step = run(engine, *AGREED, Event.cmd("roles"))
    shown = texts(step)
    assert "klantmanager inburgering – ISD Bollenstreek" in shown
    assert "maatschappelijk begeleider – VluchtelingenWerk" in shown
    for helps, not_for in roles.ROLE_TEXTS.values():
        assert helps in shown and not_for in shown
    assert payloads(step) == [RolesAction("topics"), RolesAction("back")]


def test_every_topic_has_a_button_and_an_answer_naming_its_role(engine: Engine) -> None:
    step = run(engine, *AGREED, Event.cmd("roles"), press(RolesAction("topics")))
    offered = [p for p in payloads(step) if isinstance(p, RolesAction) and p.action == "t"]
    assert offered == [RolesAction("t", code) for code, _ in roles.TOPICS]
    for code, _ in roles.TOPICS:
        answer = texts(run(engine, *AGREED, press(RolesAction("t", code))))
        card = CARDS[TOPIC_ROLES[code]]
        assert f"{card.title} – {card.organisation}" in answer, code


def test_a_topic_answer_shows_the_contact_and_marks_example_data(engine: Engine) -> None:
    answer = texts(run(engine, *AGREED, press(RolesAction("t", "letter"))))
    assert "When: ma–do 9–12" in answer
    assert roles.EXAMPLE in answer
    assert roles.EXAMPLE not in texts(run(engine, *AGREED, press(RolesAction("t", "exam"))))


def test_back_to_where_i_was_returns_to_the_interrupted_question(engine: Engine) -> None:
    step = run(
        engine,
        *AGREED,
        Event.say("1"),
        press(DoneChoosing("language.spoken")),
        Event.cmd("roles"),
        press(RolesAction("topics")),
        press(RolesAction("t", "house")),
        press(RolesAction("back")),
    )
    assert asked(step) == "language.interpreter"
    assert step.state.position.stage is Stage.QUESTION
    assert step.answers == ()


def test_telling_the_consulent_records_a_request_with_the_topic(engine: Engine) -> None:
    step = run(
        engine, *AGREED, press(RolesAction("t", "debts")), press(RolesAction("ask", "debts"))
    )
    assert step.effects == (RequestPerson(NOW, "debts"),)
    assert "Debts or money worries" in texts(step)
    assert asked(step) == "language.spoken"


def test_without_a_case_there_is_no_request_but_a_way_to_get_one(engine: Engine) -> None:
    step = run(
        engine, press(ChooseLanguage("en")), press(RolesAction("ask", "debts")), has_case=False
    )
    assert step.effects == ()
    assert T.PERSON_NO_CASE in [p.msgid for r in step.replies for p in r.parts]


def test_the_roles_are_offered_in_the_menu_without_a_case(engine: Engine) -> None:
    step = run(engine, press(ChooseLanguage("en")), has_case=False)
    assert RolesAction("roles") in payloads(step)


@pytest.mark.parametrize("data", ["o:t:unknown", "o:ask:nothing", "o:whatever", "o:t:"])
def test_a_forged_roles_button_changes_nothing(engine: Engine, data: str) -> None:
    step = run(engine, *AGREED, Event.press(data))
    assert step.effects == () and step.answers == ()
    assert T.STALE_BUTTON in [p.msgid for r in step.replies for p in r.parts]
    assert asked(step) == "language.spoken"


def test_a_deployment_without_roles_does_not_offer_them() -> None:
    engine = Engine(INTAKE, CONTEXT, Renderer({}).text)
    step = run(engine, *AGREED, Event.cmd("roles"))
    assert T.UNKNOWN_COMMAND in [p.msgid for r in step.replies for p in r.parts]
    assert asked(step) == "language.spoken"
