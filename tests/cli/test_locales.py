"""`wegwijs locales check`: the bundled catalogs pass; a defect fails with exit code 1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.settings import DEFAULT_LOCALES_DIR
from tests.cli.helpers import wegwijs


def test_the_bundled_catalogs_are_complete(db_path: Path) -> None:
    result = wegwijs("locales", "check")
    assert result.exit_code == 0, result.output
    assert result.output == "Catalogs complete: ar, ti, nl, en.\n"


def test_an_emptied_translation_fails_the_check(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(DEFAULT_LOCALES_DIR, locales)
    po = locales / "nl" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    first = text.index('msgstr "', text.index("\nmsgid ", text.index("\n\n")))
    end = text.index("\n\n", first)
    po.write_text(text[:first] + 'msgstr ""' + text[end:], encoding="utf-8")
    monkeypatch.setenv("WEGWIJS_LOCALES_DIR", str(locales))
    result = wegwijs("locales", "check")
    assert result.exit_code == 1
    assert f"problem(s) in the catalogs in {locales}" in result.output
