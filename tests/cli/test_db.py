"""`wegwijs db upgrade`: a new database is brought to head; a bad address is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import current_revision, head_revision
from tests.cli.helpers import wegwijs


def test_db_upgrade_brings_a_new_database_to_the_head_revision(db_path: Path) -> None:
    result = wegwijs("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert result.output == f"Database sqlite:///{db_path} is up to date.\n"
    assert current_revision(f"sqlite:///{db_path}") == head_revision()


def test_a_bad_database_url_is_one_clear_line(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://somewhere/wegwijs")
    result = wegwijs("db", "upgrade")
    assert result.exit_code == 2
    assert result.output.startswith("wegwijs: DATABASE_URL: ")
    assert len(result.output.splitlines()) == 1
