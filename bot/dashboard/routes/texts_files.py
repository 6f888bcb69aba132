"""Teksten offline: download a language's texts (a spreadsheet, a po for Poedit, the
corrections for the project) and upload a filled-in one, with the page's checks and a
report line by line."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.core.translations_files import ImportError_, export_po, export_xlsx, import_file
from bot.core.translations_review import languages_of
from bot.dashboard.context import CSRF_FIELD, Dash
from bot.dashboard.refusals import Refused
from bot.dashboard.routes.texts import Translator, allowed_language
from bot.dashboard.security import same_token

router = APIRouter()

# The upload's own limit (the dashboard's forms stay at 64 KiB): a spreadsheet of every
# text of a language is some 100 KiB.
UPLOAD_MAX = 2 * 1024 * 1024
UPLOAD_PATH = "/bestand"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/teksten/{lang}/bestand")
async def files_page(request: Request, lang: str, ctx: Translator, dash: Dash) -> Response:
    allowed_language(ctx, lang, change=True)
    return dash.page(request, "text_files.html", ctx, lang=lang, report=None)


@router.get("/teksten/{lang}/export/{kind}")
async def export(lang: str, kind: str, ctx: Translator, dash: Dash) -> Response:
    allowed_language(ctx, lang, change=True)
    rows = await dash.texts.rows(lang)
    if kind == "xlsx":
        data, media, name = export_xlsx(rows, lang), XLSX, f"wegwijs-teksten-{lang}.xlsx"
    elif kind in ("po", "correcties"):
        data = export_po(rows, lang, corrections_only=kind == "correcties")
        media, name = "text/x-gettext-translation", f"wegwijs-{kind}-{lang}.po"
    else:
        raise Refused(404, "Dit soort bestand bestaat niet.")
    await dash.audit(ctx.user.username, "texts.export", lang, kind)
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/teksten/{lang}/bestand")
async def upload(request: Request, lang: str, ctx: Translator, dash: Dash) -> Response:
    allowed_language(ctx, lang, change=True)
    form = await request.form(max_fields=5, max_files=1)
    token = form.get(CSRF_FIELD)
    if not same_token(ctx.csrf, token if isinstance(token, str) else None):
        raise Refused(403, "Dit formulier is verlopen. Laad de pagina opnieuw.")
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return dash.page(
            request,
            "text_files.html",
            ctx,
            code=422,
            lang=lang,
            report=None,
            error="Kies eerst een bestand (.xlsx of .po).",
        )
    data = await upload.read()
    try:
        report = await import_file(
            dash.texts,
            data,
            upload.filename,
            actor=ctx.user.username,
            languages=[lang] if lang in languages_of(ctx.user) else [],
            now=dash.clock(),
        )
    except ImportError_ as exc:
        return dash.page(
            request, "text_files.html", ctx, code=422, lang=lang, report=None, error=str(exc)
        )
    await dash.audit(ctx.user.username, "texts.import", lang, report.summary())
    return dash.page(request, "text_files.html", ctx, lang=lang, report=report)
