"""`wegwijs case create|list|close|purge` and `wegwijs export`: a case from its invite
to its erasure."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import CaseArgument, check_lang, fail, run_with_app
from bot.core.app import App
from bot.core.caseload import CaseLine, caseload
from bot.core.export import CaseNotFound, build_export, load_appointments, load_case, to_csv

case_app = typer.Typer(no_args_is_help=True, help="Cases and their invite codes.")


class Format(StrEnum):
    json = "json"
    csv = "csv"


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

    async def work(application: App) -> list[CaseLine]:
        return await caseload(application.db)

    lines = run_with_app(work)
    if not lines:
        typer.echo("No cases yet: make one with `wegwijs case create`.")
    for line in lines:
        item = line.case
        sent = "sent" if item.intake_submitted_at else "open"
        consent = "consent" if item.consent_version else "no consent"
        language = item.language or "--"
        asks = f"{line.open_requests} request(s) for a person" if line.open_requests else ""
        typer.echo(
            f"{item.invite_code}  {language}  {consent:10}  {sent}  {asks}  {item.label or ''}"
        )


@case_app.command("close")
def case_close(case: CaseArgument) -> None:
    """Close a case when the inburgering ends: its data is erased after the retention period."""
    from bot.core.clock import utcnow
    from bot.core.retention import months_before
    from storage import AuditRepository, CaseRepository

    async def work(application: App) -> None:
        now = utcnow()
        async with application.db.session() as session, session.begin():
            cases = CaseRepository(session)
            found = await cases.by_code(case) or await cases.get(case.strip())
            if found is None:
                raise fail(f"no case with code or id {case!r}")
            was_closed = found.status == "closed" and found.closed_at is not None
            await cases.close(found, now)
            closed_at = found.closed_at or now
            if not was_closed:
                await AuditRepository(session).record(
                    actor="cli", action="case.close", target=found.id, at=now
                )
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
    from bot.core.clock import utcnow
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
            found, rows, requests = await load_case(application.db, case)
        except CaseNotFound:
            raise fail(f"no case with code or id {case!r}") from None
        appointments = await load_appointments(application.db, found.id)
        data = build_export(
            found,
            rows,
            application.flow,
            application.renderer,
            requests=requests,
            appointments=appointments,
        )
        from bot.core.clock import utcnow
        from storage import AuditRepository

        async with application.db.session() as session, session.begin():
            await AuditRepository(session).record(
                actor="cli",
                action="case.export",
                target=found.id,
                at=utcnow(),
                detail=format.value,
            )
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
