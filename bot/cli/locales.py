"""`wegwijs locales check`: the translation catalogs."""

from __future__ import annotations

import typer

from bot.cli.common import fail
from bot.settings import Settings
from flows.languages import LANGUAGES

locales_app = typer.Typer(no_args_is_help=True, help="The translation catalogs.")


@locales_app.command("check")
def locales_check() -> None:
    """Fail on an empty, fuzzy or wrong-script translation, or a placeholder mismatch."""
    from bot.catalogs.check import check_catalogs, format_problems

    settings = Settings()
    problems = check_catalogs(settings.locales_dir)
    if problems:
        typer.echo(format_problems(problems))
        raise fail(f"{len(problems)} problem(s) in the catalogs in {settings.locales_dir}", 1)
    typer.echo(f"Catalogs complete: {', '.join(LANGUAGES)}.")
