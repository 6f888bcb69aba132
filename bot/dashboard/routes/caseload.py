"""The caseload (the start page) and making a new case."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.core.cases import create_case
from bot.core.dates import Figures
from bot.core.text import LABEL_MAX
from bot.dashboard.context import CsrfForm, CurrentUser, Dash, redirect, text_field
from bot.dashboard.record import record_view
from bot.dashboard.refusals import NotFound
from bot.dashboard.routes.text import cleaned
from bot.dashboard.sheet import CaseRow, caseload_rows, flag_choices
from storage import CaseloadRepository, CaseRepository, UserRepository

router = APIRouter()

SORTS = (
    "attention",
    "name",
    "language",
    "progress",
    "flags",
    "appointment",
    "pip",
    "requests",
    "activity",
)


def _attention(row: CaseRow) -> tuple:
    """Who needs what first: open requests, then appointments whose answer needs a
    look, then the next appointment, then the longest quiet."""
    appointment = row.next_appointment
    worrying = appointment is not None and (
        appointment.response == "cannot_come" or appointment.interpreter_requested
    )
    far = datetime.max.replace(tzinfo=UTC)
    return (
        -row.open_requests,
        not worrying,
        appointment.starts_at if appointment is not None else far,
        row.name.lower(),
    )


def sort_rows(rows: list[CaseRow], sort: str, order: str) -> list[CaseRow]:
    far = datetime.max.replace(tzinfo=UTC)
    never = datetime.min.replace(tzinfo=UTC)
    keys: dict[str, Callable[[CaseRow], Any]] = {
        "attention": _attention,
        "name": lambda r: r.name.lower(),
        "language": lambda r: (r.case.language or "~", r.name.lower()),
        "progress": lambda r: (r.percent, r.name.lower()),
        "flags": lambda r: (len(r.flags), r.name.lower()),
        "appointment": lambda r: (
            r.next_appointment.starts_at if r.next_appointment is not None else far
        ),
        # No deadline (none known, or the PIP is decided) sorts after every deadline.
        "pip": lambda r: (
            r.record.pip_deadline is None or r.record.term_start is not None,
            r.record.pip_deadline or date.max,
            r.name.lower(),
        ),
        "requests": lambda r: (r.open_requests, r.name.lower()),
        "activity": lambda r: r.last_activity or never,
    }
    return sorted(rows, key=keys[sort], reverse=order == "desc")


@router.get("/")
async def caseload(request: Request, ctx: CurrentUser, dash: Dash) -> Response:
    if not (ctx.user.is_admin or ctx.user.is_consulent):
        return redirect("/teksten")  # a translator only: no caseload
    params = request.query_params
    sort = params.get("sort", "attention")
    sort = sort if sort in SORTS else "attention"
    order = "asc" if params.get("order") == "asc" else "desc"
    if sort in ("attention", "name", "language", "appointment", "pip") and "order" not in params:
        order = "asc"
    flag = params.get("flag", "")
    status = params.get("status", "open")
    status = status if status in ("open", "closed", "all") else "open"
    now = dash.clock()
    flow, renderer = dash.app.flow, dash.app.renderer
    async with dash.db.session(readonly=True) as session:
        mine = None if ctx.user.is_admin else ctx.user.username
        cases = await CaseRepository(session).list(consulent=mine)
        if status != "all":
            cases = [c for c in cases if (c.status == "closed") == (status == "closed")]
        ids = [c.id for c in cases]
        reads = CaseloadRepository(session)
        answers = await reads.current_answers(ids)
        seen = await reads.last_seen(ids)
        requests = await reads.open_request_counts(ids)
        upcoming = await dash.appointments.next_for_cases(session, ids, now)
        users = await UserRepository(session).list() if ctx.user.is_admin else []
    rows = caseload_rows(cases, answers, requests, seen, upcoming, flow, renderer)
    figures = Figures.of(dash.app.municipality)
    rows = [replace(row, record=record_view(row.case, figures, now)) for row in rows]
    counts = Counter(f.id for row in rows for f in row.flags)
    if flag:
        rows = [row for row in rows if any(f.id == flag for f in row.flags)]
    rows = sort_rows(rows, sort, order)
    return dash.page(
        request,
        "caseload.html",
        ctx,
        rows=rows,
        sort=sort,
        order=order,
        flag=flag,
        status=status,
        flags=flag_choices(flow, renderer),
        flag_counts=counts,
        users=users,
        appointments=dash.appointments,
        now=now,
    )


@router.post("/cases")
async def new_case(ctx: CurrentUser, form: CsrfForm, dash: Dash) -> Response:
    if not (ctx.user.is_admin or ctx.user.is_consulent):
        raise NotFound
    label = cleaned(form, "label", "De naam", LABEL_MAX)
    case = await create_case(
        dash.db,
        actor=ctx.user.username,
        now=dash.clock(),
        label=label,
        language=text_field(form, "language", 5),
        consulent=ctx.user.username,
    )
    return redirect(f"/cases/{case.id}/invite?m=created")
