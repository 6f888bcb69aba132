"""`wegwijs user add|password|list`: the dashboard's users, consulenten and admins."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from bot.cli.common import fail, run_with_app
from bot.core.app import App
from bot.core.clock import utcnow
from bot.core.passwords import Passwords, generate_password
from bot.core.translations_review import parse_languages
from bot.core.users import (
    UserError,
    add_user,
    check_password,
    list_users,
    set_password,
    set_translator,
)
from storage import User

user_app = typer.Typer(no_args_is_help=True, help="Dashboard users: consulenten and admins.")

PasswordStdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from stdin.")
]


def _new_password(from_stdin: bool) -> tuple[str, bool]:
    """(password, generated): one line from stdin, or a random one to print once."""
    if not from_stdin:
        return generate_password(), True
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        check_password(password)
    except UserError as exc:
        raise fail(str(exc)) from None
    return password, False


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Username (a-z 0-9 . _ -), e.g. anna.devries")],
    admin: Annotated[bool, typer.Option("--admin", help="May see every case.")] = False,
    translator: Annotated[
        str | None,
        typer.Option(
            "--translator",
            metavar="LANGS",
            help="Reviews and corrects the texts of these languages (e.g. ar,ti); "
            "without --consulent no caseload.",
        ),
    ] = None,
    consulent: Annotated[
        bool, typer.Option("--consulent", help="With --translator: also a consulent.")
    ] = False,
    password_stdin: PasswordStdinOption = False,
) -> None:
    """Add a dashboard user; prints a random password once (unless --password-stdin)."""
    try:
        translates = parse_languages(translator) if translator is not None else ""
    except ValueError as exc:
        raise fail(f"--translator: {exc}") from None
    if translator is not None and not translates:
        raise fail("--translator needs at least one language, e.g. --translator ar,ti")
    password, generated = _new_password(password_stdin)
    is_consulent = consulent or not translates

    async def work(application: App) -> User:
        try:
            return await add_user(
                application.db, Passwords(), name, password, admin=admin,
                translates=translates, consulent=is_consulent, actor="cli", now=utcnow(),
            )  # fmt: skip
        except UserError as exc:
            raise fail(str(exc)) from None

    user = run_with_app(work)
    role = "admin" if admin else "consulent" if is_consulent else "translator"
    if role == "translator":
        typer.echo(f"Added translator {user.username} for {translates}.")
    else:
        also = f" (translator for {translates})" if translates else ""
        typer.echo(f"Added {role} {user.username}{also}.")
    if generated:
        typer.echo(f"Password (shown only now): {password}")


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="Username.")],
    password_stdin: PasswordStdinOption = False,
) -> None:
    """Give a user a new password (a random one, printed once); ends their sessions."""
    password, generated = _new_password(password_stdin)

    async def work(application: App) -> User:
        try:
            return await set_password(
                application.db, Passwords(), name, password, actor="cli", now=utcnow()
            )
        except UserError as exc:
            raise fail(str(exc)) from None

    user = run_with_app(work)
    typer.echo(f"New password set for {user.username}; their sessions have ended.")
    if generated:
        typer.echo(f"Password (shown only now): {password}")


@user_app.command("translator")
def user_translator(
    name: Annotated[str, typer.Argument(help="Username.")],
    languages: Annotated[str, typer.Argument(help='Languages, e.g. "ar,ti"; "" ends the role.')],
) -> None:
    """Make a user a translator for these languages (or no longer, with "")."""
    try:
        translates = parse_languages(languages)
    except ValueError as exc:
        raise fail(str(exc)) from None

    async def work(application: App) -> User:
        try:
            return await set_translator(application.db, name, translates, actor="cli", now=utcnow())
        except UserError as exc:
            raise fail(str(exc)) from None

    user = run_with_app(work)
    said = f"translator for {translates}" if translates else "no longer a translator"
    typer.echo(f"{user.username} is {said}.")


@user_app.command("list")
def user_list() -> None:
    """The dashboard users: name, role, last login."""

    async def work(application: App) -> list[User]:
        return await list_users(application.db)

    users = run_with_app(work)
    if not users:
        typer.echo(
            "No users yet: the dashboard makes an admin at its first start, or use "
            "`wegwijs user add NAME --admin`."
        )
    for user in users:
        role = "admin" if user.is_admin else "consulent" if user.is_consulent else "translator"
        if user.translates:
            role += f" +{user.translates}"
        seen = f"{user.last_login_at:%Y-%m-%d %H:%M} UTC" if user.last_login_at else "never"
        typer.echo(f"{user.username:24} {role:10} last login {seen}")
