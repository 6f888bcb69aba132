"""The export for the dossier carries the case record: the target group, the BRP
registration, the PIP deadline and the term, in JSON and as the CSV's first rows —
the same export for `wegwijs export` and the dashboard (`bot.core.cases.export_case`)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from bot.core.cases import create_case, export_case
from bot.core.export import to_csv
from bot.core.record import set_case_record
from bot.municipality import Deadlines
from flows.i18n import DEFAULT_LOCALES_DIR, Renderer, load_catalogs
from flows.intake import INTAKE
from storage import Database
from tests.clock import NOW


@pytest.fixture(scope="module")
def dutch() -> Renderer:
    if not any(DEFAULT_LOCALES_DIR.glob("*/LC_MESSAGES/messages.mo")):
        pytest.skip("no compiled catalogs: run `make catalogs`")
    return Renderer(load_catalogs())


async def exported(
    db: Database, renderer: Renderer, deadlines: Deadlines | None = None, **record: Any
) -> dict[str, Any]:
    case = await create_case(db, actor="anna", now=NOW)
    if record:
        await set_case_record(db, case.id, actor="anna", now=NOW, **record)
    _, data = await export_case(
        db, INTAKE, renderer, case.id, actor="anna", now=NOW, deadlines=deadlines
    )
    return data


RECORD = {
    "target_group": "statushouder",
    "registered_on": date(2026, 9, 1),
    "pip_decided_on": date(2026, 11, 2),
}


async def test_the_json_carries_the_case_record(db: Database, dutch: Renderer) -> None:
    case = (await exported(db, dutch, **RECORD))["case"]
    assert case["target_group"] == "statushouder"
    assert case["target_group_label"] == "Statushouder"
    assert case["registered_on"] == "2026-09-01"
    assert case["pip_deadline"] == "2026-11-10"  # 10 weeks after the registration
    assert case["term_start"] == "2026-11-02"  # the day the PIP was decided
    assert case["term_end"] == "2029-11-02"  # 3 years on


async def test_the_csv_opens_with_the_record_in_dutch(db: Database, dutch: Renderer) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(await exported(db, dutch, **RECORD)))))
    record = [
        (r["question_id"], r["section"], r["question"], r["codes"], r["answer"]) for r in rows[:5]
    ]
    assert record == [
        ("case.target_group", "Dossiergegevens", "Doelgroep", "statushouder", "Statushouder"),
        (
            "case.registered_on",
            "Dossiergegevens",
            "Inschrijving in de BRP",
            "2026-09-01",
            "2026-09-01",
        ),
        ("case.pip_deadline", "Dossiergegevens", "Uiterste datum PIP", "2026-11-10", "2026-11-10"),
        (
            "case.term_start",
            "Dossiergegevens",
            "Start inburgeringstermijn",
            "2026-11-02",
            "2026-11-02",
        ),
        (
            "case.term_end",
            "Dossiergegevens",
            "Einde inburgeringstermijn",
            "2029-11-02",
            "2029-11-02",
        ),
    ]


async def test_the_municipalitys_figures_set_the_deadline(db: Database, dutch: Renderer) -> None:
    case = (await exported(db, dutch, Deadlines(pip_weeks=8, term_years=2), **RECORD))["case"]
    assert (case["pip_deadline"], case["term_end"]) == ("2026-10-27", "2028-11-02")


async def test_a_record_not_filled_in_is_empty_not_guessed(db: Database, dutch: Renderer) -> None:
    data = await exported(db, dutch)
    fields = ("target_group", "target_group_label", "registered_on", "pip_deadline", "term_start")
    assert all(data["case"][field] is None for field in fields)
    rows = list(csv.DictReader(io.StringIO(to_csv(data))))
    assert [r["question_id"] for r in rows] == [
        "case.target_group",
        "case.registered_on",
        "case.pip_deadline",
        "case.term_start",
        "case.term_end",
    ]
    assert all(r["codes"] == "" and r["answer"] == "" for r in rows)


async def test_a_registration_alone_gives_the_deadline_but_no_term(
    db: Database, dutch: Renderer
) -> None:
    case = (
        await exported(
            db,
            dutch,
            target_group="statushouder",
            registered_on=date(2026, 11, 2),
            pip_decided_on=None,
        )
    )["case"]
    assert (case["pip_deadline"], case["term_start"]) == ("2027-01-11", None)


async def test_a_gezinsmigrants_term_starts_at_the_registration(
    db: Database, dutch: Renderer
) -> None:
    """Wet inburgering 2021, art. 7 (seed 002): from the BRP registration, not the PIP."""
    case = (
        await exported(
            db,
            dutch,
            target_group="gezinsmigrant",
            registered_on=date(2026, 11, 2),
            pip_decided_on=None,
        )
    )["case"]
    assert case["target_group_label"] == "Gezinsmigrant of overige migrant"
    assert (case["pip_deadline"], case["term_start"]) == ("2027-01-11", "2026-11-02")
    assert case["term_end"] == "2029-11-02"


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    """An answer typed as a formula must reach Excel as text (OWASP, CSV injection):
    a cell starting with = + - @, a tab or a carriage return gets a leading quote."""
    typed = ['=HYPERLINK("http://x")', "+SUM(1)", "-1+2", "@cmd", "\tx", "\rx", "plain", "a=b"]
    answers = [
        {"question_id": f"q{i}", "codes": [value], "answer": value, "text": value}
        for i, value in enumerate(typed)
    ]
    data = {"record": [], "answers": answers}
    rows = list(csv.DictReader(io.StringIO(to_csv(data), newline="")))
    cells = [(r["codes"], r["answer"], r["text"]) for r in rows]
    expected = [f"'{v}" for v in typed[:6]] + ["plain", "a=b"]
    assert cells == [(e, e, e) for e in expected]
    assert data["answers"][0]["text"] == typed[0]  # the JSON export is left as it was
