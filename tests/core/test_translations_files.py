"""Texts offline and back: an export imported unchanged changes nothing (xlsx and po);
a filled-in spreadsheet or po corrects and approves with the same checks, line by line."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from openpyxl import load_workbook

from bot.core.translations import CONCEPT, REVIEWED, key_of
from bot.core.translations_files import ImportError_, export_po, export_xlsx, import_file
from bot.core.translations_review import Texts
from flows import texts as T
from flows.i18n import DEFAULT_LOCALES_DIR
from storage import CorrectionRepository, Database
from tests.clock import NOW

CURRENT = key_of("", T.CURRENT_ANSWER)
CONSENT_YES = key_of("", T.CONSENT_YES)
CONSENT_NO = key_of("", T.CONSENT_NO)


@pytest.fixture
async def texts(db: Database, tmp_path: Path) -> Texts:
    shutil.copytree(DEFAULT_LOCALES_DIR, tmp_path / "locales")
    texts = Texts.of(db, tmp_path / "locales")
    await texts.correct_as("samira", "ar", texts.entry(CURRENT), ["جوابك الآن: {answer}"], NOW)
    await texts.approve_as("samira", "ar", texts.entry(CONSENT_YES), NOW)
    return texts


async def layer(db: Database) -> tuple[int, list[tuple[str, str, object]]]:
    async with db.session() as session:
        repo = CorrectionRepository(session)
        rows = await repo.of_language()
        return await repo.version(), [(r.lang, r.key, r.forms) for r in rows]


@pytest.mark.parametrize("kind", ["xlsx", "po"])
async def test_an_export_imported_unchanged_changes_nothing(
    texts: Texts, db: Database, kind: str
) -> None:
    rows = await texts.rows("ar")
    data = export_xlsx(rows, "ar") if kind == "xlsx" else export_po(rows, "ar")
    before = await layer(db)
    report = await import_file(texts, data, f"ar.{kind}", actor="samira", languages=["ar"], now=NOW)
    assert report.lines == [] and report.unchanged == len(rows)
    assert await layer(db) == before


async def test_a_filled_in_spreadsheet_corrects_approves_and_refuses_line_by_line(
    texts: Texts,
) -> None:
    book = load_workbook(io.BytesIO(export_xlsx(await texts.rows("ar"), "ar")))
    sheet = book.active
    lines = {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    sheet.cell(lines[CONSENT_NO], 8, "ja")
    sheet.cell(lines[CONSENT_YES], 9, "Yes I agree")  # Latin letters: refused
    key = key_of("", T.DONE)
    sheet.cell(lines[key], 9, "انتهيت")
    out = io.BytesIO()
    book.save(out)
    report = await import_file(
        texts, out.getvalue(), "ar.xlsx", actor="samira", languages=["ar"], now=NOW
    )
    outcomes = {line.line: (line.outcome, line.reasons) for line in report.lines}
    assert outcomes[lines[CONSENT_NO]] == ("goedgekeurd", ())
    assert outcomes[lines[key]][0] == "overgenomen"
    refused, reasons = outcomes[lines[CONSENT_YES]]
    assert refused == "geweigerd" and "Arabische schrift" in reasons[0]
    rows = {r.entry.key: r for r in await texts.rows("ar")}
    assert rows[key].current == ("انتهيت",) and rows[key].status == REVIEWED
    assert rows[CONSENT_YES].current == texts.entry(CONSENT_YES).shipped["ar"]
    assert "1 aangepast, 1 goedgekeurd, 1 geweigerd" in report.summary()


async def test_a_po_from_poedit_corrects_and_unfuzzied_entries_are_approved(
    texts: Texts,
) -> None:
    catalog = read_po(io.BytesIO(export_po(await texts.rows("ar"), "ar")))
    catalog[T.CONSENT_NO].flags.discard("fuzzy")
    catalog[T.DONE].string = "انتهيت"
    out = io.BytesIO()
    write_po(out, catalog)
    report = await import_file(
        texts, out.getvalue(), "ar.po", actor="samira", languages=["ar"], now=NOW
    )
    assert sorted(line.outcome for line in report.lines) == ["goedgekeurd", "overgenomen"]
    rows = {r.entry.key: r for r in await texts.rows("ar")}
    assert rows[CONSENT_NO].status == REVIEWED
    assert rows[key_of("", T.CONSENT_MORE)].status == CONCEPT


async def test_the_corrections_export_holds_only_the_corrections(texts: Texts) -> None:
    catalog = read_po(io.BytesIO(export_po(await texts.rows("ar"), "ar", corrections_only=True)))
    assert [(m.id, m.string) for m in catalog if m.id] == [
        (T.CURRENT_ANSWER, "جوابك الآن: {answer}")
    ]


async def test_a_file_of_another_language_or_kind_is_refused_in_dutch(texts: Texts) -> None:
    data = export_po(await texts.rows("ti"), "ti")
    with pytest.raises(ImportError_, match="geen vertaler"):
        await import_file(texts, data, "ti.po", actor="samira", languages=["ar"], now=NOW)
    with pytest.raises(ImportError_, match=r"Alleen \.xlsx"):
        await import_file(texts, b"x", "ti.docx", actor="samira", languages=["ti"], now=NOW)
    with pytest.raises(ImportError_, match="geen leesbaar Excel"):
        await import_file(texts, b"x", "ti.xlsx", actor="samira", languages=["ti"], now=NOW)
