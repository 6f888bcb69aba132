"""`wegwijs user add|password|list`: the dashboard's users, consulenten and admins."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from bot.cli.common import fail, run_with_app
from bot.core.app import App

user_app = typer.Typer(no_args_is_help=True, help="Dashboard users: consulenten and admins.")
MIN_PASSWORD = 10

PasswordStdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from stdin.")
]


def _new_password(from_stdin: bool) -> tuple[str, bool]:
    """(password, generated): one line from stdin, or a random one to print once."""
    if not from_stdin:
        from bot.dashboard.security import generate_password

        return generate_password(), True
    password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise fail(f"the password needs at least {MIN_PASSWORD} characters")
    return password, False


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Username (a-z 0-9 . _ -), e.g. anna.devries")],
    admin: Annotated[bool, typer.Option("--admin", help="May see every case.")] = False,
    password_stdin: PasswordStdinOption = False,
) -> None:
    """Add a dashboard user; prints a random password once (unless --password-stdin)."""
    from bot.dashboard.security import Passwords
    from storage import AuditRepository, UserRepository, normalize_username

    username = normalize_username(name)
    if username is None:
        raise fail(f"{name!r} is not a valid username: 2-64 characters a-z 0-9 . _ -")
    password, generated = _new_password(password_stdin)

    async def work(application: App) -> None:
        from bot.core.clock import utcnow

        hashed = await asyncio.to_thread(Passwords().hash, password)
        async with application.db.session() as session, session.begin():
            users = UserRepository(session)
            if await users.by_username(username) is not None:
                raise fail(f"there is already a user {username!r}")
            now = utcnow()
            await users.create(username, hashed, is_admin=admin, now=now)
            await AuditRepository(session).record(
                actor="cli",
                action="user.create",
                target=username,
                at=now,
                detail="admin" if admin else "consulent",
            )

    run_with_app(work)
    typer.echo(f"Added {'admin' if admin else 'consulent'} {username}.")
    if generated:
        typer.echo(f"Password (shown only now): {password}")


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="Username.")],
    password_stdin: PasswordStdinOption = False,
) -> None:
    """Give a user a new password (a random one, printed once); ends their sessions."""
    from bot.dashboard.security import Passwords
    from storage import AuditRepository, UserRepository

    password, generated = _new_password(password_stdin)

    async def work(application: App) -> str:
        from bot.core.clock import utcnow

        hashed = await asyncio.to_thread(Passwords().hash, password)
        async with application.db.session() as session, session.begin():
            users = UserRepository(session)
            user = await users.by_username(name)
            if user is None:
                raise fail(f"no user {name!r}")
            await users.set_password(user, hashed)
            await AuditRepository(session).record(
                actor="cli", action="user.password", target=user.username, at=utcnow()
            )
            return user.username

    username = run_with_app(work)
    typer.echo(f"New password set for {username}; their sessions have ended.")
    if generated:
        typer.echo(f"Password (shown only now): {password}")


@user_app.command("list")
def user_list() -> None:
    """The dashboard users: name, role, last login."""
    from storage import UserRepository

    async def work(application: App) -> list:
        async with application.db.session(readonly=True) as session:
            return await UserRepository(session).list()

    users = run_with_app(work)
    if not users:
        typer.echo(
            "No users yet: the dashboard makes an admin at its first start, or use "
            "`wegwijs user add NAME --admin`."
        )
    for user in users:
        role = "admin" if user.is_admin else "consulent"
        seen = f"{user.last_login_at:%Y-%m-%d %H:%M} UTC" if user.last_login_at else "never"
        typer.echo(f"{user.username:24} {role:10} last login {seen}")
