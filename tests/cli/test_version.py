"""`wegwijs --version` prints the installed version, the one publiccode.yml and the
CHANGELOG name."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app

ROOT = Path(__file__).resolve().parents[2]


def test_version_prints_the_installed_version_and_the_changelog_has_it() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"wegwijs {version('wegwijs')}\n"
    assert f"## [{version('wegwijs')}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
