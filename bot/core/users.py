"""Dashboard users, once for the dashboard and the CLI: add, new password, list; the
first admin at the first start. Passwords are hashed here (argon2id, off the event loop).
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.core.passwords import MIN_PASSWORD, Passwords
from storage import AuditRepository, Database, DuplicateUser, User, UserRepository
from storage import normalize_username as canonical_username

__all__ = [
    "UserError",
    "add_user",
    "canonical_username",
    "check_password",
    "create_first_admin",
    "list_users",
    "set_password",
    "set_translator",
]


class UserError(ValueError):
    """A user that cannot be made or changed; the message says why (in English, for the
    CLI; the dashboard has no user forms)."""


def check_password(password: str) -> None:
    """`UserError` for a chosen password shorter than `MIN_PASSWORD`."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password needs at least {MIN_PASSWORD} characters")


async def add_user(
    db: Database,
    passwords: Passwords,
    name: str,
    password: str,
    *,
    admin: bool = False,
    translates: str = "",
    consulent: bool = True,
    actor: str,
    now: datetime,
) -> User:
    """Add a consulent (or admin), a translator for the languages in `translates`
    ("ar,ti"; `consulent` False: no caseload); audited as `user.create`. `UserError` for
    a bad name or one that is taken."""
    username = canonical_username(name)
    if username is None:
        raise UserError(f"{name!r} is not a valid username: 2-64 characters a-z 0-9 . _ -")
    hashed = await asyncio.to_thread(passwords.hash, password)
    try:
        async with db.session() as session, session.begin():
            users = UserRepository(session)
            if await users.by_username(username) is not None:
                raise UserError(f"there is already a user {username!r}")
            user = await users.create(username, hashed, is_admin=admin, now=now)
            user.translates, user.is_consulent = translates or None, consulent or admin
            session.add(user)
            role = "admin" if admin else "consulent" if consulent else "vertaler"
            await AuditRepository(session).record(
                actor=actor,
                action="user.create",
                target=username,
                at=now,
                detail=f"{role} vertaler:{translates}" if translates else role,
            )
            return user
    except DuplicateUser:
        raise UserError(f"there is already a user {username!r}") from None


async def create_first_admin(
    db: Database, passwords: Passwords, name: str, password: str, *, now: datetime
) -> bool:
    """The first admin, only while there are no users at all; False when there were
    (also when another process made one at the same moment)."""
    async with db.session(readonly=True) as session:
        if await UserRepository(session).count() > 0:
            return False
    hashed = await asyncio.to_thread(passwords.hash, password)
    try:
        async with db.session() as session, session.begin():
            users = UserRepository(session)
            if await users.count() > 0:
                return False
            await users.create(name, hashed, is_admin=True, now=now)
            await AuditRepository(session).record(
                actor="system", action="user.create", target=name, at=now, detail="admin"
            )
    except DuplicateUser:
        return False
    return True


async def set_password(
    db: Database, passwords: Passwords, name: str, password: str, *, actor: str, now: datetime
) -> User:
    """A new password; ends the user's sessions and lifts a login lock. Audited as
    `user.password`. `UserError` when there is no such user."""
    hashed = await asyncio.to_thread(passwords.hash, password)
    async with db.session() as session, session.begin():
        users = UserRepository(session)
        user = await users.by_username(name)
        if user is None:
            raise UserError(f"no user {name!r}")
        await users.set_password(user, hashed)
        await AuditRepository(session).record(
            actor=actor, action="user.password", target=user.username, at=now
        )
        return user


async def set_translator(
    db: Database, name: str, translates: str, *, actor: str, now: datetime
) -> User:
    """Give a user the translator role for these languages ("" takes it away); audited
    as `user.translator`. `UserError` when there is no such user."""
    async with db.session() as session, session.begin():
        user = await UserRepository(session).by_username(name)
        if user is None:
            raise UserError(f"no user {name!r}")
        user.translates = translates or None
        session.add(user)
        await AuditRepository(session).record(
            actor=actor,
            action="user.translator",
            target=user.username,
            at=now,
            detail=translates or "-",
        )
        return user


async def list_users(db: Database) -> list[User]:
    """Every dashboard user, by name."""
    async with db.session(readonly=True) as session:
        return await UserRepository(session).list()
