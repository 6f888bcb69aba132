"""`flows/journey.py`: the journey's content: where the person is, from the case's facts,
and the dates (from test_journey; the screen is tests/flows/screens/test_journey.py)."""

from __future__ import annotations

from datetime import date

import pytest

from flows import journey as J
from flows.journey import JourneyFacts
from tests.flows.helpers import (
    NOW,
)

TODAY = NOW.date()


# -- you are here -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "here"),
    [
        (JourneyFacts(), "intake"),
        (JourneyFacts(held=("kennismaking",)), "intake"),
        (JourneyFacts(held=("brede_intake",)), "lbt"),
        (JourneyFacts(held=("brede_intake", "leerbaarheidstoets")), "pip"),
        (JourneyFacts(held=("pip",)), "route"),
        (JourneyFacts(pip_decided_on=date(2026, 3, 1)), "route"),
        (JourneyFacts(pip_decided_on=date(2023, 3, 1)), "final"),  # three years have passed
        (JourneyFacts(pip_decided_on=date(2024, 1, 1), held=("eindgesprek",)), "nazorg"),
    ],
)
def test_you_are_here_follows_the_talks_held_and_the_pip(facts: JourneyFacts, here: str) -> None:
    assert J.where(facts, TODAY, J.LAW) == here


def test_nothing_known_of_the_case_is_nowhere() -> None:
    assert J.where(None, TODAY, J.LAW) is None


def test_months_are_added_to_the_last_day_of_a_shorter_month() -> None:
    assert J.add_months(date(2026, 8, 31), 18) == date(2028, 2, 29)
    assert J.add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)
