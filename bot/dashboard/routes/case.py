"""One case: the sheet, its print view, the export, the invitation (link and QR-code)."""

from __future__ import annotations

import io
import json

import segno
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from bot.core.cases import deep_link, export_case, new_invite
from bot.core.export import to_csv
from bot.core.invites import chat_link
from bot.dashboard.context import (
    CsrfForm,
    Ctx,
    CurrentUser,
    Dash,
    Dashboard,
    OwnedCase,
    redirect,
    text_field,
)
from bot.dashboard.record import GROUP_NAMES, record_view
from bot.dashboard.refusals import NotFound
from bot.dashboard.sheet import Sheet, build_sheet
from storage import (
    AnswerRepository,
    Appointment,
    Case,
    PersonRequestRepository,
    User,
    UserRepository,
)

router = APIRouter()


def qr_svg(link: str, *, scale: int = 6) -> str:
    return segno.make(link, error="m").svg_inline(
        scale=scale, border=3, dark="#000", light="#fff", title="QR-code van de uitnodiging"
    )


async def load_sheet(
    dash: Dashboard, ctx: Ctx, case: Case, view: str
) -> tuple[Sheet, list[Appointment], list[User]]:
    async with dash.db.session(readonly=True) as session:
        rows = await AnswerRepository(session).all(case.id)
        requests = await PersonRequestRepository(session).open_for_case(case.id)
        planned = await dash.appointments.for_case(session, case.id)
        users = await UserRepository(session).list() if ctx.user.is_admin else []
    await dash.audit(ctx.user.username, "case.view", case.id, view)
    return build_sheet(case, rows, requests, dash.app.flow, dash.app.renderer), planned, users


@router.get("/cases/{case_id}")
async def case_sheet(request: Request, ctx: CurrentUser, case: OwnedCase, dash: Dash) -> Response:
    sheet, planned, users = await load_sheet(dash, ctx, case, "sheet")
    now = dash.clock()
    return dash.page(
        request,
        "case.html",
        ctx,
        sheet=sheet,
        case=sheet.case,
        record=record_view(sheet.case, dash.app.municipality.deadlines, now, planned),
        groups=GROUP_NAMES,
        planned=planned,
        users=users,
        appointments=dash.appointments,
        now=now,
    )


@router.get("/cases/{case_id}/print")
async def case_print(request: Request, ctx: CurrentUser, case: OwnedCase, dash: Dash) -> Response:
    sheet, planned, _users = await load_sheet(dash, ctx, case, "print")
    now = dash.clock()
    return dash.page(
        request,
        "print.html",
        ctx,
        sheet=sheet,
        case=sheet.case,
        record=record_view(sheet.case, dash.app.municipality.deadlines, now, planned),
        planned=planned,
        appointments=dash.appointments,
        now=now,
    )


@router.post("/cases/{case_id}/export")
async def case_export(ctx: CurrentUser, form: CsrfForm, case: OwnedCase, dash: Dash) -> Response:
    """The CLI's export (`bot.core.cases.export_case`): answers, history, open requests
    and appointments; audited."""
    kind = "csv" if text_field(form, "format", 4) == "csv" else "json"
    _case, data = await export_case(
        dash.db,
        dash.app.flow,
        dash.app.renderer,
        case.id,
        actor=ctx.user.username,
        now=dash.clock(),
        detail=kind,
        deadlines=dash.app.municipality.deadlines,
    )
    name = f"wegwijs-{case.invite_code}.{kind}"
    if kind == "csv":
        body, media = to_csv(data), "text/csv; charset=utf-8"
    else:
        body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        media = "application/json; charset=utf-8"
    return Response(
        body.encode("utf-8"),
        media_type=media,
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("/cases/{case_id}/invite")
async def invite(request: Request, ctx: CurrentUser, case: OwnedCase, dash: Dash) -> Response:
    await dash.audit(ctx.user.username, "case.view", case.id, "invite")
    link = deep_link(dash.app.settings.telegram_bot_username, case.invite_code)
    web_link = chat_link(dash.app.settings.chat_url, case.invite_code)
    expired = case.invite_expires_at is not None and case.invite_expires_at <= dash.clock()
    return dash.page(
        request,
        "invite.html",
        ctx,
        case=case,
        link=link,
        qr=Markup(qr_svg(link)) if link else None,
        web_link=web_link,
        web_qr=Markup(qr_svg(web_link)) if web_link else None,
        expired=expired,
    )


@router.get("/cases/{case_id}/invite.svg")
async def invite_svg(ctx: CurrentUser, case: OwnedCase, dash: Dash) -> Response:
    link = deep_link(dash.app.settings.telegram_bot_username, case.invite_code)
    if link is None:
        raise NotFound
    await dash.audit(ctx.user.username, "case.view", case.id, "invite-qr")
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=10, border=4)
    return Response(
        buffer.getvalue(),
        media_type="image/svg+xml",
        headers={
            "content-disposition": f'attachment; filename="uitnodiging-{case.invite_code}.svg"'
        },
    )


@router.post("/cases/{case_id}/invite")
async def invite_again(ctx: CurrentUser, _form: CsrfForm, case: OwnedCase, dash: Dash) -> Response:
    await new_invite(dash.db, case.id, actor=ctx.user.username, now=dash.clock())
    return redirect(f"/cases/{case.id}/invite?m=invite")
