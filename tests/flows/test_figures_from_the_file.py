"""Every figure of the law a text names comes from the municipality file (DESIGN.md,
"Content rules"): none is written into a msgid, so a municipality that changes one never
shows two different numbers."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from bot.municipality import Deadlines, Fines, Journey
from flows.intake import INTAKE

POT = Path(__file__).resolve().parents[2] / "locales" / "messages.pot"

# The municipality file's figures (the law's, by default) with the units a text names
# them in; the route switch also as "1.5 years".
FIGURES: dict[str, set[str]] = {
    "weeks": {str(Deadlines().pip_weeks)},
    "years": {str(Deadlines().term_years), "1.5", "1,5", "one and a half"},
    "months": {str(Journey().route_switch_months), str(Journey().ontzorgen_months)},
    "hours": {
        str(Journey().map_practice_hours),
        str(Journey().pvt_hours),
        str(Journey().z_route_hours),
    },
}
EUROS = {str(value) for value in Fines().model_dump().values()}
# What a person answers about themselves (the ages of children, hours of work) is no
# figure of the law.
OWN_FACTS = {option.text for question in INTAKE.questions for option in question.options}


def written_figures(msgid: str) -> list[str]:
    found = []
    for unit, values in FIGURES.items():
        for value in values:
            if re.search(rf"(?<![\d.,]){re.escape(value)}\s+{unit[:-1]}s?\b", msgid):
                found.append(f"{value} {unit}")
    for value in EUROS:
        if re.search(rf"€\s*{value}\b|\b{value}\s*(euro|EUR)\b", msgid):
            found.append(f"€{value}")
    return found


def test_the_check_finds_a_figure_written_into_a_sentence() -> None:
    assert written_figures("For the first 6 months the municipality pays") == ["6 months"]
    assert written_figures("at least 40 hours of practice") == ["40 hours"]
    assert written_figures("In the first 1.5 years you can still change") == ["1.5 years"]
    assert written_figures("a fine of at most €250") == ["€250"]
    assert written_figures("For the first {months} months") == []


def test_no_msgid_names_a_figure_of_the_municipality_file() -> None:
    with POT.open("rb") as handle:
        catalog = read_po(handle)
    written = {}
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            if msgid and msgid not in OWN_FACTS and written_figures(msgid):
                written[msgid[:80]] = written_figures(msgid)
    assert written == {}, "take these figures from the municipality file as parameters"
