"""`wegwijs keys new|rotate` and `wegwijs case close|purge`: each works, and every
mistake is one clear line, never a traceback."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from storage import AnswerRepository, CaseRepository, Database

KEY = "first-key-for-the-cli-test-0123456789"
NEW = "second-key-for-the-cli-test-987654321"
runner = CliRunner()


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    path = tmp_path / "wegwijs.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    for name in ("WEGWIJS_SECRET_KEY", "WEGWIJS_OLD_SECRET_KEYS", "WEGWIJS_MUNICIPALITY"):
        monkeypatch.delenv(name, raising=False)
    return path


def wegwijs(*args: str, **env: str):
    result = runner.invoke(app, list(args), env=env or None)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def stored_texts(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("select free_text from answer")]


def new_case() -> str:
    result = wegwijs("case", "create")
    assert result.exit_code == 0, result.output
    found = re.search(r"Invite code: (\S+)", result.output)
    assert found
    return found.group(1)


def answer_plain(path: Path, code: str, text: str) -> None:
    async def work() -> None:
        db = Database(f"sqlite:///{path}")
        try:
            async with db.session() as s, s.begin():
                case = await CaseRepository(s).by_code(code)
                assert case is not None
                at = datetime(2026, 11, 1, tzinfo=UTC)
                await AnswerRepository(s).record(case.id, "goals.year", free_text=text, at=at)
        finally:
            await db.dispose()

    asyncio.run(work())


def test_keys_new_prints_a_long_random_key(db_path: Path) -> None:
    first, second = wegwijs("keys", "new"), wegwijs("keys", "new")
    assert first.exit_code == 0
    key = first.stdout.strip().splitlines()[0]
    assert len(key) >= 32 and key != second.stdout.strip().splitlines()[0]


def test_keys_rotate_encrypts_old_plaintext_then_moves_to_a_new_key(db_path: Path) -> None:
    code = new_case()
    answer_plain(db_path, code, "ik wil kok worden")
    assert stored_texts(db_path) == ["ik wil kok worden"]

    result = wegwijs("keys", "rotate", WEGWIJS_SECRET_KEY=KEY)
    assert result.exit_code == 0 and "Encrypted 1 plaintext value(s)" in result.output
    assert stored_texts(db_path)[0].startswith("fernet:")

    # The old key alone can no longer be used once only the new one is set: a clear line.
    refused = wegwijs("case", "list", WEGWIJS_SECRET_KEY=NEW)
    assert refused.exit_code == 2 and "WEGWIJS_OLD_SECRET_KEYS" in refused.output

    result = wegwijs("keys", "rotate", WEGWIJS_SECRET_KEY=NEW, WEGWIJS_OLD_SECRET_KEYS=KEY)
    assert result.exit_code == 0 and "re-encrypted 1 from an old key" in result.output
    assert "remove WEGWIJS_OLD_SECRET_KEYS" in result.output
    exported = wegwijs("export", code, WEGWIJS_SECRET_KEY=NEW)
    assert exported.exit_code == 0 and "ik wil kok worden" in exported.stdout


def test_key_mistakes_are_one_clear_line(db_path: Path) -> None:
    new_case()
    no_key = wegwijs("keys", "rotate")
    assert no_key.exit_code == 2 and "no key to rotate to" in no_key.output
    short = wegwijs("case", "list", WEGWIJS_SECRET_KEY="short")
    assert short.exit_code == 2 and "at least 16 characters" in short.output
    only_old = wegwijs("case", "list", WEGWIJS_OLD_SECRET_KEYS=KEY)
    assert only_old.exit_code == 2 and "but WEGWIJS_SECRET_KEY is not" in only_old.output
    assert KEY not in only_old.output


def test_case_close_and_purge(db_path: Path) -> None:
    code = new_case()
    closed = wegwijs("case", "close", code)
    assert closed.exit_code == 0, closed.output
    assert f"Case {code} closed on" in closed.output and "after 12 month(s)" in closed.output
    again = wegwijs("case", "close", code.replace("-", "").lower())
    assert again.exit_code == 0 and "was already closed" in again.output
    with sqlite3.connect(db_path) as connection:
        closes = connection.execute(
            "select actor, action from audit_log where action = 'case.close'"
        ).fetchall()
    assert closes == [("cli", "case.close")]  # once: closing again changes nothing
    unknown = wegwijs("case", "close", "ABCD-EFGH")
    assert unknown.exit_code == 2 and "no case with code or id 'ABCD-EFGH'" in unknown.output
    # Closed just now: within the retention period, so the purge keeps it.
    purged = wegwijs("case", "purge")
    assert purged.exit_code == 0 and "Erased 0 case(s) closed before" in purged.output
    assert code in wegwijs("case", "list").output


def test_export_holds_the_appointments_with_notes_decrypted(db_path: Path) -> None:
    import json
    from datetime import timedelta

    from storage import Appointment
    from storage.crypto import KeyRing

    code = new_case()

    async def plan() -> None:
        db = Database(f"sqlite:///{db_path}", key_ring=KeyRing(KEY))
        try:
            async with db.session() as s, s.begin():
                case = await CaseRepository(s).by_code(code)
                assert case is not None
                at = datetime(2027, 1, 11, 9, tzinfo=UTC)
                s.add(
                    Appointment(
                        case_id=case.id,
                        kind="pip",
                        starts_at=at,
                        ends_at=at + timedelta(hours=1),
                        notes="route B1 bespreken",
                        response="coming",
                        created_at=at,
                        updated_at=at,
                    )
                )
        finally:
            await db.dispose()

    asyncio.run(plan())
    exported = wegwijs("export", code, WEGWIJS_SECRET_KEY=KEY)
    assert exported.exit_code == 0, exported.output
    [appointment] = json.loads(exported.stdout)["appointments"]
    assert appointment["kind"] == "pip" and appointment["response"] == "coming"
    assert appointment["notes"] == "route B1 bespreken"
    with sqlite3.connect(db_path) as connection:
        [(stored,)] = connection.execute("select notes from appointment").fetchall()
    assert stored.startswith("fernet:") and "B1" not in stored
