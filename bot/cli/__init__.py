"""The `wegwijs` command line. Every failure is a clear message and a non-zero exit,
never a traceback."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot.channels.console import CHANNEL as CONSOLE
from bot.channels.console import Console
from bot.core.app import App, StartupError, build, prepare_database
from bot.core.appointments import AppointmentError, AppointmentPlan, AppointmentService
from bot.core.export import CaseNotFound, build_export, load_appointments, load_case, to_csv
from bot.municipality import APPOINTMENT_KINDS, MunicipalityError
from bot.settings import Settings
from flows.events import Event
from flows.i18n import LOCAL_TZ
from flows.languages import LANGUAGES
from storage import Appointment, StorageUnavailable, safe_url, upgrade

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Wegwijs: prepare the brede intake, in the person's own language.",
)
case_app = typer.Typer(no_args_is_help=True, help="Cases and their invite codes.")
db_app = typer.Typer(no_args_is_help=True, help="The database schema.")
locales_app = typer.Typer(no_args_is_help=True, help="The translation catalogs.")
app.add_typer(case_app, name="case")
app.add_typer(db_app, name="db")
app.add_typer(locales_app, name="locales")
keys_app = typer.Typer(no_args_is_help=True, help="The keys of the encrypted free text.")
app.add_typer(keys_app, name="keys")

T = TypeVar("T")


class Format(StrEnum):
    json = "json"
    csv = "csv"


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"wegwijs: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def run_with_app(work: Callable[[App], Awaitable[T]]) -> T:
    """Build the app, prepare the database, run `work`, and turn known failures into
    one clear line."""

    async def main() -> T:
        application = build()
        try:
            await prepare_database(application, auto_upgrade=True)
            return await work(application)
        finally:
            await application.db.dispose()

    try:
        return asyncio.run(main())
    except (MunicipalityError, StartupError, StorageUnavailable) as exc:
        raise fail(str(exc)) from None


def check_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise fail(f"unknown language {lang!r}: choose one of {', '.join(LANGUAGES)}")


@app.command()
def chat(
    lang: Annotated[str | None, typer.Option(help="Language: ar, ti, nl or en.")] = None,
    case: Annotated[str | None, typer.Option(help="Invite code of the case to continue.")] = None,
) -> None:
    """Talk to Wegwijs in this terminal: the same conversation as on Telegram."""
    check_lang(lang)
    logging.basicConfig(level=logging.WARNING)

    async def work(application: App) -> None:
        service = application.service
        if case is None:
            created = await service.create_case(language=lang)
            code = created.invite_code
            chat_id = secrets.randbits(62)
            typer.echo(f"A new practice case was made, with code {code}.")
            typer.echo(f"Continue it later with: wegwijs chat --case {code}")
        else:
            found = await service.console_chat_id(case)
            if found is None:
                raise fail(f"no case has the code {case!r}; make one with `wegwijs case create`")
            code, chat_id = case, found
        await service.attach(CONSOLE, chat_id, code, consume=False)
        first = Event.press(f"lang:{lang}") if lang else None
        await Console(service, chat_id, sys.stdin, sys.stdout).run(first)

    try:
        run_with_app(work)
    except KeyboardInterrupt:
        typer.echo("\n(stopped: your answers are saved)")


class Framework(StrEnum):
    aiogram = "aiogram"
    ptb = "ptb"


def _logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "aiogram.event", "aiohttp.access", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@app.command()
def run(
    framework: Annotated[Framework, typer.Option(help="Telegram library.")] = Framework.aiogram,
    webhook: Annotated[bool, typer.Option(help="Receive updates over HTTP, not polling.")] = False,
    host: Annotated[str, typer.Option(help="Webhook address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Webhook port.")] = 8080,
    bot: Annotated[bool, typer.Option(help="Run the Telegram bot.")] = True,
    worker: Annotated[bool, typer.Option(help="Run the reminder worker.")] = True,
    dashboard: Annotated[bool, typer.Option(help="Serve the consulent dashboard.")] = True,
    dashboard_host: Annotated[
        str | None, typer.Option(help="Dashboard address (default 127.0.0.1).")
    ] = None,
    dashboard_port: Annotated[int | None, typer.Option(help="Dashboard port (8000).")] = None,
) -> None:
    """Run Wegwijs: the Telegram bot (polling, or --webhook behind an HTTPS proxy), the
    reminder worker and the consulent dashboard, in one process."""
    from bot.system import Parts, run_system

    _logging()

    async def work(application: App) -> None:
        settings = application.settings
        secret = settings.telegram_webhook_secret
        parts = Parts(
            bot=bot,
            worker=worker,
            dashboard=dashboard,
            framework=framework.value,
            webhook=webhook,
            host=host,
            port=port,
            secret=secret.get_secret_value() if secret else None,
            dashboard_host=dashboard_host or settings.dashboard_host,
            dashboard_port=dashboard_port or settings.dashboard_port,
        )
        await run_system(application, parts)

    run_with_app(work)


@app.command("worker")
def worker_command(
    framework: Annotated[Framework, typer.Option(help="Telegram library.")] = Framework.aiogram,
) -> None:
    """Run only the reminder worker (several may run beside each other on PostgreSQL)."""
    from bot.channels.telegram.runner import check_token
    from bot.system import Parts, run_system

    _logging()

    async def work(application: App) -> None:
        token = application.settings.telegram_bot_token
        check_token(token.get_secret_value() if token else None)
        # The bot object sends; it does not poll when only the worker runs.
        await run_system(
            application,
            Parts(bot=True, worker=True, dashboard=False, framework=framework.value),
            only_send=True,
        )

    run_with_app(work)


@case_app.command("create")
def case_create(
    label: Annotated[
        str | None, typer.Option(help="Your own label for the case (optional).")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="Language, if already known.")] = None,
) -> None:
    """Create a case and print its invite code (and link, when the bot's username is set)."""
    check_lang(lang)

    async def work(application: App) -> None:
        created = await application.service.create_case(label=label, language=lang)
        typer.echo(f"Invite code: {created.invite_code}")
        if created.invite_expires_at:
            typer.echo(f"Valid until: {created.invite_expires_at:%Y-%m-%d %H:%M} UTC")
        username = application.settings.telegram_bot_username
        if username:
            compact = created.invite_code.replace("-", "")
            typer.echo(f"Link: https://t.me/{username.lstrip('@')}?start={compact}")
        typer.echo(f"Try it in the terminal: wegwijs chat --case {created.invite_code}")

    run_with_app(work)


@case_app.command("list")
def case_list() -> None:
    """List the cases: code, language, consent, sent."""

    async def work(application: App) -> None:
        from storage import CaseRepository, PersonRequestRepository

        async with application.db.session(readonly=True) as session:
            cases = await CaseRepository(session).list()
            waiting = Counter(r.case_id for r in await PersonRequestRepository(session).open_all())
        if not cases:
            typer.echo("No cases yet: make one with `wegwijs case create`.")
        for item in cases:
            sent = "sent" if item.intake_submitted_at else "open"
            consent = "consent" if item.consent_version else "no consent"
            language = item.language or "--"
            asks = f"{waiting[item.id]} request(s) for a person" if waiting[item.id] else ""
            typer.echo(
                f"{item.invite_code}  {language}  {consent:10}  {sent}  {asks}  {item.label or ''}"
            )

    run_with_app(work)


@case_app.command("close")
def case_close(case: Annotated[str, typer.Argument(help="Invite code or case id.")]) -> None:
    """Close a case when the inburgering ends: its data is erased after the retention period."""
    from bot.core.retention import months_before
    from bot.core.service import utcnow
    from storage import AuditRepository, CaseRepository

    async def work(application: App) -> None:
        now = utcnow()
        async with application.db.session() as session, session.begin():
            cases = CaseRepository(session)
            found = await cases.by_code(case) or await cases.get(case.strip())
            if found is None:
                raise fail(f"no case with code or id {case!r}")
            was_closed = found.status == "closed" and found.closed_at is not None
            await cases.close(found, now)
            closed_at = found.closed_at or now
            if not was_closed:
                await AuditRepository(session).record(
                    actor="cli", action="case.close", target=found.id, at=now
                )
        months = application.municipality.privacy.retention_months
        erase_on = months_before(closed_at, -months).date()
        said = "was already closed" if was_closed else "closed"
        typer.echo(f"Case {found.invite_code} {said} on {closed_at:%Y-%m-%d}.")
        typer.echo(f"Its data will be erased after {months} month(s): from {erase_on} on.")

    run_with_app(work)


@case_app.command("purge")
def case_purge() -> None:
    """Erase every case closed longer ago than the retention period (the worker does this
    by itself; this runs it once)."""
    from bot.core.retention import months_before, purge_expired
    from bot.core.service import utcnow

    async def work(application: App) -> None:
        now = utcnow()
        erased = await purge_expired(application.db, application.municipality, now)
        cutoff = months_before(now, application.municipality.privacy.retention_months)
        typer.echo(f"Erased {erased} case(s) closed before {cutoff:%Y-%m-%d %H:%M} UTC.")

    run_with_app(work)


@app.command()
def export(
    case: Annotated[str, typer.Argument(help="Invite code or case id.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="json or csv.")] = Format.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
) -> None:
    """Print a case's answers with question ids, codes and Dutch labels."""

    async def work(application: App) -> str:
        try:
            found, rows, requests = await load_case(application.db, case)
        except CaseNotFound:
            raise fail(f"no case with code or id {case!r}") from None
        appointments = await load_appointments(application.db, found.id)
        data = build_export(
            found,
            rows,
            application.flow,
            application.renderer,
            requests=requests,
            appointments=appointments,
        )
        from bot.core.service import utcnow
        from storage import AuditRepository

        async with application.db.session() as session, session.begin():
            await AuditRepository(session).record(
                actor="cli",
                action="case.export",
                target=found.id,
                at=utcnow(),
                detail=format.value,
            )
        if format is Format.csv:
            return to_csv(data)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    text = run_with_app(work)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror}") from None
        typer.echo(f"Written to {output}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (run before starting workers on PostgreSQL)."""
    settings = Settings()
    try:
        upgrade(settings.database_url)
    except ValueError as exc:
        raise fail(f"DATABASE_URL: {exc}") from None
    except Exception as exc:
        raise fail(
            f"cannot upgrade {safe_url(settings.database_url)}: {type(exc).__name__}"
        ) from None
    typer.echo(f"Database {safe_url(settings.database_url)} is up to date.")


@keys_app.command("new")
def keys_new() -> None:
    """Print a fresh random secret key for WEGWIJS_SECRET_KEY."""
    typer.echo(secrets.token_urlsafe(32))
    typer.echo(
        "Put it in WEGWIJS_SECRET_KEY (in .env or the environment) and keep a copy in a safe "
        "place: without it the encrypted answers cannot be read.",
        err=True,
    )


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Encrypt all free text with WEGWIJS_SECRET_KEY: plaintext from before a key was set,
    and text under a key in WEGWIJS_OLD_SECRET_KEYS."""
    from storage.keys import KeyProblem, rotate

    async def work(application: App) -> None:
        try:
            done = await rotate(application.db)
        except KeyProblem as exc:
            raise fail(str(exc)) from None
        typer.echo(
            f"Encrypted {done.encrypted} plaintext value(s), re-encrypted {done.rotated} "
            f"from an old key; {done.unchanged} already used the current key."
        )
        if application.settings.old_secret_keys:
            typer.echo("The old keys are no longer needed: remove WEGWIJS_OLD_SECRET_KEYS.")

    run_with_app(work)


@locales_app.command("check")
def locales_check() -> None:
    """Fail on an empty, fuzzy or wrong-script translation, or a placeholder mismatch."""
    from bot.catalogs.check import check_catalogs, format_problems

    settings = Settings()
    problems = check_catalogs(settings.locales_dir)
    if problems:
        typer.echo(format_problems(problems))
        raise fail(f"{len(problems)} problem(s) in the catalogs in {settings.locales_dir}", 1)
    typer.echo(f"Catalogs complete: {', '.join(LANGUAGES)}.")


# -- appointments ----------------------------------------------------------------------

appointment_app = typer.Typer(no_args_is_help=True, help="Appointments and their reminders.")
app.add_typer(appointment_app, name="appointment")

_KIND_HELP = "Kind: " + ", ".join(APPOINTMENT_KINDS) + "."
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
    case: Annotated[str, typer.Argument(help="Invite code or case id.")],
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
    number: Annotated[int, typer.Argument(help="The appointment's number (see list).")],
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
def appointment_cancel(
    number: Annotated[int, typer.Argument(help="The appointment's number (see list).")],
) -> None:
    """Cancel an appointment: no more reminders; the person is told it is off."""
    item = _appointment_work(lambda service: service.cancel(number, by="cli"))
    typer.echo(f"Cancelled: {_show(item)}")


NumberArgument = Annotated[int, typer.Argument(help="The appointment's number.")]


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
def appointment_list(
    case: Annotated[str, typer.Argument(help="Invite code or case id.")],
) -> None:
    """A case's appointments with the person's answers (coming, cannot come and why,
    needs an interpreter)."""

    async def work(application: App) -> list[Appointment]:
        from storage import CaseRepository

        async with application.db.session(readonly=True) as session:
            cases = CaseRepository(session)
            found = await cases.get(case) or await cases.by_code(case)
        if found is None:
            raise fail(f"no case with code or id {case!r}")
        return await application.appointments.for_case(found.id)

    items = run_with_app(work)
    if not items:
        typer.echo("No appointments yet: plan one with `wegwijs appointment add`.")
    for item in items:
        typer.echo(_show(item))


# -- the consulent dashboard ----------------------------------------------------------

user_app = typer.Typer(no_args_is_help=True, help="Dashboard users: consulenten and admins.")
app.add_typer(user_app, name="user")
MIN_PASSWORD = 10


@app.command()
def review(
    host: Annotated[str | None, typer.Option(help="Address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
) -> None:
    """Serve only the consulent dashboard (stops cleanly on SIGTERM or Ctrl-C)."""
    import signal

    from bot.dashboard.server import serve

    _logging()

    async def work(application: App) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        settings = application.settings
        await serve(
            application, host or settings.dashboard_host, port or settings.dashboard_port, stop
        )

    run_with_app(work)


def _new_password(from_stdin: bool) -> tuple[str, bool]:
    """(password, generated): one line from stdin, or a random one to print once."""
    if not from_stdin:
        from bot.core.passwords import generate_password

        return generate_password(), True
    password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise fail(f"the password needs at least {MIN_PASSWORD} characters")
    return password, False


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Username (a-z 0-9 . _ -), e.g. anna.devries")],
    admin: Annotated[bool, typer.Option("--admin", help="May see every case.")] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Add a dashboard user; prints a random password once (unless --password-stdin)."""
    from bot.core.passwords import Passwords
    from storage import AuditRepository, UserRepository, normalize_username

    username = normalize_username(name)
    if username is None:
        raise fail(f"{name!r} is not a valid username: 2-64 characters a-z 0-9 . _ -")
    password, generated = _new_password(password_stdin)

    async def work(application: App) -> None:
        from bot.core.service import utcnow

        hashed = await asyncio.to_thread(Passwords().hash, password)
        async with application.db.session() as session, session.begin():
            users = UserRepository(session)
            if await users.by_username(username) is not None:
                raise fail(f"there is already a user {username!r}")
            now = utcnow()
            await users.create(username, hashed, is_admin=admin, now=now)
            await AuditRepository(session).record(
                actor="cli",
                action="user.create",
                target=username,
                at=now,
                detail="admin" if admin else "consulent",
            )

    run_with_app(work)
    typer.echo(f"Added {'admin' if admin else 'consulent'} {username}.")
    if generated:
        typer.echo(f"Password (shown only now): {password}")


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="Username.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Give a user a new password (a random one, printed once); ends their sessions."""
    from bot.core.passwords import Passwords
    from storage import AuditRepository, UserRepository

    password, generated = _new_password(password_stdin)

    async def work(application: App) -> str:
        from bot.core.service import utcnow

        hashed = await asyncio.to_thread(Passwords().hash, password)
        async with application.db.session() as session, session.begin():
            users = UserRepository(session)
            user = await users.by_username(name)
            if user is None:
                raise fail(f"no user {name!r}")
            await users.set_password(user, hashed)
            await AuditRepository(session).record(
                actor="cli", action="user.password", target=user.username, at=utcnow()
            )
            return user.username

    username = run_with_app(work)
    typer.echo(f"New password set for {username}; their sessions have ended.")
    if generated:
        typer.echo(f"Password (shown only now): {password}")


@user_app.command("list")
def user_list() -> None:
    """The dashboard users: name, role, last login."""
    from storage import UserRepository

    async def work(application: App) -> list:
        async with application.db.session(readonly=True) as session:
            return await UserRepository(session).list()

    users = run_with_app(work)
    if not users:
        typer.echo(
            "No users yet: the dashboard makes an admin at its first start, or use "
            "`wegwijs user add NAME --admin`."
        )
    for user in users:
        role = "admin" if user.is_admin else "consulent"
        seen = f"{user.last_login_at:%Y-%m-%d %H:%M} UTC" if user.last_login_at else "never"
        typer.echo(f"{user.username:24} {role:10} last login {seen}")
