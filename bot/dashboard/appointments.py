"""Appointments on the dashboard, in Dutch: the names of kinds, modes, statuses and the
person's responses, the form's values and errors. The pages are in
`bot.dashboard.routes.appointments`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from bot.core.app import App
from flows.i18n import LOCAL_TZ
from flows.intake import LANGUAGE_OPTIONS
from storage import Appointment, AppointmentRepository, Session

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
    "too_long_place": "De plaats is te lang: hoogstens 200 tekens.",
    "too_long_name": "De naam is te lang: hoogstens 200 tekens.",
    "too_long_notes": "De notities zijn te lang: hoogstens 500 tekens.",
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
