"""`flows/roles.py`: the roles as data: their lines fitted to the routing, and the
contradictions between a role's own lines and the routing (from test_roles; the screen
is tests/flows/screens/test_roles.py)."""

from __future__ import annotations

import dataclasses

from flows import roles
from flows.roles import Line
from tests.flows.helpers import (
    ROLE_CARDS as CARDS,
)
from tests.flows.helpers import (
    TOPIC_ROLES,
)


def test_every_line_shown_agrees_with_the_routing() -> None:
    for group in (None, "statushouder", "gezinsmigrant"):
        for card in roles.shown_roles(CARDS, TOPIC_ROLES, group):
            helps, not_for = card.lines(TOPIC_ROLES, group)
            assert all(TOPIC_ROLES[t] == card.code for line in helps for t in line.topics)
            assert all(TOPIC_ROLES[t] != card.code for line in not_for for t in line.topics)


def test_contradictions_name_the_role_the_line_and_the_topic() -> None:
    claims_school = dataclasses.replace(
        CARDS["begeleider"],
        helps_with=(roles.LINES["house"], Line("School", frozenset({"children_school"}))),
    )
    disowns_exam = dataclasses.replace(
        CARDS["consulent"], not_for=(Line("Exams", frozenset({"exam"})),)
    )
    found = roles.contradictions(
        CARDS | {"begeleider": claims_school, "consulent": disowns_exam}, TOPIC_ROLES
    )
    assert [(c.role, c.field, c.position, c.topic, c.routed_to) for c in found] == [
        ("consulent", "not_for", 1, "exam", "consulent"),
        ("begeleider", "helps_with", 2, "children_school", "cjg"),
    ]
    assert str(found[1]).startswith(
        "roles.begeleider.helps_with.2: role 'begeleider' says it helps with topic "
        "'children_school', but [topics] sends children_school to 'cjg'"
    )
    assert roles.contradictions(CARDS, TOPIC_ROLES) == []  # the standard lines fit themselves


def test_bills_belong_to_a_card() -> None:
    """The topic "Rent or energy bills" is on the card of the role that answers it."""
    card = CARDS[TOPIC_ROLES["rent_energy"]]
    helps, _ = card.lines(TOPIC_ROLES)
    assert any("rent_energy" in line.topics for line in helps)
    assert roles.LINES["bills"] in helps
