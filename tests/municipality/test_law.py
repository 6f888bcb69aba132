"""`law`: the case record's `[deadlines]`, the `[journey]` and the `[fines]`: the law's
figures by default, the local names as written, and a clear line for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.municipality import (
    MunicipalityError,
    load_municipality,
)
from flows.journey import LAW
from tests.municipality.helpers import (
    VALID,
    error_for,
    write,
)


def test_without_the_sections_the_law_s_figures_apply(tmp_path: Path) -> None:
    municipality = load_municipality(write(tmp_path, VALID))
    journey, fines = municipality.journey, municipality.fines
    assert (journey.route_switch_months, journey.ontzorgen_months) == (18, 6)
    assert (journey.map_practice_hours, journey.pvt_hours, journey.z_route_hours) == (40, 12, 800)
    assert (fines.brede_intake, fines.pip, fines.exam, fines.map, fines.pvt) == (
        250, 800, 1000, 340, 340,
    )  # fmt: skip
    assert fines.pip == LAW.fine_pip and journey.map_by is None


def test_local_names_and_other_figures_are_read_as_written(tmp_path: Path) -> None:
    text = VALID + (
        '[journey]\nmap_by = "MareGroep / SPW"\nmoney_course = "Omgaan met geld"\n'
        "route_switch_months = 12\n\n[fines]\npip = 500\n"
    )
    municipality = load_municipality(write(tmp_path, text))
    assert municipality.journey.map_by == "MareGroep / SPW"
    assert municipality.journey.money_course == "Omgaan met geld"
    assert municipality.journey.route_switch_months == 12
    assert municipality.fines.pip == 500 and municipality.fines.brede_intake == 250


def test_mistakes_in_the_sections_are_named_one_line_each(tmp_path: Path) -> None:
    text = VALID + (
        '[journey]\npvt_by = ""\nontzorgen_months = 0\nmap_bye = "X"\n\n'
        '[fines]\npip = -1\nexam = "1000"\n'
    )
    path, message = error_for(tmp_path, text)
    assert f"{path}: journey.pvt_by: should not be empty" in message
    assert "journey.ontzorgen_months: should be at least 1, got 0" in message
    assert "journey.map_bye: unknown field 'map_bye' (did you mean 'map_by'?)" in message
    assert "fines.pip: should be at least 0, got -1" in message
    assert "fines.exam: should be a whole number, got '1000'" in message


def test_deadlines_default_to_the_law_pip_in_10_weeks_term_of_3_years(tmp_path: Path) -> None:
    deadlines = load_municipality(write(tmp_path, VALID)).deadlines
    assert (deadlines.pip_weeks, deadlines.term_years, deadlines.pip_near_days) == (10, 3, 14)


def test_deadlines_can_be_set_and_are_checked(tmp_path: Path) -> None:
    text = VALID + "[deadlines]\npip_near_days = 21\n"
    assert load_municipality(write(tmp_path, text)).deadlines.pip_near_days == 21
    bad = VALID + '[deadlines]\npip_weeks = 0\nterm_years = "3"\npip_near_dayz = 1\n'
    with pytest.raises(MunicipalityError) as error:
        load_municipality(write(tmp_path, bad))
    message = str(error.value)
    assert "deadlines.pip_weeks: should be at least 1, got 0" in message
    assert "deadlines.term_years: should be a whole number, got '3'" in message
    assert "deadlines.pip_near_dayz: unknown field 'pip_near_dayz' (did you mean" in message
