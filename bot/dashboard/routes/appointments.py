"""Appointments of a case: plan, change, cancel, mark done or missed — all through
`bot.core.appointments.AppointmentService`, which also schedules the messages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from bot.core.answers import current_values
from bot.core.appointments import AppointmentError, AppointmentPlan
from bot.dashboard.appointments import (
    ERRORS,
    INTERPRETER_LANGUAGES,
    MODE_NAMES,
    kind_name,
    parse_moment,
)
from bot.dashboard.context import (
    CsrfForm,
    Ctx,
    CurrentUser,
    Dash,
    Dashboard,
    DbId,
    OwnedCase,
    redirect,
)
from bot.dashboard.refusals import NotFound
from bot.dashboard.sheet import language_name
from bot.municipality import APPOINTMENT_KINDS
from storage import AnswerRepository, Appointment, AppointmentRepository, Case

router = APIRouter()

FIELDS = (
    "kind",
    "day",
    "start",
    "end",
    "mode",
    "place",
    "with_role",
    "with_name",
    "interpreter_lang",
    "notes",
)
# Free text, cleaned and limited by the service (an error, never cut silently).
FREE_TEXT = ("place", "with_name", "notes")


async def owned_appointment(appointment_id: DbId, case: OwnedCase, dash: Dash) -> Appointment:
    """An appointment of a case this user may see; 404 otherwise."""
    async with dash.db.session(readonly=True) as session:
        found = await AppointmentRepository(session).get(appointment_id)
    if found is None or found.case_id != case.id:
        raise NotFound
    return found


OwnedAppointment = Annotated[Appointment, Depends(owned_appointment)]


async def show(
    dash: Dashboard,
    request: Request,
    ctx: Ctx,
    case: Case,
    *,
    editing: Appointment | None = None,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    view = dash.appointments
    async with dash.db.session(readonly=True) as session:
        planned = await view.for_case(session, case.id)
        answers = current_values(await AnswerRepository(session).current(case.id))
    wanted = answers.get("language.interpreter_language")
    default_lang = wanted.codes[0] if wanted and wanted.codes else ""
    if values is None:
        values = view.form_values(editing, default_lang, dash.clock())
    return dash.page(
        request,
        "appointments.html",
        ctx,
        code=status,
        case=case,
        planned=planned,
        editing=editing,
        values=values,
        error=error,
        view=view,
        kinds=[(k, kind_name(k)) for k in APPOINTMENT_KINDS],
        modes=list(MODE_NAMES.items()),
        roles=list(view.roles.items()),
        interpreter_languages=[(c, language_name(c)) for c in INTERPRETER_LANGUAGES],
        now=dash.clock(),
    )


def plan_of(form: FormData) -> tuple[AppointmentPlan | None, dict[str, str], str | None]:
    values = {}
    for name in FIELDS:
        value = form.get(name)
        text = value.strip() if isinstance(value, str) else ""
        values[name] = text if name in FREE_TEXT else text[:200]
    starts = parse_moment(values["day"], values["start"])
    if starts is None:
        return None, values, ERRORS["bad_time"]
    ends = None
    if values["end"]:
        ends = parse_moment(values["day"], values["end"])
        if ends is None:
            return None, values, ERRORS["bad_time"]
    lang = values["interpreter_lang"]
    plan = AppointmentPlan(
        kind=values["kind"],
        starts_at=starts,
        ends_at=ends,
        mode=values["mode"] or "in_person",
        place=values["place"] or None,
        with_role=values["with_role"] or "consulent",
        with_name=values["with_name"] or None,
        interpreter_lang=lang if lang in INTERPRETER_LANGUAGES else None,
        notes=values["notes"] or None,
    )
    return plan, values, None


@router.get("/cases/{case_id}/appointments")
async def appointments_page(
    request: Request, ctx: CurrentUser, case: OwnedCase, dash: Dash
) -> Response:
    await dash.audit(ctx.user.username, "case.view", case.id, "appointments")
    return await show(dash, request, ctx, case)


@router.post("/cases/{case_id}/appointments")
async def plan(
    request: Request, ctx: CurrentUser, form: CsrfForm, case: OwnedCase, dash: Dash
) -> Response:
    made, values, error = plan_of(form)
    if made is not None:
        try:
            await dash.app.appointments.plan(case.id, made, by=ctx.user.username)
        except AppointmentError as exc:
            error = ERRORS.get(exc.code, "De afspraak kon niet worden gepland.")
        else:
            return redirect(f"/cases/{case.id}/appointments?m=planned")
    return await show(dash, request, ctx, case, values=values, error=error, status=400)


@router.get("/cases/{case_id}/appointments/{appointment_id}")
async def edit(
    request: Request, ctx: CurrentUser, case: OwnedCase, found: OwnedAppointment, dash: Dash
) -> Response:
    await dash.audit(ctx.user.username, "case.view", case.id, f"appointment {found.id}")
    return await show(dash, request, ctx, case, editing=found)


@router.post("/cases/{case_id}/appointments/{appointment_id}")
async def change(
    request: Request,
    ctx: CurrentUser,
    form: CsrfForm,
    case: OwnedCase,
    found: OwnedAppointment,
    dash: Dash,
) -> Response:
    made, values, error = plan_of(form)
    if made is not None:
        assert found.id is not None
        try:
            await dash.app.appointments.change(found.id, made, by=ctx.user.username)
        except AppointmentError as exc:
            error = ERRORS.get(exc.code, "De afspraak kon niet worden gewijzigd.")
        else:
            return redirect(f"/cases/{case.id}/appointments?m=changed")
    return await show(
        dash, request, ctx, case, editing=found, values=values, error=error, status=400
    )


async def act(
    dash: Dashboard,
    request: Request,
    ctx: Ctx,
    form: FormData,
    case: Case,
    found: Appointment,
    action: str,
) -> Response:
    assert found.id is not None
    service = dash.app.appointments
    raw = form.get("outcome")
    outcome = (
        (raw.strip()[:10] if isinstance(raw, str) else "") if action == "mark" else "cancelled"
    )
    try:
        if action == "cancel":
            await service.cancel(found.id, by=ctx.user.username)
        else:
            await service.mark(found.id, outcome, by=ctx.user.username)
    except AppointmentError as exc:
        return await show(
            dash, request, ctx, case, error=ERRORS.get(exc.code, "Dat kon niet."), status=400
        )
    return redirect(f"/cases/{case.id}/appointments?m={outcome}")


@router.post("/cases/{case_id}/appointments/{appointment_id}/cancel")
async def cancel(
    request: Request,
    ctx: CurrentUser,
    form: CsrfForm,
    case: OwnedCase,
    found: OwnedAppointment,
    dash: Dash,
) -> Response:
    return await act(dash, request, ctx, form, case, found, "cancel")


@router.post("/cases/{case_id}/appointments/{appointment_id}/mark")
async def mark(
    request: Request,
    ctx: CurrentUser,
    form: CsrfForm,
    case: OwnedCase,
    found: OwnedAppointment,
    dash: Dash,
) -> Response:
    return await act(dash, request, ctx, form, case, found, "mark")
