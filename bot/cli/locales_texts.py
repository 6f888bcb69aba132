"""`wegwijs locales status|export|import`: the municipality's review of the texts, from
the server (the Teksten page does the same in the browser)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import fail, run_with_app
from bot.core.app import App
from bot.core.clock import utcnow
from bot.core.translations import STATUS_NAMES, TRANSLATED, Share
from bot.core.translations_files import ImportError_, Report, export_po, export_xlsx, import_file
from bot.core.translations_review import Texts


class Format(StrEnum):
    xlsx = "xlsx"
    po = "po"


def _texts(application: App) -> Texts:
    return Texts.of(application.db, application.settings.locales_dir)


def format_status(table: dict[str, list[Share]], *, parts: bool = True) -> str:
    """The status table, one line per language (and part): the share reviewed, the
    number corrected and changed since their review."""
    lines = [f"{'lang':5} {'part':40} {'texts':>5} {'reviewed':>9} {'corrected':>9} {'changed':>7}"]
    for lang, shares in table.items():
        for share in shares if parts else shares[:1]:
            percent = Share.percent(share.reviewed, share.total)
            lines.append(
                f"{lang:5} {share.part or '(all)':40.40} {share.total:>5} {percent:>8}% "
                f"{share.corrected:>9} {share.changed:>7}"
            )
    return "\n".join(lines)


def status(
    language: Annotated[str | None, typer.Option("--language", help="One language.")] = None,
    summary: Annotated[bool, typer.Option("--summary", help="Only the whole languages.")] = False,
) -> None:
    """Per language and part: the share of texts reviewed, corrected, changed since review."""
    languages = [language] if language else list(TRANSLATED)
    if any(lang not in TRANSLATED for lang in languages):
        raise fail(f"--language: choose one of {', '.join(TRANSLATED)}")

    async def work(application: App) -> dict[str, list[Share]]:
        return await _texts(application).status(languages)

    typer.echo(format_status(run_with_app(work), parts=not summary))


def export(
    language: Annotated[
        str | None, typer.Option("--language", help="ar, ti or nl (all with --corrections).")
    ] = None,
    format: Annotated[Format, typer.Option("--format", help="xlsx or po.")] = Format.xlsx,
    status: Annotated[
        str | None, typer.Option("--status", help="Only: concept, gecontroleerd, bron_gewijzigd.")
    ] = None,
    corrections: Annotated[
        bool, typer.Option("--corrections", help="Only the corrections, as .po for upstream.")
    ] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File or folder.")] = None,
) -> None:
    """Write the texts of a language for an interpreter (xlsx, or po for Poedit), or the
    corrections as .po files to bring back into the project's catalogs."""
    if status is not None and status not in STATUS_NAMES:
        raise fail(f"--status: choose one of {', '.join(STATUS_NAMES)}")
    if corrections and format is not Format.po:
        raise fail("--corrections writes .po files: add --format po")
    if language is not None and language not in TRANSLATED:
        raise fail(f"--language: choose one of {', '.join(TRANSLATED)}")
    if language is None and not corrections:
        raise fail("--language is needed (ar, ti or nl)")
    languages = [language] if language else list(TRANSLATED)

    async def work(application: App) -> dict[str, bytes]:
        texts = _texts(application)
        files = {}
        for lang in languages:
            rows = [r for r in await texts.rows(lang) if status is None or r.status == status]
            if corrections:
                files[lang] = export_po(rows, lang, corrections_only=True)
            else:
                files[lang] = (export_xlsx if format is Format.xlsx else export_po)(rows, lang)
        return files

    files = run_with_app(work)
    for lang, data in files.items():
        if corrections and language is None:
            folder = output or Path("corrections")
            target = folder / lang / "LC_MESSAGES" / "messages.po"
            target.parent.mkdir(parents=True, exist_ok=True)
        else:
            target = output or Path(
                f"wegwijs-{'corrections' if corrections else 'texts'}-{lang}.{format.value}"
            )
        target.write_bytes(data)
        typer.echo(f"Wrote {target}")


def import_(
    file: Annotated[Path, typer.Argument(help="An exported .xlsx or .po, filled in.")],
    actor: Annotated[
        str, typer.Option("--as", help="Whose review this is, for the audit log.")
    ] = "cli",
) -> None:
    """Apply a filled-in export with the Teksten page's checks; a report line by line."""
    if not file.is_file():
        raise fail(f"no such file: {file}")
    data = file.read_bytes()

    async def work(application: App) -> Report:
        return await import_file(
            _texts(application), data, file.name, actor=actor, languages=TRANSLATED, now=utcnow()
        )

    try:
        report = run_with_app(work)
    except ImportError_ as exc:
        raise fail(str(exc)) from None
    for line in report.lines:
        reasons = f": {' '.join(line.reasons)}" if line.reasons else ""
        typer.echo(f"{file.name}:{line.line}: {line.outcome}: “{line.text}”{reasons}")
    typer.echo(report.summary())
    if report.count("geweigerd"):
        raise typer.Exit(1)
