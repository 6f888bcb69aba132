"""The `wegwijs` command line (console script ``bot.cli:app``), put together from one
module per command group. Every failure is a clear message and a non-zero exit, never
a traceback (``bot.cli.common``).

The CLI composes: it calls the application (``bot.core``) and starts the edges; it
opens no transaction of its own, so a use case here is the same one the dashboard runs.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Annotated

import typer

from bot.cli import appointments, cases, chat, db, keys, locales, municipality, run, users

__all__ = ["app"]

# In the order `wegwijs --help` lists them: the commands, then the groups.
COMMANDS = (
    ("chat", chat.chat),
    ("run", run.run),
    ("worker", run.worker),
    ("export", cases.export),
    ("dashboard", run.dashboard),
)
# Old names kept for a release, hidden from `--help`; using one says so on stderr.
ALIASES = (("review", run.dashboard),)
GROUPS = (
    ("case", cases.case_app),
    ("db", db.db_app),
    ("locales", locales.locales_app),
    ("keys", keys.keys_app),
    ("appointment", appointments.appointment_app),
    ("user", users.user_app),
    ("municipality", municipality.municipality_app),
)


def _version(shown: bool) -> None:
    if shown:
        typer.echo(f"wegwijs {version('wegwijs')}")
        raise typer.Exit()


def _assemble() -> typer.Typer:
    whole = typer.Typer(
        no_args_is_help=True,
        add_completion=False,
        help="Wegwijs: prepare the brede intake, in the person's own language.",
    )

    @whole.callback()
    def _options(
        _: Annotated[
            bool,
            typer.Option(
                "--version", callback=_version, is_eager=True, help="Print the version and stop."
            ),
        ] = False,
    ) -> None:
        """Wegwijs: prepare the brede intake, in the person's own language."""

    for name, command in COMMANDS:
        whole.command(name)(command)
    for name, command in ALIASES:
        whole.command(name, hidden=True, deprecated=True)(command)
    for name, group in GROUPS:
        whole.add_typer(group, name=name)
    return whole


app = _assemble()
