"""`wegwijs keys new|rotate`: the keys of the encrypted free text."""

from __future__ import annotations

import secrets

import typer

from bot.cli.common import fail, run_with_app
from bot.core.app import App

keys_app = typer.Typer(no_args_is_help=True, help="The keys of the encrypted free text.")


@keys_app.command("new")
def keys_new() -> None:
    """Print a fresh random secret key for WEGWIJS_SECRET_KEY."""
    typer.echo(secrets.token_urlsafe(32))
    typer.echo(
        "Put it in WEGWIJS_SECRET_KEY (in .env or the environment) and keep a copy in a safe "
        "place: without it the encrypted answers cannot be read.",
        err=True,
    )


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Encrypt all free text with WEGWIJS_SECRET_KEY: plaintext from before a key was set,
    and text under a key in WEGWIJS_OLD_SECRET_KEYS."""
    from storage.keys import KeyProblem, rotate

    async def work(application: App) -> None:
        try:
            done = await rotate(application.db)
        except KeyProblem as exc:
            raise fail(str(exc)) from None
        typer.echo(
            f"Encrypted {done.encrypted} plaintext value(s), re-encrypted {done.rotated} "
            f"from an old key; {done.unchanged} already used the current key."
        )
        if application.settings.old_secret_keys:
            typer.echo("The old keys are no longer needed: remove WEGWIJS_OLD_SECRET_KEYS.")

    run_with_app(work)
