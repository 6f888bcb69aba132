"""Texts offline and back: a spreadsheet for an interpreter (openpyxl) or a `.po` for
Poedit, and the import of either with the same checks as the Teksten page and a report
line by line. A file exported and imported unchanged changes nothing.

Spreadsheet: one row per text (per plural form), with the English, the Dutch, the text
people read now, its status, and two columns to fill in: "Goedgekeurd" (ja) and
"Correctie". Po: `#, fuzzy` marks what is not (or no longer) reviewed; removing the flag
approves the text as it stands, a changed msgstr corrects it."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from bot.core.translations import REVIEWED, STATUS_NAMES, TRANSLATED, Entry, TextRow, key_of
from bot.core.translations_review import Texts

__all__ = ["ImportError_", "Report", "export_po", "export_xlsx", "import_file"]

HEADERS = (
    "Sleutel",
    "Vorm",
    "Onderdeel",
    "Engels",
    "Nederlands",
    "Huidige tekst",
    "Status",
    "Goedgekeurd (ja)",
    "Correctie",
)
YES = {"ja", "j", "yes", "y", "x", "✓"}


class ImportError_(ValueError):
    """The file cannot be read as an export of Wegwijs; the message says why, in Dutch."""


def export_xlsx(rows: Iterable[TextRow], lang: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = lang
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    own = Alignment(wrap_text=True, vertical="top", readingOrder=2 if lang == "ar" else 0)
    for row in rows:
        english, dutch = row.entry.english(), row.dutch
        for number, current in enumerate(row.current or ("",)):
            source = english[min(number, len(english) - 1)]
            in_dutch = dutch[min(number, len(dutch) - 1)] if dutch else ""
            status = STATUS_NAMES[row.status]
            key, part = row.entry.key, row.entry.part
            sheet.append([key, number + 1, part, source, in_dutch, current, status, "", ""])
            for cell in sheet[sheet.max_row]:
                cell.alignment = own if cell.column in (6, 9) else wrap
    for letter, width in zip("ABCDEFGHI", (10, 6, 24, 45, 45, 45, 14, 12, 45), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "D2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_po(rows: Iterable[TextRow], lang: str, *, corrections_only: bool = False) -> bytes:
    """All texts (or only the corrections, to go back into the project's catalogs)."""
    catalog = Catalog(locale=lang, project="Wegwijs", fuzzy=False)
    for row in rows:
        if corrections_only and not row.corrected:
            continue
        entry = row.entry
        msgid = (entry.msgid, entry.plural) if entry.plural else entry.msgid
        string = row.current if entry.plural else (row.current[0] if row.current else "")
        flags = () if row.status == REVIEWED or corrections_only else ("fuzzy",)
        comment = f"{entry.part} · {STATUS_NAMES[row.status]}"
        if row.by:
            comment += f" · {row.by} {row.at:%Y-%m-%d}" if row.at else f" · {row.by}"
        catalog.add(
            msgid, string, context=entry.context or None, flags=flags, auto_comments=[comment]
        )
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, sort_output=False)
    return out.getvalue()


@dataclass(frozen=True)
class Line:
    line: int
    text: str  # the English, shortened
    outcome: str  # overgenomen | goedgekeurd | geweigerd
    reasons: tuple[str, ...] = ()


@dataclass
class Report:
    lang: str
    lines: list[Line] = field(default_factory=list)
    unchanged: int = 0

    def count(self, outcome: str) -> int:
        return sum(line.outcome == outcome for line in self.lines)

    def summary(self) -> str:
        return (
            f"{self.lang}: {self.count('overgenomen')} aangepast, "
            f"{self.count('goedgekeurd')} goedgekeurd, {self.count('geweigerd')} geweigerd, "
            f"{self.unchanged} ongewijzigd."
        )


@dataclass(frozen=True)
class _Proposal:
    line: int
    key: str
    forms: tuple[str, ...] | None  # a changed text, or None
    approve: bool


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"


def _from_xlsx(data: bytes) -> tuple[str, list[_Proposal]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no xlsx
        raise ImportError_(
            f"Het bestand is geen leesbaar Excel-bestand ({type(exc).__name__})."
        ) from None
    sheet = book.worksheets[0]
    lang = sheet.title
    found = list(sheet.iter_rows(values_only=True))
    if not found or tuple(str(c or "") for c in found[0][: len(HEADERS)]) != HEADERS:
        raise ImportError_("De eerste rij heeft niet de kolommen van een export van Wegwijs.")
    grouped: dict[str, dict[str, object]] = {}
    for number, cells in enumerate(found[1:], start=2):
        values = [("" if c is None else str(c)) for c in (*cells, *[None] * 9)[:9]]
        key, current, yes, correction = values[0], values[5], values[7], values[8]
        if not key:
            continue
        group = grouped.setdefault(key, {"line": number, "current": [], "new": [], "yes": False})
        group["current"].append(current)  # type: ignore[union-attr]
        group["new"].append(correction.strip())  # type: ignore[union-attr]
        group["yes"] = group["yes"] or yes.strip().lower() in YES
    proposals = []
    for key, group in grouped.items():
        current, new = list(group["current"]), list(group["new"])  # type: ignore[call-overload]
        forms = tuple(n or c for n, c in zip(new, current, strict=True)) if any(new) else None
        proposals.append(_Proposal(int(group["line"]), key, forms, bool(group["yes"])))  # type: ignore[call-overload]
    return lang, proposals


def _from_po(data: bytes) -> tuple[str, list[_Proposal]]:
    try:
        catalog = read_po(io.BytesIO(data))
    except Exception as exc:  # babel raises several kinds for a broken file
        raise ImportError_(
            f"Het bestand is geen leesbaar po-bestand ({type(exc).__name__})."
        ) from None
    if catalog.locale is None:
        raise ImportError_("Het po-bestand noemt geen taal (de kop 'Language' ontbreekt).")
    lang = str(catalog.locale)
    proposals = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if message.pluralizable else message.id
        strings = message.string if message.pluralizable else (message.string,)
        proposals.append(
            _Proposal(
                message.lineno,
                key_of(message.context or "", msgid),
                tuple(s or "" for s in strings),
                not message.fuzzy,
            )
        )
    return lang, proposals


async def import_file(
    texts: Texts,
    data: bytes,
    filename: str,
    *,
    actor: str,
    languages: Iterable[str],
    now: datetime,
) -> Report:
    """Apply an exported file: corrections with the checks, approvals, a line each."""
    if filename.lower().endswith(".xlsx"):
        lang, proposals = _from_xlsx(data)
    elif filename.lower().endswith((".po", ".pot")):
        lang, proposals = _from_po(data)
    else:
        raise ImportError_("Alleen .xlsx- en .po-bestanden kunnen worden ingelezen.")
    if lang not in TRANSLATED:
        raise ImportError_(f"Het bestand is voor de taal {lang!r}; dat is geen taal van Wegwijs.")
    if lang not in set(languages):
        raise ImportError_(f"U bent geen vertaler voor de taal van dit bestand ({lang}).")
    rows = {row.entry.key: row for row in await texts.rows(lang)}
    report = Report(lang)
    for proposal in proposals:
        row = rows.get(proposal.key)
        if row is None:
            report.lines.append(
                Line(
                    proposal.line,
                    proposal.key,
                    "geweigerd",
                    ("Deze tekst bestaat niet (meer) in Wegwijs.",),
                )
            )
            continue
        await _apply(texts, row, proposal, actor, now, report)
    return report


async def _apply(
    texts: Texts, row: TextRow, proposal: _Proposal, actor: str, now: datetime, report: Report
) -> None:
    entry: Entry = row.entry
    changed = proposal.forms is not None and proposal.forms != row.current
    if changed:
        assert proposal.forms is not None
        verdict = await texts.correct_as(actor, row.lang, entry, proposal.forms, now)
        outcome = "overgenomen" if verdict.ok else "geweigerd"
        reasons = tuple(verdict.refusals or verdict.warnings)
        report.lines.append(Line(proposal.line, _short(entry.msgid), outcome, reasons))
    elif proposal.approve and row.status != REVIEWED:
        await texts.approve_as(actor, row.lang, entry, now)
        report.lines.append(Line(proposal.line, _short(entry.msgid), "goedgekeurd"))
    else:
        report.unchanged += 1
