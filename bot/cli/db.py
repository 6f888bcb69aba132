"""`wegwijs db upgrade|backup|restore`: the database schema, backups that restore."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import fail
from bot.settings import Settings
from storage import safe_url, upgrade
from storage.backup import BackupError, RestoreRefused, backup, restore

db_app = typer.Typer(no_args_is_help=True, help="The database schema, backups.")


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


BackupFile = Annotated[Path, typer.Argument(help="The backup file.", dir_okay=False)]


@db_app.command("backup")
def db_backup(file: BackupFile) -> None:
    """Back up the whole database to FILE, while Wegwijs runs (SQLite: the online backup
    API; PostgreSQL: pg_dump's custom format). Encrypted answers in it need
    WEGWIJS_SECRET_KEY (and the old keys) to be read."""
    settings = Settings()
    try:
        backup(settings.database_url, file)
    except (BackupError, OSError) as exc:
        raise fail(f"backup failed: {exc}") from None
    typer.echo(f"Backed up {safe_url(settings.database_url)} to {file}.")


@db_app.command("restore")
def db_restore(
    file: BackupFile,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that has cases.")
    ] = False,
) -> None:
    """Replace the database with the backup in FILE. Stop Wegwijs first; refuses a
    database that has cases unless --force."""
    settings = Settings()
    try:
        restore(settings.database_url, file, force=force)
    except RestoreRefused as exc:
        raise fail(str(exc)) from None
    except (BackupError, OSError) as exc:
        raise fail(f"restore failed: {exc}") from None
    typer.echo(
        f"Restored {file} into {safe_url(settings.database_url)}. Start Wegwijs with the same "
        "WEGWIJS_SECRET_KEY (and WEGWIJS_OLD_SECRET_KEYS) as when the backup was made."
    )
