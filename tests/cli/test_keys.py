"""`wegwijs keys new|rotate`: each works, and every mistake is one clear line, never a
traceback."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from storage import AnswerRepository, CaseRepository, Session
from tests.cli.helpers import new_case, read, wegwijs

KEY = "first-key-for-the-cli-test-0123456789"
NEW = "second-key-for-the-cli-test-987654321"


def stored_texts(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("select free_text from answer")]


def answer_plain(path: Path, code: str, text: str) -> None:
    async def work(s: Session) -> None:
        case = await CaseRepository(s).by_code(code)
        assert case is not None
        at = datetime(2026, 11, 1, tzinfo=UTC)
        await AnswerRepository(s).record(case.id, "goals.year", free_text=text, at=at)

    read(path, work)


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
