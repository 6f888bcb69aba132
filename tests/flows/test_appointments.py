"""`flows/appointments.py`: when reminders go out (7 days, 1 day and 2 hours before by
default, never in the quiet hours (moved earlier, never later), never in the past, right
across DST changes), and the labels of the appointment kinds (from
test_appointment_schedule, test_consequences)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import appointments as A
from flows.appointments import (
    MIN_GAP,
    QUIET_MARGIN,
    QuietHours,
    before,
    earlier_if_quiet,
    later_if_quiet,
    notice_time,
    reminder_times,
)

AMS = ZoneInfo("Europe/Amsterdam")
DEFAULT = (timedelta(days=7), timedelta(days=1), timedelta(hours=2))
QUIET = QuietHours(time(21, 0), time(8, 0))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def dues(start: datetime, now: datetime, offsets=DEFAULT, quiet=QUIET) -> list[datetime]:
    return [s.due_at.astimezone(AMS) for s in reminder_times(start, offsets, quiet, now)]


def test_an_appointment_far_ahead_gets_all_three_reminders() -> None:
    start = local(2026, 12, 15, 10, 0)
    now = local(2026, 12, 1, 12, 0)
    assert dues(start, now) == [
        local(2026, 12, 8, 10, 0),
        local(2026, 12, 14, 10, 0),
        local(2026, 12, 15, 8, 0),
    ]


def test_an_appointment_tomorrow_gets_no_seven_day_reminder() -> None:
    start = local(2026, 12, 2, 14, 0)
    now = local(2026, 12, 1, 11, 0)
    assert dues(start, now) == [local(2026, 12, 1, 14, 0), local(2026, 12, 2, 12, 0)]


def test_an_appointment_in_two_hours_gets_no_reminder_in_the_past() -> None:
    start = local(2026, 12, 1, 14, 0)
    now = local(2026, 12, 1, 12, 0)
    assert dues(start, now) == []
    assert dues(start, local(2026, 12, 1, 11, 59)) == [local(2026, 12, 1, 12, 0)]


def test_a_reminder_in_the_quiet_hours_moves_to_the_evening_before() -> None:
    # 2 hours before 09:00 is 07:00, inside 21:00–08:00: it goes before 21:00 the evening
    # before, never later (08:00 would be too close to the talk for some).
    start = local(2026, 12, 15, 9, 0)
    now = local(2026, 12, 1, 12, 0)
    evening = local(2026, 12, 14, 21, 0) - QUIET_MARGIN
    assert dues(start, now) == [local(2026, 12, 8, 9, 0), local(2026, 12, 14, 9, 0), evening]


def test_a_reminder_late_in_the_evening_moves_earlier_the_same_evening() -> None:
    assert earlier_if_quiet(local(2026, 12, 14, 22, 30), QUIET).astimezone(AMS) == local(
        2026, 12, 14, 20, 45
    )
    assert earlier_if_quiet(local(2026, 12, 14, 20, 59), QUIET).astimezone(AMS) == local(
        2026, 12, 14, 20, 59
    )


def test_an_early_appointment_whose_reminders_collapse_gets_one() -> None:
    # 1 day before 07:30 falls at 07:30 (quiet) → 20:45 two evenings before; 2 hours
    # before → 05:30 (quiet) → 20:45 the evening before. Both kept: a day apart.
    start = local(2026, 12, 15, 7, 30)
    now = local(2026, 12, 12, 12, 0)
    assert dues(start, now) == [local(2026, 12, 13, 20, 45), local(2026, 12, 14, 20, 45)]
    # With a 1-hour reminder beside the 2-hour one, both land at 20:45: one is sent.
    both = dues(start, now, offsets=(timedelta(hours=2), timedelta(hours=1)))
    assert both == [local(2026, 12, 14, 20, 45)]


def test_days_count_on_the_wall_clock_across_the_march_change() -> None:
    # Summer time starts on Sunday 29 March 2026 at 02:00. "7 days before" a Monday 10:00
    # talk is the Monday before at 10:00 local, in winter time: 7 days less an hour of
    # elapsed time.
    start = local(2026, 3, 30, 10, 0)
    now = local(2026, 3, 1, 12, 0)
    assert dues(start, now) == [
        local(2026, 3, 23, 10, 0),
        local(2026, 3, 29, 10, 0),
        local(2026, 3, 30, 8, 0),
    ]
    assert before(start, timedelta(days=7)) == datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
    assert start - before(start, timedelta(days=7)) == timedelta(days=7, hours=-1)
    sunday = local(2026, 3, 29, 10, 0)  # the short day itself: 23 hours after Saturday 10:00
    assert sunday - before(sunday, timedelta(days=1)) == timedelta(hours=23)


def test_days_count_on_the_wall_clock_across_the_october_change() -> None:
    # Winter time starts on Sunday 25 October 2026 at 03:00: that Sunday has 25 hours.
    start = local(2026, 10, 26, 10, 0)
    now = local(2026, 10, 1, 12, 0)
    assert dues(start, now) == [
        local(2026, 10, 19, 10, 0),
        local(2026, 10, 25, 10, 0),
        local(2026, 10, 26, 8, 0),
    ]
    assert start - before(start, timedelta(days=7)) == timedelta(days=7, hours=1)
    sunday = local(2026, 10, 25, 10, 0)
    assert sunday - before(sunday, timedelta(days=1)) == timedelta(hours=25)


def test_hours_are_elapsed_time_through_the_night_of_a_change() -> None:
    # Without quiet hours: 2 hours before 03:30 summer time on 29 March is 00:30 winter
    # time (only one hour of wall clock: the clock jumped from 02:00 to 03:00).
    no_quiet = QuietHours(time(3, 0), time(3, 1))
    start = local(2026, 3, 29, 3, 30)
    got = reminder_times(start, (timedelta(hours=2),), no_quiet, local(2026, 3, 28, 12, 0))
    assert [s.due_at for s in got] == [datetime(2026, 3, 28, 23, 30, tzinfo=UTC)]
    assert got[0].due_at.astimezone(AMS) == local(2026, 3, 29, 0, 30)


def test_quiet_hours_within_one_day_are_respected_too() -> None:
    lunch = QuietHours(time(12, 0), time(13, 0))
    assert earlier_if_quiet(local(2026, 12, 1, 12, 30), lunch).astimezone(AMS) == local(
        2026, 12, 1, 11, 45
    )
    assert later_if_quiet(local(2026, 12, 1, 12, 30), lunch).astimezone(AMS) == local(
        2026, 12, 1, 13, 0
    )


def test_an_invitation_made_at_night_waits_for_the_morning() -> None:
    start = local(2026, 12, 10, 10, 0)
    assert notice_time(local(2026, 12, 1, 23, 10), start, QUIET).astimezone(AMS) == local(
        2026, 12, 2, 8, 0
    )
    assert notice_time(local(2026, 12, 2, 3, 0), start, QUIET).astimezone(AMS) == local(
        2026, 12, 2, 8, 0
    )
    day = local(2026, 12, 1, 15, 0)
    assert notice_time(day, start, QUIET) == day


def test_an_invitation_at_night_for_an_appointment_early_next_morning_goes_at_once() -> None:
    now = local(2026, 12, 1, 23, 0)
    assert notice_time(now, local(2026, 12, 2, 8, 15), QUIET) == now


@pytest.mark.parametrize("offsets", [DEFAULT, (timedelta(days=3),), (timedelta(minutes=30),)])
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
    ),
    lead=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
)
def test_reminders_are_never_quiet_past_or_after_the_start(offsets, start, lead) -> None:
    now = start - lead
    got = reminder_times(start, offsets, QUIET, now)
    for item in got:
        assert now < item.due_at < start
        assert not QUIET.contains(item.due_at.astimezone(AMS).time())
        assert item.due_at <= before(start, item.offset)  # moved earlier, never later
    assert all(b.due_at - a.due_at >= MIN_GAP for a, b in itertools.pairwise(got))


# -- two labels ---------------------------------------------------------------------------------


def test_the_leerbaarheidstoets_is_about_how_well_one_can_learn_dutch() -> None:
    label = A.KIND_LABELS["leerbaarheidstoets"]
    assert label.startswith("Leerbaarheidstoets: ")
    assert "learn Dutch" in label and "route" in label
    assert "how you learn best" not in label


def test_the_pvt_is_a_course_of_at_least_12_hours_ending_with_signing() -> None:
    label = A.KIND_LABELS["pvt"]
    assert label.startswith("PVT: ")
    assert "course" in label and "at least 12 hours" in label
    assert "signing the participation statement" in label
