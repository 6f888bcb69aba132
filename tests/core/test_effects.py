"""`bot/core/effects.py`: every effect a step can ask for is stored by a handler of the
table (erasing apart: it replaces the step's other writes). What each handler writes is
tested through the service (test_service.py, test_privacy_service.py, test_appointments.py)."""

from __future__ import annotations

from typing import get_args

from bot.core.effects import CHANGES_ROWS, EFFECTS
from flows.effects import Effect, Erase


def test_every_effect_but_erasing_has_a_handler() -> None:
    """An effect without one would be dropped without a word."""
    assert set(EFFECTS) == set(get_args(Effect)) - {Erase}


def test_the_effects_that_change_rows_have_handlers() -> None:
    assert set(CHANGES_ROWS) <= set(EFFECTS)
