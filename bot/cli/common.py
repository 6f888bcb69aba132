"""What every command group shares: one clear line instead of a traceback, the app
built and disposed around a command's work, the options several groups take."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from bot.core.app import App, StartupError, build, prepare_database
from bot.core.logs import FORMATS, configure_logging
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


def log_for_services(level: int = logging.INFO) -> None:
    """INFO for the long-running commands, without the per-request noise of libraries;
    one JSON object a line with WEGWIJS_LOG_FORMAT=json."""
    fmt = os.environ.get("WEGWIJS_LOG_FORMAT", "").strip().lower() or _dotenv_log_format()
    if fmt not in FORMATS:
        raise fail(f"WEGWIJS_LOG_FORMAT={fmt!r}: choose one of {', '.join(FORMATS)}")
    configure_logging(fmt, level)


def _dotenv_log_format() -> str:
    """WEGWIJS_LOG_FORMAT from .env (as Settings reads the rest), else text."""
    from dotenv import dotenv_values

    return (dotenv_values(".env").get("WEGWIJS_LOG_FORMAT") or "text").strip().lower()
