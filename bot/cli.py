"""The `wegwijs` command line. Every failure is a clear message and a non-zero exit,
never a traceback."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot.app import App, StartupError, build, prepare_database
from bot.channels.console import CHANNEL as CONSOLE
from bot.channels.console import Console
from bot.export import CaseNotFound, build_export, load_case, to_csv
from bot.municipality import MunicipalityError
from bot.settings import Settings
from flows.events import Event
from flows.languages import LANGUAGES
from storage import StorageUnavailable, safe_url, upgrade

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Wegwijs: prepare the brede intake, in the person's own language.",
)
case_app = typer.Typer(no_args_is_help=True, help="Cases and their invite codes.")
db_app = typer.Typer(no_args_is_help=True, help="The database schema.")
locales_app = typer.Typer(no_args_is_help=True, help="The translation catalogs.")
app.add_typer(case_app, name="case")
app.add_typer(db_app, name="db")
app.add_typer(locales_app, name="locales")

T = TypeVar("T")


class Format(StrEnum):
    json = "json"
    csv = "csv"


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"wegwijs: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def run_with_app(work: Callable[[App], Awaitable[T]]) -> T:
    """Build the app, prepare the database, run `work`, and turn known failures into
    one clear line."""

    async def main() -> T:
        application = build()
        try:
            await prepare_database(application, auto_upgrade=True)
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


@app.command()
def chat(
    lang: Annotated[str | None, typer.Option(help="Language: ar, ti, nl or en.")] = None,
    case: Annotated[str | None, typer.Option(help="Invite code of the case to continue.")] = None,
) -> None:
    """Talk to Wegwijs in this terminal: the same conversation as on Telegram."""
    check_lang(lang)
    logging.basicConfig(level=logging.WARNING)

    async def work(application: App) -> None:
        service = application.service
        if case is None:
            created = await service.create_case(language=lang)
            code = created.invite_code
            chat_id = secrets.randbits(62)
            typer.echo(f"A new practice case was made, with code {code}.")
            typer.echo(f"Continue it later with: wegwijs chat --case {code}")
        else:
            found = await service.console_chat_id(case)
            if found is None:
                raise fail(f"no case has the code {case!r}; make one with `wegwijs case create`")
            code, chat_id = case, found
        await service.attach(CONSOLE, chat_id, code, consume=False)
        first = Event.press(f"lang:{lang}") if lang else None
        await Console(service, chat_id, sys.stdin, sys.stdout).run(first)

    try:
        run_with_app(work)
    except KeyboardInterrupt:
        typer.echo("\n(stopped: your answers are saved)")


class Framework(StrEnum):
    aiogram = "aiogram"
    ptb = "ptb"


@app.command()
def run(
    framework: Annotated[Framework, typer.Option(help="Telegram library.")] = Framework.aiogram,
    webhook: Annotated[bool, typer.Option(help="Receive updates over HTTP, not polling.")] = False,
    host: Annotated[str, typer.Option(help="Webhook address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Webhook port.")] = 8080,
) -> None:
    """Run the Telegram bot (polling, or --webhook behind an HTTPS proxy)."""
    from bot.telegram.runner import serve

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "aiogram.event", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

    async def work(application: App) -> None:
        secret = application.settings.telegram_webhook_secret
        await serve(
            application,
            framework.value,
            webhook,
            host,
            port,
            secret.get_secret_value() if secret else None,
        )

    run_with_app(work)


@case_app.command("create")
def case_create(
    label: Annotated[
        str | None, typer.Option(help="Your own label for the case (optional).")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Language, if already known.")] = None,
) -> None:
    """Create a case and print its invite code (and link, when the bot's username is set)."""
    check_lang(lang)

    async def work(application: App) -> None:
        created = await application.service.create_case(label=label, language=lang)
        typer.echo(f"Invite code: {created.invite_code}")
        if created.invite_expires_at:
            typer.echo(f"Valid until: {created.invite_expires_at:%Y-%m-%d %H:%M} UTC")
        username = application.settings.telegram_bot_username
        if username:
            compact = created.invite_code.replace("-", "")
            typer.echo(f"Link: https://t.me/{username.lstrip('@')}?start={compact}")
        typer.echo(f"Try it in the terminal: wegwijs chat --case {created.invite_code}")

    run_with_app(work)


@case_app.command("list")
def case_list() -> None:
    """List the cases: code, language, consent, sent."""

    async def work(application: App) -> None:
        from storage import CaseRepository, PersonRequestRepository

        async with application.db.session(readonly=True) as session:
            cases = await CaseRepository(session).list()
            waiting = Counter(r.case_id for r in await PersonRequestRepository(session).open_all())
        if not cases:
            typer.echo("No cases yet: make one with `wegwijs case create`.")
        for item in cases:
            sent = "sent" if item.intake_submitted_at else "open"
            consent = "consent" if item.consent_version else "no consent"
            language = item.language or "--"
            asks = f"{waiting[item.id]} request(s) for a person" if waiting[item.id] else ""
            typer.echo(
                f"{item.invite_code}  {language}  {consent:10}  {sent}  {asks}  {item.label or ''}"
            )

    run_with_app(work)


@app.command()
def export(
    case: Annotated[str, typer.Argument(help="Invite code or case id.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="json or csv.")] = Format.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Print a case's answers with question ids, codes and Dutch labels."""

    async def work(application: App) -> str:
        try:
            found, rows, requests = await load_case(application.db, case)
        except CaseNotFound:
            raise fail(f"no case with code or id {case!r}") from None
        data = build_export(found, rows, application.flow, application.renderer, requests=requests)
        if format is Format.csv:
            return to_csv(data)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    text = run_with_app(work)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror}") from None
        typer.echo(f"Written to {output}")


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


@locales_app.command("check")
def locales_check() -> None:
    """Fail on an empty, fuzzy or wrong-script translation, or a placeholder mismatch."""
    from bot.locales_check import check_catalogs, format_problems

    settings = Settings()
    problems = check_catalogs(settings.locales_dir)
    if problems:
        typer.echo(format_problems(problems))
        raise fail(f"{len(problems)} problem(s) in the catalogs in {settings.locales_dir}", 1)
    typer.echo(f"Catalogs complete: {', '.join(LANGUAGES)}.")
