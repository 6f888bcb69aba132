"""What every command group shares: one clear line instead of a traceback, the app
built and disposed around a command's work, the options several groups take."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from bot.core.app import App, StartupError, build, prepare_database
from bot.core.translations_live import refresh
from bot.municipality import MunicipalityError
from flows.languages import LANGUAGES
from storage import StorageUnavailable

T = TypeVar("T")

CaseArgument = Annotated[str, typer.Argument(help="Invite code or case id.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print `wegwijs: message` in red on stderr; the caller raises what is returned."""
    typer.secho(f"wegwijs: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def run_with_app(work: Callable[[App], Awaitable[T]]) -> T:
    """Build the app, prepare the database, run `work`, and turn known failures into
    one clear line."""

    async def main() -> T:
        application = build()
        try:
            await prepare_database(application, auto_upgrade=True)
            await refresh(application.db, application.renderer)  # the texts' corrections
            return await work(application)
        finally:
            await application.db.dispose()

    try:
        return asyncio.run(main())
    except (MunicipalityError, StartupError, StorageUnavailable) as exc:
        raise fail(str(exc)) from None


def check_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise fail(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")


def log_for_services() -> None:
    """INFO for the long-running commands, without the per-request noise of libraries."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "aiogram.event", "aiohttp.access", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
