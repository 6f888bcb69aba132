"""The shared use cases on dashboard users (`bot.core.users`), as the dashboard and the CLI
call them: added once, a new password ends their sessions, the first admin made only
when there is no user."""

from __future__ import annotations

import pytest

from bot.core.users import UserError, add_user, create_first_admin, list_users, set_password
from storage import Database, UserRepository
from tests.core.helpers import NOW, PASSWORDS, audit


async def test_users_are_added_once_and_a_new_password_ends_their_sessions(
    db: Database,
) -> None:
    added = await add_user(db, PASSWORDS, "anna", "long enough pw", actor="cli", now=NOW)
    with pytest.raises(UserError, match="already"):
        await add_user(db, PASSWORDS, "Anna", "long enough pw", actor="cli", now=NOW)
    with pytest.raises(UserError, match="not a valid username"):
        await add_user(db, PASSWORDS, "a b", "long enough pw", actor="cli", now=NOW)
    changed = await set_password(db, PASSWORDS, "anna", "another long one", actor="cli", now=NOW)
    assert changed.session_epoch == added.session_epoch + 1
    assert PASSWORDS.verify(changed.password_hash, "another long one")
    with pytest.raises(UserError, match="no user"):
        await set_password(db, PASSWORDS, "bram", "another long one", actor="cli", now=NOW)
    assert [u.username for u in await list_users(db)] == ["anna"]
    assert [(a, act, t) for a, act, t, _ in await audit(db)] == [
        ("cli", "user.create", "anna"),
        ("cli", "user.password", "anna"),
    ]


async def test_the_first_admin_is_made_only_when_there_is_no_user(db: Database) -> None:
    assert await create_first_admin(db, PASSWORDS, "admin", "long enough pw", now=NOW)
    assert not await create_first_admin(db, PASSWORDS, "admin", "long enough pw", now=NOW)
    async with db.session() as session:
        assert await UserRepository(session).count() == 1
