"""`wegwijs locales check` (the shipped catalogs) and, from `locales_texts`, `status`,
`export` and `import` (the municipality's review of them)."""

from __future__ import annotations

import typer

from bot.cli import locales_texts
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


locales_app.command("status")(locales_texts.status)
locales_app.command("export")(locales_texts.export)
locales_app.command("import")(locales_texts.import_)
