"""`flows/screens/roles.py`: Who helps me with what: the explainer (the roles, fitted to
the routing and to the person's target group), the topics with their notes, telling the
consulent, and returning to where one was (from test_roles, test_consequences)."""

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
from flows.replies import Localized, Reply
from flows.roles import Line, RoleCard
from flows.screens import roles as roles_screen
from flows.state import CaseFacts, Stage, State
from tests.flows.helpers import (
    AGREED,
    CONTEXT,
    NOW,
    TOPIC_ROLES,
    all_msgids,
    asked,
    drive,
    new_state,
    payloads,
    press,
)
from tests.flows.helpers import (
    ROLE_CARDS as CARDS,
)


def msgids_of(reply: Reply) -> list[str]:
    return [p.msgid for p in reply.parts]


def engine_for(cards: dict[str, RoleCard], topics: dict[str, str]) -> Engine:
    return Engine(
        INTAKE, dataclasses.replace(CONTEXT, roles=cards, topics=topics), Renderer({}).text
    )


@pytest.fixture(scope="module")
def engine() -> Engine:
    return engine_for(CARDS, TOPIC_ROLES)


def of_group(group: str | None, *, has_case: bool = True) -> State:
    return State(case=CaseFacts(has_case=has_case, target_group=group))


def run(engine: Engine, *events: Event, has_case: bool = True, group: str | None = None) -> Step:
    state = of_group(group, has_case=has_case) if group else new_state(has_case=has_case)
    return drive(engine, state, events, NOW)


def texts(step: Step, lang: str = "en") -> str:
    renderer = Renderer({})
    return "\n".join(renderer.reply(r, lang, False).text for r in step.replies)


def heading(card: RoleCard) -> str:
    return f"{card.title} – {card.organisation}"


def topic_notes(engine: Engine, topic: str, group: str | None = None) -> list[str]:
    step = run(engine, *AGREED, press(RolesAction("t", topic)), group=group)
    return [m for m in all_msgids(step) if m in {n.msgid for n in roles.topic_notes(topic, group)}]


def test_the_fine_topic_explains_a_fine_next_to_whom_to_ask() -> None:
    card = roles.RoleCard("consulent", "consulent inburgering", "Gemeente Rijswijk", phone="14 070")
    reply = roles_screen.topic_answer("fine", {"consulent": card}, {"fine": "consulent"})
    assert roles.TOPIC_NOTES["fine"] in msgids_of(reply)
    other = roles_screen.topic_answer("doctor", {"consulent": card}, {"doctor": "consulent"})
    assert roles.TOPIC_NOTES["fine"] not in msgids_of(other)


def test_the_explainer_shows_each_role_with_its_standard_lines(engine: Engine) -> None:
    shown = texts(run(engine, *AGREED, Event.cmd("roles")))
    for code in ("consulent", "begeleider", "inkomen"):
        assert heading(CARDS[code]) in shown
    for code in ("intake_pip", "fines", "house", "letter", "benefit", "ontzorgen", "bills"):
        assert f"• {roles.LINES[code].text}" in shown, code
    assert roles.HELPS_WITH in shown and roles.NOT_FOR in shown
    assert heading(CARDS["cjg"]) not in shown  # a role with nothing to say is not a card


def test_the_explainer_keeps_its_buttons(engine: Engine) -> None:
    step = run(engine, *AGREED, Event.cmd("roles"))
    assert payloads(step) == [RolesAction("topics"), RolesAction("back")]


def test_the_intro_counts_the_roles_shown(engine: Engine) -> None:
    everyone = run(engine, *AGREED, Event.cmd("roles"))
    assert texts(everyone).startswith("3 people help you. Each does different things:")
    family = run(engine, *AGREED, Event.cmd("roles"), group="gezinsmigrant")
    assert texts(family).startswith("2 people help you.")
    only = engine_for({"consulent": CARDS["consulent"]}, {c: "consulent" for c in TOPIC_ROLES})
    assert texts(run(only, *AGREED, Event.cmd("roles"))).startswith("One person helps you:")
    for step in (everyone, family):
        assert "Two people" not in texts(step)


def test_a_gezinsmigrant_sees_no_begeleider_and_no_ontzorgen(engine: Engine) -> None:
    shown = texts(run(engine, *AGREED, Event.cmd("roles"), group="gezinsmigrant"))
    assert heading(CARDS["begeleider"]) not in shown
    assert heading(CARDS["consulent"]) in shown and heading(CARDS["inkomen"]) in shown
    assert roles.LINES["ontzorgen"].text not in shown  # not part of their PIP (seed 001)
    assert roles.LINES["bills"].text in shown


@pytest.mark.parametrize("group", ["statushouder", "nareiziger", None])
def test_statushouders_and_nareizigers_see_the_begeleider(
    engine: Engine, group: str | None
) -> None:
    shown = texts(run(engine, *AGREED, Event.cmd("roles"), group=group))
    assert heading(CARDS["begeleider"]) in shown


def test_a_standard_line_about_a_topic_sent_elsewhere_is_left_out(engine: Engine) -> None:
    """School goes to the CJG here: the begeleider does not claim it, nor does the income
    role claim work once work goes elsewhere."""
    shown = texts(run(engine, *AGREED, Event.cmd("roles")))
    assert roles.LINES["children_school"].text not in shown
    elsewhere = engine_for(CARDS, TOPIC_ROLES | {"work": "begeleider"})
    begeleider_work = texts(run(elsewhere, *AGREED, Event.cmd("roles")))
    assert roles.LINES["work"].text not in begeleider_work
    # …and a "not for" line about a topic this role answers is left out too.
    assert roles.LINES["not_work"].text not in begeleider_work


def test_a_role_with_its_own_lines_shows_them_in_the_readers_language() -> None:
    own = Line(
        Localized.of(
            {"ar": "دورة المال", "ti": "ኮርስ ገንዘብ", "nl": "Cursus geld", "en": "Money course"}
        ),
        frozenset({"debts"}),
    )
    cards = CARDS | {
        "begeleider": dataclasses.replace(
            CARDS["begeleider"], helps_with=(roles.LINES["house"], own)
        )
    }
    engine = engine_for(cards, TOPIC_ROLES | {"debts": "begeleider"})
    step = run(engine, *AGREED, Event.cmd("roles"))
    assert "• Money course" in texts(step)
    assert "• Cursus geld" in texts(step, "nl")
    assert "• دورة المال" in texts(step, "ar")  # not wrapped in isolates: it is Arabic
    assert roles.LINES["letter"].text not in texts(step)  # its own list replaces the standard


def test_a_role_that_serves_only_some_groups_is_shown_only_to_them() -> None:
    school = RoleCard(
        "taalschool",
        "taalschool",
        "Taalschool",
        phone="070 000 0003",
        helps_with=(Line("Your lessons", frozenset({"language_school"})),),
        target_groups=frozenset({"statushouder"}),
    )
    engine = engine_for(
        CARDS | {"taalschool": school}, TOPIC_ROLES | {"language_school": "taalschool"}
    )
    assert heading(school) in texts(run(engine, *AGREED, Event.cmd("roles"), group="statushouder"))
    family = run(engine, *AGREED, Event.cmd("roles"), group="gezinsmigrant")
    assert heading(school) not in texts(family)
    # Their question about lessons goes to the consulent, the lead for everyone.
    answer = texts(
        run(engine, *AGREED, press(RolesAction("t", "language_school")), group="gezinsmigrant")
    )
    assert heading(CARDS["consulent"]) in answer and heading(school) not in answer


def test_every_topic_has_a_button_and_an_answer_naming_its_role(engine: Engine) -> None:
    step = run(engine, *AGREED, Event.cmd("roles"), press(RolesAction("topics")))
    offered = [p for p in payloads(step) if isinstance(p, RolesAction) and p.action == "t"]
    assert offered == [RolesAction("t", code) for code, _ in roles.TOPICS]
    for code, _ in roles.TOPICS:
        answer = texts(run(engine, *AGREED, press(RolesAction("t", code))))
        assert heading(CARDS[TOPIC_ROLES[code]]) in answer, code


def test_a_gezinsmigrants_question_for_the_begeleider_goes_to_the_consulent(
    engine: Engine,
) -> None:
    answer = texts(run(engine, *AGREED, press(RolesAction("t", "letter")), group="gezinsmigrant"))
    assert heading(CARDS["consulent"]) in answer
    assert heading(CARDS["begeleider"]) not in answer


def test_a_fine_is_explained_as_a_last_resort(engine: Engine) -> None:
    (note,) = topic_notes(engine, "fine")
    assert "last resort" in note and "valid reason" in note


def test_changing_the_route_says_when_and_through_whom(engine: Engine) -> None:
    (note,) = topic_notes(engine, "change_route")
    assert "{switch_months}" in note and "consulent" in note and "test" in note


def test_rent_or_energy_bills_explain_ontzorgen_for_statushouders(engine: Engine) -> None:
    assert topic_notes(engine, "rent_energy", "statushouder") == [roles.ONTZORGEN]
    assert topic_notes(engine, "rent_energy") == [roles.ONTZORGEN]  # group not known yet
    assert "{ontzorgen_months}" in roles.ONTZORGEN and "rent" in roles.ONTZORGEN
    assert topic_notes(engine, "rent_energy", "gezinsmigrant") == []
    answer = texts(run(engine, *AGREED, press(RolesAction("t", "rent_energy"))))
    assert heading(CARDS["inkomen"]) in answer


def test_the_language_school_note_fits_the_group(engine: Engine) -> None:
    assert topic_notes(engine, "language_school", "statushouder") == [roles.LESSONS_ARRANGED]
    assert topic_notes(engine, "language_school", "gezinsmigrant") == [roles.LESSONS_OWN]
    assert topic_notes(engine, "language_school") == [roles.LESSONS_ARRANGED, roles.LESSONS_OWN]


def test_a_topic_without_a_note_shows_only_the_contact(engine: Engine) -> None:
    assert topic_notes(engine, "doctor") == []


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


def test_the_roles_are_offered_in_the_menu_without_a_case(engine: Engine) -> None:
    step = run(engine, press(ChooseLanguage("en")), has_case=False)
    assert RolesAction("roles") in payloads(step)
