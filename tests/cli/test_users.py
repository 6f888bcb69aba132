"""`wegwijs user add|list|password`: dashboard users made, listed and given a new
password from the command line, each audited."""

from __future__ import annotations

import re
from pathlib import Path

from storage import AuditRepository, Session, UserRepository
from tests.cli.helpers import read, wegwijs


def test_user_add_prints_a_random_password_once_and_list_shows_the_user(
    db_path: Path,
) -> None:
    added = wegwijs("user", "add", "Anna.deVries")
    assert added.exit_code == 0, added.output
    password = re.search(r"Password \(shown only now\): (\S+)", added.output).group(1)  # type: ignore[union-attr]
    assert len(password) >= 16
    admin = wegwijs(
        "user", "add", "beheer", "--admin", "--password-stdin", stdin="long enough pw\n"
    )
    assert admin.exit_code == 0 and "Password" not in admin.output
    listed = wegwijs("user", "list")
    assert re.search(r"anna\.devries\s+consulent\s+last login never", listed.output)
    assert re.search(r"beheer\s+admin", listed.output)

    async def check(session: Session):  # type: ignore[no-untyped-def]
        user = await UserRepository(session).by_username("anna.devries")
        entries = await AuditRepository(session).list()
        return user, entries

    user, entries = read(db_path, check)
    assert user.password_hash.startswith("$argon2id$") and password not in user.password_hash
    assert {(e.actor, e.action, e.target) for e in entries} == {
        ("cli", "user.create", "anna.devries"),
        ("cli", "user.create", "beheer"),
    }


def test_user_add_refuses_a_duplicate_a_bad_name_and_a_short_password(db_path: Path) -> None:
    assert wegwijs("user", "add", "anna").exit_code == 0
    again = wegwijs("user", "add", "ANNA")
    assert again.exit_code == 2 and "already a user 'anna'" in again.output
    assert "not a valid username" in wegwijs("user", "add", "a b").output
    short = wegwijs("user", "add", "bram", "--password-stdin", stdin="short\n")
    assert short.exit_code == 2 and "at least 10" in short.output


def test_user_password_sets_a_new_one_and_ends_sessions(db_path: Path) -> None:
    assert wegwijs("user", "add", "anna").exit_code == 0
    changed = wegwijs("user", "password", "anna")
    assert changed.exit_code == 0 and "their sessions have ended" in changed.output
    user = read(db_path, lambda s: UserRepository(s).by_username("anna"))
    assert user.session_epoch == 1
    assert wegwijs("user", "password", "nobody").exit_code == 2
