"""locales/GLOSSARY.md: every term in all four languages, and "not used yet" only where
no msgid uses the term (a review found twenty rows saying so of terms in use)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.language import ARABIC, ETHIOPIC, letter_script

LOCALES = Path(__file__).resolve().parents[2] / "locales"
GLOSSARY = (LOCALES / "GLOSSARY.md").read_text(encoding="utf-8")
HEADER = "| Dutch (official term) | English in the msgids | Arabic | Tigrinya |"


def _rows() -> list[list[str]]:
    table = GLOSSARY.split(HEADER, 1)[1].split("\n\n", 1)[0]
    lines = [line for line in table.splitlines() if line.startswith("|") and "---" not in line]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def _msgids() -> str:
    with (LOCALES / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    return "\n".join(
        message.id if isinstance(message.id, str) else " ".join(message.id) for message in template
    )


def _writes(script: str, text: str) -> bool:
    return any(letter_script(ch) == script for ch in text if ch.isalpha())


def test_the_glossary_has_the_journey_words() -> None:
    terms = {row[0].split(" (")[0] for row in _rows()}
    journey = {"PIP", "route", "KNM", "MAP", "PVT", "ontzorgen", "nareiziger", "gezinsmigrant"}
    assert journey <= terms
    assert any(term.startswith("klantmanager") for term in terms)
    assert len(terms) >= 30


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row[0])
def test_every_term_is_given_in_all_four_languages(row: list[str]) -> None:
    dutch, english, arabic, tigrinya, _note = row
    assert dutch and english and english != "—"
    assert _writes(ARABIC, arabic), arabic
    assert _writes(ETHIOPIC, tigrinya) or tigrinya in {"IND", "COA", "BSN"}, tigrinya


def test_a_term_is_marked_unused_only_if_no_msgid_uses_it() -> None:
    msgids = _msgids().casefold()
    for dutch, *_rest, note in _rows():
        if note.rstrip().endswith("· —"):
            word = re.split(r"[ (]", dutch, maxsplit=1)[0].casefold()
            assert word not in msgids, f"{dutch} is marked unused but a msgid uses it"
    assert "not in the catalog yet" not in GLOSSARY
