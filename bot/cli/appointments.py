"""`wegwijs appointment add|change|cancel|done|missed|list`: appointments and their
reminders, through the core's `AppointmentService`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, TypeVar

import typer

from bot.cli.common import CaseArgument, fail, run_with_app
from bot.core.app import App
from bot.core.appointments import AppointmentError, AppointmentPlan, AppointmentService
from flows.appointments import KIND_CODES
from flows.i18n import LOCAL_TZ
from storage import Appointment

T = TypeVar("T")

appointment_app = typer.Typer(no_args_is_help=True, help="Appointments and their reminders.")

_KIND_HELP = "Kind: " + ", ".join(KIND_CODES) + "."
_WHEN_HELP = 'Local time in Europe/Amsterdam, "2026-12-14 10:00".'


def _local_time(value: str | None, what: str) -> datetime | None:
    """A time as a consulent writes it, read in Europe/Amsterdam (aware times also)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("T", " "))
    except ValueError:
        raise fail(f'{what}: not a date and time: {value!r} (write "2026-12-14 10:00")') from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment


def _appointment_work(
    call: Callable[[AppointmentService], Awaitable[T]],
) -> T:
    async def work(application: App) -> T:
        try:
            return await call(application.appointments)
        except AppointmentError as exc:
            raise fail(exc.message) from None

    return run_with_app(work)


def _plan(
    kind: str,
    start: str,
    end: str | None,
    mode: str,
    place: str | None,
    with_role: str,
    with_name: str | None,
    interpreter: str | None,
    notes: str | None,
) -> AppointmentPlan:
    starts_at = _local_time(start, "--start")
    assert starts_at is not None
    return AppointmentPlan(
        kind=kind,
        starts_at=starts_at,
        ends_at=_local_time(end, "--end"),
        mode=mode,
        place=place,
        with_role=with_role,
        with_name=with_name,
        interpreter_lang=interpreter,
        notes=notes,
    )


KindOption = Annotated[str, typer.Option("--kind", help=_KIND_HELP)]
StartOption = Annotated[str, typer.Option("--start", help=_WHEN_HELP)]
EndOption = Annotated[str | None, typer.Option("--end", help="End; default: the kind's length.")]
ModeOption = Annotated[str, typer.Option("--mode", help="in_person, phone or video.")]
PlaceOption = Annotated[
    str | None, typer.Option("--place", help="Address, or phone number / video link.")
]
RoleOption = Annotated[str, typer.Option("--with", help="Role code from the municipality file.")]
NameOption = Annotated[str | None, typer.Option("--name", help="Name of the person they meet.")]
InterpreterOption = Annotated[
    str | None, typer.Option("--interpreter", help="Language an interpreter is arranged for.")
]
NotesOption = Annotated[str | None, typer.Option("--notes", help="Your own notes (not sent).")]
NumberArgument = Annotated[int, typer.Argument(help="The appointment's number.")]
ListedNumberArgument = Annotated[int, typer.Argument(help="The appointment's number (see list).")]


def _show(item: Appointment) -> str:
    local = item.starts_at.astimezone(LOCAL_TZ)
    end = item.ends_at.astimezone(LOCAL_TZ)
    response = {"coming": "coming", "cannot_come": "cannot come"}.get(item.response or "", "--")
    if item.response_reason:
        response += f" ({item.response_reason})"
    if item.interpreter_requested:
        response += ", needs an interpreter"
    where = item.place or item.mode
    return (
        f"#{item.id}  {local:%Y-%m-%d %H:%M}-{end:%H:%M}  {item.kind:18}  {item.status:9}  "
        f"{response:28}  {where}"
    )


@appointment_app.command("add")
def appointment_add(
    case: CaseArgument,
    kind: KindOption,
    start: StartOption,
    end: EndOption = None,
    mode: ModeOption = "in_person",
    place: PlaceOption = None,
    with_role: RoleOption = "consulent",
    with_name: NameOption = None,
    interpreter: InterpreterOption = None,
    notes: NotesOption = None,
) -> None:
    """Plan an appointment: the person gets an invitation (with a calendar file) and
    reminders 7 days, 1 day and 2 hours before (from the municipality file)."""
    plan = _plan(kind, start, end, mode, place, with_role, with_name, interpreter, notes)
    item = _appointment_work(lambda service: service.plan(case, plan, by="cli"))
    typer.echo(f"Planned: {_show(item)}")


@appointment_app.command("change")
def appointment_change(
    number: ListedNumberArgument,
    kind: KindOption,
    start: StartOption,
    end: EndOption = None,
    mode: ModeOption = "in_person",
    place: PlaceOption = None,
    with_role: RoleOption = "consulent",
    with_name: NameOption = None,
    interpreter: InterpreterOption = None,
    notes: NotesOption = None,
) -> None:
    """Change an appointment: pending reminders are replaced, the person is told."""
    plan = _plan(kind, start, end, mode, place, with_role, with_name, interpreter, notes)
    item = _appointment_work(lambda service: service.change(number, plan, by="cli"))
    typer.echo(f"Changed: {_show(item)}")


@appointment_app.command("cancel")
def appointment_cancel(number: ListedNumberArgument) -> None:
    """Cancel an appointment: no more reminders; the person is told it is off."""
    item = _appointment_work(lambda service: service.cancel(number, by="cli"))
    typer.echo(f"Cancelled: {_show(item)}")


def _mark(number: int, outcome: str) -> None:
    item = _appointment_work(lambda service: service.mark(number, outcome, by="cli"))
    typer.echo(f"{outcome.capitalize()}: {_show(item)}")


@appointment_app.command("done")
def appointment_done(number: NumberArgument) -> None:
    """Mark an appointment as held."""
    _mark(number, "done")


@appointment_app.command("missed")
def appointment_missed(number: NumberArgument) -> None:
    """Mark an appointment as missed (the person did not come and did not say)."""
    _mark(number, "missed")


@appointment_app.command("list")
def appointment_list(case: CaseArgument) -> None:
    """A case's appointments with the person's answers (coming, cannot come and why,
    needs an interpreter)."""
    items = _appointment_work(lambda service: service.of_case(case))
    if not items:
        typer.echo("No appointments yet: plan one with `wegwijs appointment add`.")
    for item in items:
        typer.echo(_show(item))
