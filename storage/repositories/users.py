"""Dashboard users (consulenten and admins) and their repository.

Only a password *hash* is stored (argon2, made by the caller: storage knows nothing of
hashing). ``session_epoch`` goes up at logout and at a password change; a session made
under an older epoch is refused, so a logout ends every session of that user.
Wrong passwords are counted per account and source in ``login_throttle``
(``LoginThrottleRepository``); the user row's ``failed_logins`` and ``locked_until``
are no longer read (a login still resets them).
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import User

__all__ = [
    "USERNAME_PATTERN",
    "DuplicateUser",
    "User",
    "UserRepository",
    "normalize_username",
]


class DuplicateUser(Exception):
    """The username is taken (found by the unique index, e.g. two processes at once)."""


# Lower case letters, digits, dot, dash, underscore: usernames go into Case.consulent,
# into the audit log and into URLs.
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


def normalize_username(name: str) -> str | None:
    """The canonical (lower-case, trimmed) username, or None if it cannot be one."""
    canonical = name.strip().lower()
    return canonical if USERNAME_PATTERN.fullmatch(canonical) else None


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(
        self, username: str, password_hash: str, *, is_admin: bool = False, now: datetime
    ) -> User:
        """Add a user; ``ValueError`` for a malformed name. The caller checks for a
        duplicate first (``by_username``); the unique index is the last word."""
        canonical = normalize_username(username)
        if canonical is None:
            raise ValueError(
                f"{username!r} is not a valid username: 2-64 characters a-z 0-9 . _ -, "
                "starting with a letter or digit"
            )
        user = User(
            username=canonical, password_hash=password_hash, is_admin=is_admin, created_at=now
        )
        self.session.add(user)
        try:
            await self.session.flush()
        except IntegrityError:
            raise DuplicateUser(canonical) from None
        return user

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def by_username(self, username: str) -> User | None:
        canonical = normalize_username(username)
        if canonical is None:
            return None
        result = await self.session.exec(select(User).where(User.username == canonical))
        return result.first()

    async def list(self) -> list[User]:
        result = await self.session.exec(select(User).order_by(col(User.username)))
        return list(result.all())

    async def count(self) -> int:
        result = await self.session.exec(select(func.count()).select_from(User))
        return int(result.one())

    async def login_succeeded(self, user: User, now: datetime) -> None:
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        self.session.add(user)

    async def login_failed(self, user: User, locked_until: datetime | None) -> None:
        user.failed_logins += 1
        user.locked_until = locked_until
        self.session.add(user)

    async def end_sessions(self, user: User) -> None:
        """Invalidate every session of the user (logout, password change)."""
        user.session_epoch += 1
        self.session.add(user)

    async def set_password(self, user: User, password_hash: str) -> None:
        user.password_hash = password_hash
        user.session_epoch += 1
        user.failed_logins = 0
        user.locked_until = None
        self.session.add(user)
