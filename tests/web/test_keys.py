"""`bot.web.keys`: the key that signs both web edges' cookies, from WEGWIJS_SECRET_KEY, or
kept beside a SQLite database so sessions survive a restart, or temporary."""

from __future__ import annotations

from pathlib import Path

from bot.web.keys import signing_key


def test_a_secret_key_gives_a_derived_key_the_same_every_time(tmp_path: Path) -> None:
    one = signing_key("s3cret", f"sqlite:///{tmp_path}/w.db")
    again = signing_key("s3cret", "postgresql+asyncpg://db/wegwijs")
    assert one.source == "WEGWIJS_SECRET_KEY" and one.key == again.key
    assert one.key != b"s3cret" and len(one.key) == 32
    assert not (tmp_path / "w.db.dashboard-key").exists()


def test_without_a_secret_a_sqlite_database_keeps_its_key_beside_it(tmp_path: Path) -> None:
    first = signing_key(None, f"sqlite:///{tmp_path}/w.db")
    second = signing_key(None, f"sqlite:///{tmp_path}/w.db")
    key_file = tmp_path / "w.db.dashboard-key"
    assert first.source == str(key_file) and first.key == second.key
    assert key_file.stat().st_mode & 0o077 == 0


def test_a_damaged_key_file_is_replaced(tmp_path: Path) -> None:
    key_file = tmp_path / "w.db.dashboard-key"
    key_file.write_text("not hex\n", encoding="ascii")
    key = signing_key(None, f"sqlite:///{tmp_path}/w.db")
    assert len(key.key) == 32 and key_file.read_text(encoding="ascii").strip() == key.key.hex()


def test_without_a_secret_or_a_file_the_key_is_temporary() -> None:
    one = signing_key(None, "postgresql+asyncpg://db/wegwijs")
    two = signing_key(None, "postgresql+asyncpg://db/wegwijs")
    assert one.source == two.source == "temporary" and one.key != two.key
