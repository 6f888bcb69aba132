"""`wegwijs case create|record|list|close|purge` and `wegwijs export`: a case from its invite
to its erasure."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import CaseArgument, check_lang, fail, run_with_app
from bot.cli.record import case_record
from bot.core.app import App
from bot.core.caseload import CaseLine, caseload
from bot.core.cases import CaseNotFound, close_case, create_case, deep_link, export_case, get_case
from bot.core.clock import utcnow
from bot.core.dates import Figures, dates_for, pip_flag
from bot.core.export import to_csv
from bot.core.invites import chat_link
from bot.core.record import InvalidRecord, parse_day
from bot.core.text import TextTooLong
from storage import Case

case_app = typer.Typer(no_args_is_help=True, help="Cases and their invite codes.")


class Group(StrEnum):
    statushouder = "statushouder"
    nareiziger = "nareiziger"
    gezinsmigrant = "gezinsmigrant"


class Format(StrEnum):
    json = "json"
    csv = "csv"


@case_app.command("create")
def case_create(
    label: Annotated[
        str | None, typer.Option(help="Your own label for the case (optional).")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Language, if already known.")] = None,
    registered: Annotated[
        str | None,
        typer.Option(
            help="Date of registration in the BRP, YYYY-MM-DD: the PIP is due 10 weeks later."
        ),
    ] = None,
    group: Annotated[
        Group | None, typer.Option(help="Target group under the Wet inburgering 2021.")
    ] = None,
) -> None:
    """Create a case and print its invite code (and link, when the bot's username is set)."""
    check_lang(lang)
    try:
        registered_on = parse_day("--registered", registered)
    except InvalidRecord as exc:
        raise fail(str(exc)) from None

    async def work(application: App) -> None:
        now = utcnow()
        try:
            created = await create_case(
                application.db,
                actor="cli",
                now=now,
                label=label,
                language=lang,
                target_group=group.value if group else None,
                registered_on=registered_on,
            )
        except InvalidRecord as exc:
            raise fail(str(exc).replace("registered:", "--registered:", 1)) from None
        except TextTooLong as exc:
            raise fail(str(exc)) from None
        typer.echo(f"Invite code: {created.invite_code}")
        if created.invite_expires_at:
            typer.echo(f"Valid until: {created.invite_expires_at:%Y-%m-%d %H:%M} UTC")
        link = deep_link(application.settings.telegram_bot_username, created.invite_code)
        if link:
            typer.echo(f"Link: {link}")
        web_link = chat_link(application.settings.chat_url, created.invite_code)
        if web_link:
            typer.echo(f"Web chat: {web_link}")
        deadline = dates_for(created, Figures.of(application.municipality)).pip_deadline
        if deadline:
            typer.echo(f"PIP due by: {deadline} (registered {created.registered_on})")
        typer.echo(f"Try it in the terminal: wegwijs chat --case {created.invite_code}")

    run_with_app(work)


case_app.command("record")(case_record)


@case_app.command("list")
def case_list() -> None:
    """List the cases: code, language, consent, sent, the PIP deadline."""

    async def work(application: App) -> tuple[list[CaseLine], list[str]]:
        lines, now = await caseload(application.db), utcnow()
        return lines, [_pip(line.case, application, now) for line in lines]

    lines, pips = run_with_app(work)
    if not lines:
        typer.echo("No cases yet: make one with `wegwijs case create`.")
    for line, pip in zip(lines, pips, strict=True):
        item = line.case
        sent = "sent" if item.intake_submitted_at else "open"
        consent = "consent" if item.consent_version else "no consent"
        language = item.language or "--"
        asks = f"{line.open_requests} request(s) for a person" if line.open_requests else ""
        typer.echo(
            f"{item.invite_code}  {language}  {consent:10}  {sent}  {pip:24}  {asks}  "
            f"{item.label or ''}"
        )


def _pip(case: Case, application: App, now: datetime) -> str:
    """The PIP column: its deadline (flagged when near or past), decided, or unknown."""
    figures = Figures.of(application.municipality)
    dates = dates_for(case, figures)
    if case.pip_decided_on is not None:
        return f"PIP decided {case.pip_decided_on}"
    if dates.pip_deadline is None:
        return "PIP --"
    flag = {"past": " OVERDUE", "near": " soon"}.get(pip_flag(case, figures, now) or "", "")
    return f"PIP by {dates.pip_deadline}{flag}"


@case_app.command("close")
def case_close(case: CaseArgument) -> None:
    """Close a case when the inburgering ends: its data is erased after the retention period."""
    from bot.core.retention import months_before

    async def work(application: App) -> None:
        try:
            found = await get_case(application.db, case)
        except CaseNotFound:
            raise fail(f"no case with code or id {case!r}") from None
        closed = await close_case(application.db, found.id, actor="cli", now=utcnow())
        was_closed, closed_at = closed.was_closed, closed.closed_at
        months = application.municipality.privacy.retention_months
        erase_on = months_before(closed_at, -months).date()
        said = "was already closed" if was_closed else "closed"
        typer.echo(f"Case {found.invite_code} {said} on {closed_at:%Y-%m-%d}.")
        typer.echo(f"Its data will be erased after {months} month(s): from {erase_on} on.")

    run_with_app(work)


@case_app.command("purge")
def case_purge() -> None:
    """Erase every case closed longer ago than the retention period (the worker does this
    by itself; this runs it once)."""
    from bot.core.retention import months_before, purge_expired

    async def work(application: App) -> None:
        now = utcnow()
        erased = await purge_expired(application.db, application.municipality, now)
        cutoff = months_before(now, application.municipality.privacy.retention_months)
        typer.echo(f"Erased {erased} case(s) closed before {cutoff:%Y-%m-%d %H:%M} UTC.")

    run_with_app(work)


def export(
    case: CaseArgument,
    format: Annotated[Format, typer.Option("--format", "-f", help="json or csv.")] = Format.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Print a case's answers with question ids, codes and Dutch labels."""

    async def work(application: App) -> str:
        try:
            _, data = await export_case(
                application.db,
                application.flow,
                application.renderer,
                case,
                actor="cli",
                now=utcnow(),
                detail=format.value,
                figures=Figures.of(application.municipality),
            )
        except CaseNotFound:
            raise fail(f"no case with code or id {case!r}") from None
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
