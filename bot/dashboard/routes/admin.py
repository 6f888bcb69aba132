"""For admins: the audit log and the list of users."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.dashboard.context import INT64_MAX, AdminUser, Dash
from bot.dashboard.refusals import NotFound
from storage import AuditRepository, CaseRepository, UserRepository

router = APIRouter()

PAGE_SIZE = 100
# The last page whose offset the database can still hold.
LAST_PAGE = INT64_MAX // PAGE_SIZE


def page_number(raw: str | None) -> int:
    """`?page=`: not a number → the first page; beyond any offset the database can
    hold → 404 (never SQL's overflow)."""
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    if number > LAST_PAGE:
        raise NotFound
    return max(1, number)


@router.get("/audit")
async def audit_log(request: Request, ctx: AdminUser, dash: Dash) -> Response:
    params = request.query_params
    number = page_number(params.get("page"))
    actor = params.get("actor") or None
    action = params.get("action") or None
    target = params.get("target") or None
    async with dash.db.session(readonly=True) as session:
        entries = await AuditRepository(session).list(
            actor=actor,
            action=action,
            target=target,
            limit=PAGE_SIZE + 1,
            offset=(number - 1) * PAGE_SIZE,
        )
    await dash.audit(ctx.user.username, "audit.view")
    return dash.page(
        request,
        "audit.html",
        ctx,
        entries=entries[:PAGE_SIZE],
        more=len(entries) > PAGE_SIZE,
        number=number,
        actor=actor or "",
        action=action or "",
        target=target or "",
    )


@router.get("/users")
async def users(request: Request, ctx: AdminUser, dash: Dash) -> Response:
    async with dash.db.session(readonly=True) as session:
        everyone = await UserRepository(session).list()
        cases = await CaseRepository(session).list()
    load = Counter(c.consulent for c in cases if c.status != "closed")
    return dash.page(request, "users.html", ctx, users=everyone, load=load)
