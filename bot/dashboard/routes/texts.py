"""Teksten: the municipality's translators review and correct every text a person can
see, per language, where it is seen; with a preview and the checks before saving."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from bot.core.translations import STATUS_NAMES, TRANSLATED, TextRow
from bot.core.translations_check import Verdict, plural_rule
from bot.core.translations_review import NotAllowed, Texts, UnknownText, languages_of
from bot.core.users import UserError, set_translator
from bot.dashboard.context import (
    AdminUser,
    CsrfForm,
    Ctx,
    CurrentUser,
    Dash,
    Dashboard,
    redirect,
)
from bot.dashboard.refusals import NotFound, Refused
from bot.dashboard.text_preview import previews
from flows.languages import LANGUAGES

router = APIRouter()
PAGE_LIMIT = 400  # rows on one page; the filters narrow further


def texts_of(dash: Dashboard) -> Texts:
    return dash.texts


async def translator(ctx: CurrentUser) -> Ctx:
    """A translator (of any language) or an admin; 403 for anyone else."""
    if not (ctx.user.is_admin or languages_of(ctx.user)):
        raise Refused(
            403,
            "De pagina Teksten is voor vertalers. Een beheerder kan u de rol vertaler geven.",
        )
    return ctx


Translator = Annotated[Ctx, Depends(translator)]


def allowed_language(ctx: Ctx, lang: str, *, change: bool) -> str:
    if lang not in TRANSLATED:
        raise NotFound
    if lang not in languages_of(ctx.user) and (change or not ctx.user.is_admin):
        name = LANGUAGES[lang].own_name
        raise Refused(403, f"U bent geen vertaler voor deze taal ({name}).")
    return lang


def _filtered(rows: list[TextRow], status: str, part: str, query: str) -> list[TextRow]:
    query = query.strip().lower()
    return [
        row
        for row in rows
        if (not status or row.status == status or (status == "aangepast" and row.corrected))
        and (not part or row.entry.part == part)
        and (
            not query
            or any(
                query in text.lower() for text in (*row.entry.english(), *row.dutch, *row.current)
            )
        )
    ]


@router.get("/teksten")
async def texts_start(ctx: Translator) -> Response:
    mine = languages_of(ctx.user)
    return redirect(f"/teksten/{mine[0] if mine else TRANSLATED[0]}")


@router.get("/teksten/{lang}")
async def texts_page(request: Request, lang: str, ctx: Translator, dash: Dash) -> Response:
    allowed_language(ctx, lang, change=False)
    params = request.query_params
    status = params.get("status", "")
    status = status if status in (*STATUS_NAMES, "aangepast") else ""
    part, query = params.get("part", "")[:100], params.get("q", "")[:200]
    texts = texts_of(dash)
    rows = await texts.rows(lang)
    status_table = (await texts.status([lang]))[lang]
    shown = _filtered(rows, status, part, query)
    return dash.page(
        request,
        "texts.html",
        ctx,
        lang=lang,
        mine=languages_of(ctx.user),
        rows=shown[:PAGE_LIMIT],
        more=len(shown) - PAGE_LIMIT,
        shares=status_table,
        parts=[s.part for s in status_table if s.part],
        status=status,
        part=part,
        query=query,
        statuses=STATUS_NAMES,
        may_change=lang in languages_of(ctx.user),
        back=_back(params),
    )


def _back(params: object) -> str:
    keep = {k: v for k, v in dict(params).items() if k in ("status", "part", "q") and v}  # type: ignore[call-overload]
    return f"?{urlencode(keep)}" if keep else ""


async def _edit_page(
    request: Request,
    ctx: Ctx,
    dash: Dashboard,
    lang: str,
    key: str,
    forms: list[str] | None = None,
    verdict: Verdict | None = None,
    code: int = 200,
) -> Response:
    texts = texts_of(dash)
    try:
        entry = texts.entry(key)
    except UnknownText:
        raise NotFound from None
    row = next(r for r in await texts.rows(lang) if r.entry.key == key)
    typed = forms if forms is not None else list(row.previous or row.current)
    count = plural_rule(lang)[0] if entry.plural else 1
    typed = (typed + [""] * count)[:count]
    shown = previews(dash.app.renderer, entry, lang, typed, dash.app.municipality.name)
    return dash.page(
        request,
        "text_edit.html",
        ctx,
        code=code,
        lang=lang,
        row=row,
        entry=entry,
        forms=typed,
        previews=shown,
        verdict=verdict,
        history=await texts.history(lang, key),
        statuses=STATUS_NAMES,
        back=_back(request.query_params),
    )


@router.get("/teksten/{lang}/{key}")
async def text_edit(request: Request, lang: str, key: str, ctx: Translator, dash: Dash) -> Response:
    allowed_language(ctx, lang, change=True)
    return await _edit_page(request, ctx, dash, lang, key)


def _forms(form: FormData) -> list[str]:
    return [str(form.get(f"form{i}") or "")[:5000] for i in range(6) if f"form{i}" in form]


@router.post("/teksten/{lang}/{key}")
async def text_save(
    request: Request, lang: str, key: str, ctx: Translator, form: CsrfForm, dash: Dash
) -> Response:
    allowed_language(ctx, lang, change=True)
    texts, typed = texts_of(dash), _forms(form)
    try:
        entry = texts.entry(key)
    except UnknownText:
        raise NotFound from None
    if form.get("action") == "preview":
        verdict = texts.check(entry, lang, typed)
        return await _edit_page(request, ctx, dash, lang, key, typed, verdict)
    try:
        verdict = await texts.correct(ctx.user, lang, key, typed, dash.clock())
    except NotAllowed:
        raise Refused(403, "U bent geen vertaler voor deze taal.") from None
    if not verdict.ok:
        return await _edit_page(request, ctx, dash, lang, key, typed, verdict, code=422)
    return redirect(f"/teksten/{lang}{_back(request.query_params) or '?'}&m=text#t-{key}")


@router.post("/teksten/{lang}/{key}/goedgekeurd")
async def text_approve(
    request: Request, lang: str, key: str, ctx: Translator, form: CsrfForm, dash: Dash
) -> Response:
    del form  # the CSRF check only
    allowed_language(ctx, lang, change=True)
    try:
        await texts_of(dash).approve(ctx.user, lang, key, dash.clock())
    except UnknownText:
        raise NotFound from None
    return redirect(f"/teksten/{lang}{_back(request.query_params) or '?'}&m=reviewed#t-{key}")


@router.post("/teksten/{lang}/{key}/terug")
async def text_revert(
    request: Request, lang: str, key: str, ctx: Translator, form: CsrfForm, dash: Dash
) -> Response:
    del form
    allowed_language(ctx, lang, change=True)
    await texts_of(dash).revert(ctx.user, lang, key, dash.clock())
    return redirect(f"/teksten/{lang}{_back(request.query_params) or '?'}&m=reverted#t-{key}")


@router.post("/users/{name}/vertaler")
async def user_translator(name: str, ctx: AdminUser, form: CsrfForm, dash: Dash) -> Response:
    """An admin gives a user the translator role for the ticked languages (none: ends it)."""
    chosen = ",".join(code for code in TRANSLATED if form.get(f"lang_{code}"))
    try:
        await set_translator(dash.db, name, chosen, actor=ctx.user.username, now=dash.clock())
    except UserError:
        raise NotFound from None
    return redirect("/users?m=translator")
