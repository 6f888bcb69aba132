"""What a consulent does to a case: name it, hand it over (admin), close it, unbind its
web chat browsers, erase it, mark a person's request handled. Each through
`bot.core.cases`, as the CLI does."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.core.cases import (
    CaseNotFound,
    UnknownUser,
    assign_case,
    close_case,
    erase_case,
    label_case,
    unbind_browsers,
)
from bot.core.record import InvalidRecord, parse_day, set_case_record
from bot.core.text import LABEL_MAX
from bot.dashboard.context import (
    AdminUser,
    CsrfForm,
    CurrentUser,
    Dash,
    DbId,
    OwnedCase,
    redirect,
    text_field,
)
from bot.dashboard.record import refusal
from bot.dashboard.refusals import NotFound, Refused
from bot.dashboard.routes.text import cleaned
from storage import AuditRepository, PersonRequestRepository, normalize_invite_code

router = APIRouter()


@router.post("/cases/{case_id}/label")
async def set_label(ctx: CurrentUser, form: CsrfForm, case: OwnedCase, dash: Dash) -> Response:
    label = cleaned(form, "label", "De naam", LABEL_MAX)
    try:
        await label_case(dash.db, case.id, label, actor=ctx.user.username, now=dash.clock())
    except CaseNotFound:
        raise NotFound from None
    return redirect(f"/cases/{case.id}?m=label")


@router.post("/cases/{case_id}/record")
async def set_record(ctx: CurrentUser, form: CsrfForm, case: OwnedCase, dash: Dash) -> Response:
    """The case record: target group, BRP registration date, the day the PIP was decided.
    An empty field clears it; a date the law cannot have is refused with nothing saved."""
    try:
        await set_case_record(
            dash.db,
            case.id,
            target_group=text_field(form, "target_group", 20) or None,
            registered_on=parse_day("registered", text_field(form, "registered_on", 20)),
            pip_decided_on=parse_day("pip", text_field(form, "pip_decided_on", 20)),
            actor=ctx.user.username,
            now=dash.clock(),
        )
    except InvalidRecord as error:
        raise Refused(400, refusal(error)) from None
    except CaseNotFound:
        raise NotFound from None
    return redirect(f"/cases/{case.id}?m=record")


@router.post("/cases/{case_id}/assign")
async def assign(ctx: AdminUser, form: CsrfForm, case: OwnedCase, dash: Dash) -> Response:
    name = text_field(form, "consulent", 64)
    try:
        await assign_case(dash.db, case.id, name, actor=ctx.user.username, now=dash.clock())
    except UnknownUser:
        raise Refused(400, "Die gebruiker bestaat niet.") from None
    except CaseNotFound:
        raise NotFound from None
    return redirect(f"/cases/{case.id}?m=assigned")


@router.post("/cases/{case_id}/close")
async def close(ctx: CurrentUser, _form: CsrfForm, case: OwnedCase, dash: Dash) -> Response:
    try:
        await close_case(dash.db, case.id, actor=ctx.user.username, now=dash.clock())
    except CaseNotFound:
        raise NotFound from None
    return redirect(f"/cases/{case.id}?m=closed")


@router.post("/cases/{case_id}/unbind")
async def unbind(ctx: CurrentUser, _form: CsrfForm, case: OwnedCase, dash: Dash) -> Response:
    """Every browser bound to the web chat of the case is refused from now on (a lost
    phone, a shared computer); the conversation and answers stay."""
    try:
        await unbind_browsers(dash.db, case.id, actor=ctx.user.username, now=dash.clock())
    except CaseNotFound:
        raise NotFound from None
    return redirect(f"/cases/{case.id}?m=unbound")


@router.get("/cases/{case_id}/erase")
async def erase_form(request: Request, ctx: CurrentUser, case: OwnedCase, dash: Dash) -> Response:
    # It shows the label and the invite code: a view like any other.
    await dash.audit(ctx.user.username, "case.view", case.id, "erase")
    return dash.page(request, "erase.html", ctx, case=case, error=None)


@router.post("/cases/{case_id}/erase")
async def erase(
    request: Request, ctx: CurrentUser, form: CsrfForm, case: OwnedCase, dash: Dash
) -> Response:
    """Erase with everything of it, audited as `/delete` is: no case id, counts only."""
    if normalize_invite_code(text_field(form, "confirm", 20)) != case.invite_code:
        return dash.page(
            request,
            "erase.html",
            ctx,
            code=400,
            case=case,
            error="De code klopt niet. Er is niets gewist.",
        )
    await erase_case(dash.db, case.id, actor=ctx.user.username, now=dash.clock())
    return redirect("/?m=erased")


@router.post("/cases/{case_id}/requests/{request_id}")
async def handle_request(
    ctx: CurrentUser, _form: CsrfForm, case: OwnedCase, request_id: DbId, dash: Dash
) -> Response:
    now = dash.clock()
    async with dash.db.session() as session, session.begin():
        requests = PersonRequestRepository(session)
        if request_id not in {r.id for r in await requests.open_for_case(case.id)}:
            raise NotFound
        await requests.mark_handled(request_id, ctx.user.username, now)
        await AuditRepository(session).record(
            actor=ctx.user.username,
            action="request.handled",
            target=case.id,
            at=now,
            detail=f"request {request_id}",
        )
    return redirect(f"/cases/{case.id}?m=handled")
