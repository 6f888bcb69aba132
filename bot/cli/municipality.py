"""`wegwijs municipality check [FILE]`: the municipality file, checked as start-up
checks it — every field, and the roles' own texts against the file's routing of topics —
without starting anything."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import fail
from bot.municipality import MunicipalityError, load_municipality
from bot.settings import Settings
from flows.roles import shown_roles

municipality_app = typer.Typer(no_args_is_help=True, help="The municipality file.")


@municipality_app.command("check")
def municipality_check(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="The file to check; default: WEGWIJS_MUNICIPALITY.", show_default=False
        ),
    ] = None,
) -> None:
    """Check the file as start-up does: exit code 1 and one line per problem, naming the
    file, the field (the role) and what is wrong."""
    path = file or Settings().municipality_file
    try:
        municipality = load_municipality(path)
    except MunicipalityError as exc:
        typer.echo(str(exc))
        problems = len(str(exc).splitlines())
        raise fail(f"{path}: {problems} problem(s); Wegwijs would not start with it", 1) from None
    shown = [
        card.code for card in shown_roles(municipality.role_cards(), municipality.routing(), None)
    ]
    typer.echo(
        f"{path}: fine. {municipality.name}: {len(municipality.roles)} roles; "
        f"the explainer shows {', '.join(shown) or 'no roles'}."
    )
