"""`wegwijs db upgrade`: the database schema."""

from __future__ import annotations

import typer

from bot.cli.common import fail
from bot.settings import Settings
from storage import safe_url, upgrade

db_app = typer.Typer(no_args_is_help=True, help="The database schema.")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (run before starting workers on PostgreSQL)."""
    settings = Settings()
    try:
        upgrade(settings.database_url)
    except ValueError as exc:
        raise fail(f"DATABASE_URL: {exc}") from None
    except Exception as exc:
        raise fail(
            f"cannot upgrade {safe_url(settings.database_url)}: {type(exc).__name__}"
        ) from None
    typer.echo(f"Database {safe_url(settings.database_url)} is up to date.")
