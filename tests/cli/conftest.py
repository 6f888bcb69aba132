"""The CLI's tests run `wegwijs` in-process (Typer's CliRunner) on a fresh SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """DATABASE_URL points at a new file in a working directory of its own (no .env of
    the developer's); no keys and the bundled municipality file."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "wegwijs.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    for name in ("WEGWIJS_SECRET_KEY", "WEGWIJS_OLD_SECRET_KEYS", "WEGWIJS_MUNICIPALITY"):
        monkeypatch.delenv(name, raising=False)
    return path
