"""The law's clock for a case: the PIP deadline and the term, from the entered dates."""

from __future__ import annotations

from datetime import date

import pytest

from flows.record import (
    CaseDates,
    Ontzorgen,
    add_years,
    case_dates,
    group_mismatch,
    ontzorgen,
    pip_urgency,
)


def dates(registered: date | None, decided: date | None = None) -> CaseDates:
    return case_dates(registered, decided, pip_weeks=10, term_years=3)


def test_the_pip_is_due_10_weeks_after_the_brp_registration() -> None:
    assert dates(date(2026, 9, 1)).pip_deadline == date(2026, 11, 10)


def test_no_registration_date_means_no_deadline() -> None:
    assert dates(None) == CaseDates(pip_deadline=None, term_start=None, term_end=None)


def test_the_term_starts_on_the_day_the_pip_is_decided_and_lasts_3_years() -> None:
    found = dates(date(2026, 9, 1), date(2026, 10, 20))
    assert (found.term_start, found.term_end) == (date(2026, 10, 20), date(2029, 10, 20))


def test_no_pip_means_no_term_yet() -> None:
    found = dates(date(2026, 9, 1))
    assert (found.term_start, found.term_end) == (None, None)


def test_a_gezinsmigrants_term_starts_at_the_brp_registration() -> None:
    found = case_dates(
        date(2026, 9, 1), None, pip_weeks=10, term_years=3, target_group="gezinsmigrant"
    )
    assert (found.term_start, found.term_end) == (date(2026, 9, 1), date(2029, 9, 1))
    # Their term runs, but their PIP deadline is still watched until the PIP is decided.
    assert pip_urgency(found, date(2026, 11, 11), near_days=14) == "past"


@pytest.mark.parametrize("group", ["statushouder", "nareiziger", None])
def test_a_statushouders_term_starts_at_the_pip(group: str | None) -> None:
    found = case_dates(date(2026, 9, 1), None, pip_weeks=10, term_years=3, target_group=group)
    assert found.term_start is None


def test_the_figures_come_from_the_caller() -> None:
    found = case_dates(date(2026, 1, 1), date(2026, 2, 1), pip_weeks=8, term_years=2)
    assert (found.pip_deadline, found.term_end) == (date(2026, 2, 26), date(2028, 2, 1))


def test_a_term_from_29_february_ends_on_28_february() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 10, 26), None),  # 15 days ahead
        (date(2026, 10, 27), "near"),  # 14 days ahead
        (date(2026, 11, 10), "near"),  # the day itself
        (date(2026, 11, 11), "past"),
    ],
)
def test_a_pip_deadline_is_near_within_the_threshold_and_past_after_it(
    today: date, expected: str | None
) -> None:
    assert pip_urgency(dates(date(2026, 9, 1)), today, near_days=14) == expected


def test_a_decided_pip_or_an_unknown_registration_is_never_flagged() -> None:
    late = date(2027, 6, 1)
    assert pip_urgency(dates(date(2026, 9, 1), date(2026, 11, 20)), late, near_days=14) is None
    assert pip_urgency(dates(None), late, near_days=14) is None


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "not_planned"),
        (["cancelled"], "not_planned"),
        (["planned"], "planned"),
        (["missed", "changed"], "planned"),
        (["missed"], "missed"),
        (["missed", "done", "planned"], "done"),
    ],
)
def test_the_leerbaarheidstoets_status_is_read_from_its_appointments(
    statuses: list[str], expected: str
) -> None:
    from flows.record import leerbaarheidstoets_status

    assert leerbaarheidstoets_status(statuses) == expected


def test_the_route_can_be_switched_until_the_given_months_after_the_pip() -> None:
    found = case_dates(
        date(2026, 9, 1), date(2026, 8, 31), pip_weeks=10, term_years=3, switch_months=18
    )
    assert found.switch_until == date(2028, 2, 29)  # 31 August + 18 months, a leap year
    assert (
        case_dates(
            date(2026, 9, 1), None, pip_weeks=10, term_years=3, switch_months=18
        ).switch_until
        is None
    )
    assert (
        case_dates(date(2026, 9, 1), date(2026, 11, 2), pip_weeks=10, term_years=3).switch_until
        is None
    )


def test_ontzorgen_lasts_at_least_the_given_months_unless_an_end_is_recorded() -> None:
    assert ontzorgen(date(2026, 9, 15), None, months=6) == Ontzorgen(
        date(2026, 9, 15), date(2027, 3, 15), minimum=True
    )
    assert ontzorgen(date(2026, 9, 15), date(2027, 9, 1), months=6) == Ontzorgen(
        date(2026, 9, 15), date(2027, 9, 1)
    )
    assert ontzorgen(None, None, months=6) == Ontzorgen(None, None)


@pytest.mark.parametrize(
    ("group", "came_later", "found"),
    [
        ("statushouder", "yes", "said_nareiziger"),
        ("nareiziger", "no", "said_not_nareiziger"),
        ("statushouder", "no", None),
        ("nareiziger", "yes", None),
        ("gezinsmigrant", "yes", None),
        ("gezinsmigrant", "no", None),
        (None, "yes", None),
        ("statushouder", None, None),
    ],
)
def test_came_later_against_the_recorded_group(
    group: str | None, came_later: str | None, found: str | None
) -> None:
    assert group_mismatch(group, came_later) == found
