"""Appointments on the dashboard: plan, change, cancel, mark done or missed — all
through `bot.core.appointments.AppointmentService`, which also schedules the messages —
and the person's responses, in Dutch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from bot.core.answers import current_values
from bot.core.app import App
from bot.core.appointments import AppointmentError, AppointmentPlan
from bot.dashboard.errors import NotFound
from bot.dashboard.sheet import language_name
from bot.municipality import APPOINTMENT_KINDS
from flows.i18n import LOCAL_TZ
from flows.intake import LANGUAGE_OPTIONS
from storage import AnswerRepository, Appointment, AppointmentRepository, Session

KIND_NAMES = {
    "kennismaking": "Kennismaking",
    "brede_intake": "Brede intake",
    "leerbaarheidstoets": "Leerbaarheidstoets",
    "pip": "PIP-gesprek",
    "voortgangsgesprek": "Voortgangsgesprek",
    "map": "MAP",
    "pvt": "PVT",
    "eindgesprek": "Eindgesprek",
    "huisbezoek": "Huisbezoek maatschappelijke begeleiding",
    "other": "Andere afspraak",
}
MODE_NAMES = {"in_person": "Op locatie", "phone": "Telefonisch", "video": "Videogesprek"}
STATUS_NAMES = {
    "planned": "Gepland",
    "changed": "Gewijzigd",
    "cancelled": "Geannuleerd",
    "done": "Gehouden",
    "missed": "Niet gekomen",
}
REASON_NAMES = {
    "ill": "ziek",
    "work": "werk",
    "childcare": "geen opvang voor de kinderen",
    "other": "andere reden",
}
# The languages an interpreter can be booked for: the pre-intake's, without "other".
INTERPRETER_LANGUAGES = tuple(o.code for o in LANGUAGE_OPTIONS if o.code not in ("other", "nl"))

ERRORS = {
    "in_past": "Dit tijdstip is al voorbij. Kies een moment in de toekomst.",
    "too_far": "Dit tijdstip ligt meer dan twee jaar vooruit.",
    "end_before_start": "Het einde moet na het begin liggen.",
    "bad_time": "Vul een geldige datum en tijd in.",
    "bad_place": "Vul een plaats in, of laat het veld helemaal leeg.",
    "closed": "Deze afspraak is al geannuleerd of afgerond en kan niet meer veranderen.",
    "not_yet": "Deze afspraak is nog niet begonnen: markeer hem daarna.",
    "unknown_kind": "Kies een soort afspraak.",
    "unknown_role": "Kies met wie de afspraak is.",
    "bad_mode": "Kies hoe de afspraak plaatsvindt.",
}


def kind_name(code: str) -> str:
    return KIND_NAMES.get(code, code)


def response_text(appointment: Appointment) -> str:
    """What the person answered, in a few Dutch words."""
    parts = []
    if appointment.response == "coming":
        parts.append("Komt")
    elif appointment.response == "cannot_come":
        reason = REASON_NAMES.get(appointment.response_reason or "")
        parts.append(f"Kan niet komen ({reason})" if reason else "Kan niet komen")
    if appointment.interpreter_requested:
        parts.append("vraagt om een tolk")
    return ", ".join(parts) if parts else "Nog geen antwoord"


def response_class(appointment: Appointment) -> str:
    if appointment.response == "cannot_come" or appointment.interpreter_requested:
        return "warn"
    return "ok" if appointment.response == "coming" else "muted"


def parse_moment(day: str, clock_time: str) -> datetime | None:
    """A date and a time as typed in the form, in Amsterdam time."""
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock_time), LOCAL_TZ)
    except ValueError:
        return None


class AppointmentsView:
    def __init__(self, app: App) -> None:
        self.app = app
        self.roles = {code: role.title for code, role in app.municipality.roles.items()}

    # -- reading ------------------------------------------------------------------------

    async def next_for_cases(
        self, session: Session, case_ids: Sequence[str], now: datetime
    ) -> dict[str, Appointment]:
        return await AppointmentRepository(session).next_for_cases(case_ids, now)

    async def for_case(self, session: Session, case_id: str) -> list[Appointment]:
        return await AppointmentRepository(session).for_case(case_id)

    # Labels for the templates.
    kind_name = staticmethod(kind_name)
    response_text = staticmethod(response_text)
    response_class = staticmethod(response_class)

    def mode_name(self, code: str) -> str:
        return MODE_NAMES.get(code, code)

    def status_name(self, code: str) -> str:
        return STATUS_NAMES.get(code, code)

    def role_name(self, code: str) -> str:
        return self.roles.get(code, code)

    # -- the pages ----------------------------------------------------------------------

    def routes(
        self,
        web: FastAPI,
        *,
        context: Callable[[Request], Awaitable[Any]],
        form_of: Callable[[Request, Any], Awaitable[Any]],
        case_for: Callable[[Any, str], Awaitable[Any]],
        page: Callable[..., Response],
        audit: Callable[..., Awaitable[None]],
        clock: Callable[[], datetime],
    ) -> None:
        service = self.app.appointments
        db = self.app.db

        def text(form: Any, name: str, limit: int = 200) -> str:
            value = form.get(name)
            return value.strip()[:limit] if isinstance(value, str) else ""

        async def show(
            request: Request,
            ctx: Any,
            case: Any,
            *,
            editing: Appointment | None = None,
            values: dict[str, str] | None = None,
            error: str | None = None,
            status: int = 200,
        ) -> Response:
            async with db.session(readonly=True) as session:
                planned = await self.for_case(session, case.id)
                answers = current_values(await AnswerRepository(session).current(case.id))
            wanted = answers.get("language.interpreter_language")
            default_lang = wanted.codes[0] if wanted and wanted.codes else ""
            if values is None:
                values = self.form_values(editing, default_lang, clock())
            return page(
                request,
                "appointments.html",
                ctx,
                code=status,
                case=case,
                planned=planned,
                editing=editing,
                values=values,
                error=error,
                view=self,
                kinds=[(k, kind_name(k)) for k in APPOINTMENT_KINDS],
                modes=list(MODE_NAMES.items()),
                roles=list(self.roles.items()),
                interpreter_languages=[(c, language_name(c)) for c in INTERPRETER_LANGUAGES],
                now=clock(),
            )

        async def owned(case: Any, appointment_id: int) -> Appointment:
            async with db.session(readonly=True) as session:
                found = await AppointmentRepository(session).get(appointment_id)
            if found is None or found.case_id != case.id:
                raise NotFound
            return found

        def plan_of(form: Any) -> tuple[AppointmentPlan | None, dict[str, str], str | None]:
            values = {
                name: text(form, name, 500 if name == "notes" else 200)
                for name in (
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
            }
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

        @web.get("/cases/{case_id}/appointments")
        async def appointments_page(request: Request, case_id: str) -> Response:
            ctx = await context(request)
            case = await case_for(ctx, case_id)
            await audit(ctx.user.username, "case.view", case.id, "appointments")
            return await show(request, ctx, case)

        @web.post("/cases/{case_id}/appointments")
        async def plan(request: Request, case_id: str) -> Response:
            ctx = await context(request)
            form = await form_of(request, ctx)
            case = await case_for(ctx, case_id)
            made, values, error = plan_of(form)
            if made is not None:
                try:
                    appointment = await service.plan(case.id, made, by=ctx.user.username)
                except AppointmentError as exc:
                    error = ERRORS.get(exc.code, "De afspraak kon niet worden gepland.")
                else:
                    await audit(
                        ctx.user.username,
                        "appointment.plan",
                        case.id,
                        f"appointment {appointment.id}",
                    )
                    return RedirectResponse(
                        f"/cases/{case.id}/appointments?m=planned", status_code=303
                    )
            return await show(request, ctx, case, values=values, error=error, status=400)

        @web.get("/cases/{case_id}/appointments/{appointment_id}")
        async def edit(request: Request, case_id: str, appointment_id: int) -> Response:
            ctx = await context(request)
            case = await case_for(ctx, case_id)
            found = await owned(case, appointment_id)
            await audit(ctx.user.username, "case.view", case.id, f"appointment {found.id}")
            return await show(request, ctx, case, editing=found)

        @web.post("/cases/{case_id}/appointments/{appointment_id}")
        async def change(request: Request, case_id: str, appointment_id: int) -> Response:
            ctx = await context(request)
            form = await form_of(request, ctx)
            case = await case_for(ctx, case_id)
            found = await owned(case, appointment_id)
            made, values, error = plan_of(form)
            if made is not None:
                try:
                    await service.change(appointment_id, made, by=ctx.user.username)
                except AppointmentError as exc:
                    error = ERRORS.get(exc.code, "De afspraak kon niet worden gewijzigd.")
                else:
                    await audit(
                        ctx.user.username,
                        "appointment.change",
                        case.id,
                        f"appointment {appointment_id}",
                    )
                    return RedirectResponse(
                        f"/cases/{case.id}/appointments?m=changed", status_code=303
                    )
            return await show(
                request, ctx, case, editing=found, values=values, error=error, status=400
            )

        async def act(request: Request, case_id: str, appointment_id: int, action: str) -> Response:
            ctx = await context(request)
            form = await form_of(request, ctx)
            case = await case_for(ctx, case_id)
            await owned(case, appointment_id)
            outcome = text(form, "outcome", 10) if action == "mark" else "cancelled"
            try:
                if action == "cancel":
                    await service.cancel(appointment_id, by=ctx.user.username)
                else:
                    await service.mark(appointment_id, outcome, by=ctx.user.username)
            except AppointmentError as exc:
                return await show(
                    request,
                    ctx,
                    case,
                    error=ERRORS.get(exc.code, "Dat kon niet."),
                    status=400,
                )
            name = "appointment.cancel" if action == "cancel" else f"appointment.{outcome}"
            await audit(ctx.user.username, name, case.id, f"appointment {appointment_id}")
            return RedirectResponse(f"/cases/{case.id}/appointments?m={outcome}", status_code=303)

        @web.post("/cases/{case_id}/appointments/{appointment_id}/cancel")
        async def cancel(request: Request, case_id: str, appointment_id: int) -> Response:
            return await act(request, case_id, appointment_id, "cancel")

        @web.post("/cases/{case_id}/appointments/{appointment_id}/mark")
        async def mark(request: Request, case_id: str, appointment_id: int) -> Response:
            return await act(request, case_id, appointment_id, "mark")

    def form_values(
        self, appointment: Appointment | None, default_lang: str, now: datetime
    ) -> dict[str, str]:
        if appointment is None:
            tomorrow = (now.astimezone(LOCAL_TZ) + timedelta(days=1)).date()
            return {
                "kind": "brede_intake",
                "day": tomorrow.isoformat(),
                "start": "10:00",
                "end": "",
                "mode": "in_person",
                "place": "",
                "with_role": "consulent",
                "with_name": "",
                "interpreter_lang": default_lang,
                "notes": "",
            }
        start = appointment.starts_at.astimezone(LOCAL_TZ)
        end = appointment.ends_at.astimezone(LOCAL_TZ)
        return {
            "kind": appointment.kind,
            "day": start.date().isoformat(),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
            "mode": appointment.mode,
            "place": appointment.place or "",
            "with_role": appointment.with_role,
            "with_name": appointment.with_name or "",
            "interpreter_lang": appointment.interpreter_lang or "",
            "notes": appointment.notes or "",
        }
