"""`appointments`: every kind of appointment follows the law unless the file says
otherwise, with what to bring in Dutch as written; reminders go out 7 days, 1 day and 2
hours before by default, never in quiet hours, earliest first."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.municipality import (
    APPOINTMENT_KINDS,
    load_municipality,
)
from flows import appointments as A
from tests.municipality.helpers import (
    VALID,
    write,
)


def test_unlisted_appointment_kinds_follow_the_law_with_nothing_to_bring(tmp_path: Path) -> None:
    municipality = load_municipality(write(tmp_path, VALID))
    other = municipality.appointment("other")
    assert (other.obligatory, other.bring, other.duration_minutes) == (False, (), None)
    assert municipality.appointment("brede_intake").obligatory is True
    assert municipality.appointment("huisbezoek").obligatory is False
    with pytest.raises(KeyError):
        municipality.appointment("party")


def test_a_listed_kind_keeps_its_items_in_dutch_and_the_laws_obligation_if_unsaid(
    tmp_path: Path,
) -> None:
    text = VALID + '[appointments.pvt]\nbring = ["je verblijfsdocument", "je agenda"]\n'
    pvt = load_municipality(write(tmp_path, text)).appointment("pvt")
    assert pvt.bring == ("je verblijfsdocument", "je agenda")
    assert pvt.obligatory is True


def test_a_file_without_appointments_follows_the_law_for_every_kind_of_the_flows(
    tmp_path: Path,
) -> None:
    municipality = load_municipality(write(tmp_path, VALID))
    assert APPOINTMENT_KINDS == A.KIND_CODES == tuple(A.KIND_LABELS)
    obligatory = {k for k in APPOINTMENT_KINDS if municipality.appointment(k).obligatory}
    assert obligatory == A.OBLIGATORY_BY_LAW
    assert "kennismaking" not in obligatory and "brede_intake" in obligatory


def test_reminders_default_to_7d_1d_2h_outside_21_to_8_at_25_per_second(tmp_path: Path) -> None:
    reminders = load_municipality(write(tmp_path, VALID)).reminders
    assert reminders.offsets == (timedelta(days=7), timedelta(days=1), timedelta(hours=2))
    assert (reminders.quiet_hours.start, reminders.quiet_hours.end) == (time(21), time(8))
    assert reminders.rate_per_second == 25


def test_offsets_are_parsed_and_ordered_earliest_first(tmp_path: Path) -> None:
    text = VALID + '[reminders]\noffsets = ["2h", "30m", "3d"]\n'
    municipality = load_municipality(write(tmp_path, text))
    assert municipality.reminder_offsets == (
        timedelta(days=3),
        timedelta(hours=2),
        timedelta(minutes=30),
    )


def test_quiet_hours_wrap_past_midnight(tmp_path: Path) -> None:
    quiet = load_municipality(write(tmp_path, VALID)).reminders.quiet_hours
    assert quiet.contains(time(23, 30)) and quiet.contains(time(7, 59))
    assert quiet.contains(time(21, 0)) and not quiet.contains(time(8, 0))
    assert not quiet.contains(time(12, 0))
