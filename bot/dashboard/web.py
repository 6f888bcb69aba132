"""The dashboard's web application: routes, sessions, CSRF, audit.

Every page needs a session (otherwise: a redirect to the login page); every form
carries the session's CSRF token; every case is looked up through `case_for`, which
answers 404 for a case of another consulent; every view, export and change is written
to the audit log before the response goes out.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
import segno
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.core.app import App
from bot.core.export import to_csv
from bot.dashboard import queries
from bot.dashboard.appointments import AppointmentsView
from bot.dashboard.errors import LoginRequired, NotFound, Refused
from bot.dashboard.security import (
    CSRF_FIELD,
    LOGIN_COOKIE,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    AddressThrottle,
    Passwords,
    SessionCodec,
    SessionData,
    account_lock,
    same_token,
)
from bot.dashboard.sheet import (
    CaseRow,
    Sheet,
    build_sheet,
    caseload_rows,
    flag_choices,
    language_name,
    text_dir,
    topic_name,
    when,
)
from flows.languages import LANGUAGES
from storage import (
    AnswerRepository,
    Appointment,
    AuditRepository,
    Case,
    CaseRepository,
    EraseRepository,
    PersonRequestRepository,
    User,
    UserRepository,
    normalize_invite_code,
    normalize_username,
)

HERE = Path(__file__).resolve().parent
LABEL_MAX = 80


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class DashboardConfig:
    secret: bytes
    clock: Callable[[], datetime] = utcnow
    # A consulent reads a sheet during a talk: an hour without a click ends the
    # session, and no session lasts longer than a working day.
    idle: timedelta = timedelta(hours=1)
    lifetime: timedelta = timedelta(hours=10)
    passwords: Passwords = field(default_factory=Passwords)
    throttle: AddressThrottle = field(default_factory=AddressThrottle)


# Short messages shown once after a redirect (`?m=code`); never carries user text.
NOTICES = {
    "created": "De case is aangemaakt. Geef de persoon de link of de QR-code.",
    "invite": "Er is een nieuwe uitnodiging gemaakt. De oude code werkt niet meer.",
    "closed": "De case is gesloten.",
    "erased": "De case en alle antwoorden zijn gewist.",
    "assigned": "De case is overgedragen.",
    "label": "De naam is opgeslagen.",
    "handled": "Het verzoek is afgehandeld.",
    "planned": "De afspraak is gepland. De persoon krijgt een uitnodiging.",
    "changed": "De afspraak is gewijzigd. De persoon krijgt bericht.",
    "cancelled": "De afspraak is geannuleerd. De persoon krijgt bericht.",
    "done": "De afspraak is gemarkeerd als gehouden.",
    "missed": "De afspraak is gemarkeerd als niet gekomen.",
    "bye": "U bent uitgelogd.",
    "expired": "Uw sessie is verlopen. Log opnieuw in.",
}

SORTS = (
    "attention",
    "name",
    "language",
    "progress",
    "flags",
    "appointment",
    "requests",
    "activity",
)


@dataclass
class Ctx:
    """What a page handler knows of its request."""

    request: Request
    user: User
    session: SessionData

    @property
    def csrf(self) -> str:
        return self.session.csrf


class SecurityHeaders:
    """Adds the security headers to every response, `no-store` to every page but the
    static files, and renews the session cookie when the handler asked for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in names:
                        headers.append((name.encode(), value.encode()))
                if scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                if not static and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                renew = scope.get("state", {}).get("renew_cookie")
                if renew:
                    headers.append((b"set-cookie", renew.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def cookie(name: str, value: str, *, max_age: int, secure: bool, path: str = "/") -> str:
    parts = [f"{name}={value}", f"Path={path}", f"Max-Age={max_age}", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no '//'): no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def deep_link(username: str | None, code: str) -> str | None:
    if not username:
        return None
    return f"https://t.me/{username.lstrip('@')}?start={code.replace('-', '')}"


def qr_svg(link: str, *, scale: int = 6) -> str:
    return segno.make(link, error="m").svg_inline(
        scale=scale, border=3, dark="#000", light="#fff", title="QR-code van de uitnodiging"
    )


def create_app(app: App, config: DashboardConfig) -> SecurityHeaders:
    """The dashboard as an ASGI application (the FastAPI app is its `.app`), on the
    composition root's database, flow and renderer."""
    db = app.db
    flow = app.flow
    renderer = app.renderer
    codec = SessionCodec(config.secret, idle=config.idle, lifetime=config.lifetime)
    clock = config.clock
    passwords = config.passwords
    throttle = config.throttle
    appointments = AppointmentsView(app)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.filters["lang_name"] = language_name
    env.globals.update(
        topic_name=lambda code: topic_name(renderer, code),
        text_dir=text_dir,
        languages={code: language_name(code) for code in LANGUAGES},
        csrf_field=CSRF_FIELD,
    )

    web = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    web.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # -- rendering and auditing -------------------------------------------------------

    def page(
        request: Request,
        name: str,
        ctx: Ctx | None = None,
        code: int = 200,
        **values: Any,
    ) -> HTMLResponse:
        notice = NOTICES.get(request.query_params.get("m", ""))
        body = env.get_template(name).render(
            user=ctx.user if ctx else None,
            csrf=ctx.csrf if ctx else "",
            path=request.url.path,
            notice=notice,
            **values,
        )
        return HTMLResponse(body, status_code=code)

    async def audit(
        actor: str, action: str, target: str | None = None, detail: str | None = None
    ) -> None:
        async with db.session() as session, session.begin():
            await AuditRepository(session).record(
                actor=actor, action=action, target=target, at=clock(), detail=detail
            )

    def secure(request: Request) -> bool:
        return request.url.scheme == "https"

    # -- sessions ---------------------------------------------------------------------

    async def context(request: Request) -> Ctx:
        now = clock()
        data = codec.loads(request.cookies.get(SESSION_COOKIE), now)
        if data is None:
            raise LoginRequired
        async with db.session(readonly=True) as session:
            user = await UserRepository(session).get(data.user_id)
        if user is None or user.session_epoch != data.epoch:
            raise LoginRequired
        if now.timestamp() - data.seen >= 60:
            renewed = SessionData(
                data.user_id, data.epoch, data.csrf, data.issued, int(now.timestamp())
            )
            request.state.renew_cookie = cookie(
                SESSION_COOKIE,
                codec.dumps(renewed),
                max_age=int(config.lifetime.total_seconds()),
                secure=secure(request),
            )
        return Ctx(request, user, data)

    async def form_of(request: Request, ctx: Ctx) -> FormData:
        form = await request.form()
        token = form.get(CSRF_FIELD)
        if not same_token(ctx.csrf, token if isinstance(token, str) else None):
            raise Refused(
                403,
                "Dit formulier is verlopen of kwam niet van het dashboard. "
                "Ga terug, laad de pagina opnieuw en probeer het nog eens.",
            )
        return form

    def text_field(form: FormData, name: str, limit: int = 200) -> str:
        value = form.get(name)
        return value.strip()[:limit] if isinstance(value, str) else ""

    async def case_for(ctx: Ctx, case_id: str) -> Case:
        """The case if this user may see it; 404 otherwise (also for another
        consulent's case: whether it exists is not theirs to know)."""
        async with db.session(readonly=True) as session:
            case = await CaseRepository(session).get(case_id)
        if case is None or not (ctx.user.is_admin or case.consulent == ctx.user.username):
            raise NotFound
        return case

    def require_admin(ctx: Ctx) -> None:
        if not ctx.user.is_admin:
            raise NotFound

    # -- error pages ------------------------------------------------------------------

    @web.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        if request.method != "GET" or target == "/":
            return redirect("/login")
        return redirect(f"/login?next={quote(target, safe='')}")

    @web.exception_handler(NotFound)
    async def not_found(request: Request, _exc: NotFound) -> Response:
        return page(
            request,
            "error.html",
            code=404,
            title="Niet gevonden",
            message="Deze pagina of case bestaat niet, of is niet van u.",
        )

    @web.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return page(
            request, "error.html", code=exc.status, title="Niet gelukt", message=exc.message
        )

    @web.exception_handler(RequestValidationError)
    async def malformed(request: Request, _exc: RequestValidationError) -> Response:
        """A malformed number in a path: no session → the login page, else a 404 page
        (never FastAPI's JSON)."""
        if codec.loads(request.cookies.get(SESSION_COOKIE), clock()) is None:
            return await login_required(request, LoginRequired())
        return await not_found(request, NotFound())

    @web.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return await not_found(request, NotFound())
        return page(
            request,
            "error.html",
            status=exc.status_code,
            title="Niet gelukt",
            message="Dit verzoek kon niet worden verwerkt.",
        )

    # -- login and logout ---------------------------------------------------------------

    def login_page(
        request: Request, *, code: int = 200, error: str | None = None, username: str = ""
    ) -> Response:
        token, signed = codec.new_login_token()
        response = page(
            request,
            "login.html",
            code=code,
            login_token=token,
            error=error,
            username=username,
            next=safe_next(request.query_params.get("next")),
        )
        response.headers.append(
            "set-cookie",
            cookie(LOGIN_COOKIE, signed, max_age=3600, secure=secure(request), path="/login"),
        )
        return response

    @web.get("/login")
    async def login_form(request: Request) -> Response:
        try:
            await context(request)
        except LoginRequired:
            return login_page(request)
        return redirect("/")

    @web.post("/login")
    async def login(request: Request) -> Response:
        now = clock()
        form = await request.form()
        username = text_field(form, "username", 64)
        password = form.get("password")
        password = password if isinstance(password, str) else ""
        target = safe_next(text_field(form, "next", 500))
        expected = codec.login_token(request.cookies.get(LOGIN_COOKIE))
        if not same_token(expected, text_field(form, CSRF_FIELD, 200)):
            return login_page(
                request,
                code=403,
                username=username,
                error="Het formulier was verlopen. Probeer het opnieuw.",
            )
        address = request.client.host if request.client else "unknown"
        blocked = throttle.blocked_until(address, now)
        async with db.session(readonly=True) as session:
            user = await UserRepository(session).by_username(username)
        if user is not None and user.locked_until is not None and user.locked_until > now:
            blocked = max(blocked or now, user.locked_until)
        if blocked is not None:
            await audit(user.username if user else "unknown", "login.throttled")
            return login_page(
                request,
                code=429,
                username=username,
                error="Te veel mislukte pogingen. Probeer het na "
                f"{when(blocked, 'HH:mm')} opnieuw.",
            )
        ok = await asyncio.to_thread(
            passwords.verify, user.password_hash if user else None, password[:1024]
        )
        if not ok or user is None:
            throttle.failed(address, now)
            if user is not None:
                async with db.session() as session, session.begin():
                    users = UserRepository(session)
                    fresh = await users.get(user.id or 0)
                    if fresh is not None:
                        await users.login_failed(fresh, account_lock(fresh.failed_logins + 1, now))
            # Never the typed name when no such user exists: it may be a password.
            await audit(user.username if user else "unknown", "login.failed")
            return login_page(
                request,
                code=401,
                username=username,
                error="Gebruikersnaam of wachtwoord klopt niet.",
            )
        rehash = passwords.needs_rehash(user.password_hash)
        new_hash = await asyncio.to_thread(passwords.hash, password) if rehash else None
        async with db.session() as session, session.begin():
            users = UserRepository(session)
            fresh = await users.get(user.id or 0)
            if fresh is None:
                raise LoginRequired
            await users.login_succeeded(fresh, now)
            if new_hash:
                fresh.password_hash = new_hash
            await AuditRepository(session).record(
                actor=fresh.username, action="login", target=None, at=now
            )
            data = codec.new(fresh.id or 0, fresh.session_epoch, now)
        response = redirect(target)
        response.headers.append(
            "set-cookie",
            cookie(
                SESSION_COOKIE,
                codec.dumps(data),
                max_age=int(config.lifetime.total_seconds()),
                secure=secure(request),
            ),
        )
        response.headers.append(
            "set-cookie", cookie(LOGIN_COOKIE, "", max_age=0, secure=secure(request), path="/login")
        )
        return response

    @web.post("/logout")
    async def logout(request: Request) -> Response:
        ctx = await context(request)
        await form_of(request, ctx)
        async with db.session() as session, session.begin():
            users = UserRepository(session)
            fresh = await users.get(ctx.user.id or 0)
            if fresh is not None:
                await users.end_sessions(fresh)
            await AuditRepository(session).record(
                actor=ctx.user.username, action="logout", target=None, at=clock()
            )
        request.state.renew_cookie = None
        response = redirect("/login?m=bye")
        response.headers.append(
            "set-cookie", cookie(SESSION_COOKIE, "", max_age=0, secure=secure(request))
        )
        return response

    # -- the caseload -------------------------------------------------------------------

    @web.get("/")
    async def caseload(request: Request) -> Response:
        ctx = await context(request)
        params = request.query_params
        sort = params.get("sort", "attention")
        sort = sort if sort in SORTS else "attention"
        order = "asc" if params.get("order") == "asc" else "desc"
        if sort in ("attention", "name", "language", "appointment") and "order" not in params:
            order = "asc"
        flag = params.get("flag", "")
        status = params.get("status", "open")
        status = status if status in ("open", "closed", "all") else "open"
        now = clock()
        async with db.session(readonly=True) as session:
            mine = None if ctx.user.is_admin else ctx.user.username
            cases = await CaseRepository(session).list(consulent=mine)
            if status != "all":
                cases = [c for c in cases if (c.status == "closed") == (status == "closed")]
            ids = [c.id for c in cases]
            answers = await queries.current_answers(session, ids)
            seen = await queries.last_seen(session, ids)
            requests = await queries.open_request_counts(session, ids)
            upcoming = await appointments.next_for_cases(session, ids, now)
            users = await UserRepository(session).list() if ctx.user.is_admin else []
        rows = caseload_rows(cases, answers, requests, seen, upcoming, flow, renderer)
        counts = Counter(f.id for row in rows for f in row.flags)
        if flag:
            rows = [row for row in rows if any(f.id == flag for f in row.flags)]
        rows = sort_rows(rows, sort, order)
        return page(
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
            appointments=appointments,
            now=now,
        )

    @web.post("/cases")
    async def create_case(request: Request) -> Response:
        ctx = await context(request)
        form = await form_of(request, ctx)
        label = text_field(form, "label", LABEL_MAX) or None
        lang = text_field(form, "language", 5)
        now = clock()
        async with db.session() as session, session.begin():
            case = await CaseRepository(session).create(
                now=now,
                label=label,
                language=lang if lang in LANGUAGES else None,
                consulent=ctx.user.username,
            )
            await AuditRepository(session).record(
                actor=ctx.user.username, action="case.create", target=case.id, at=now
            )
        return redirect(f"/cases/{case.id}/invite?m=created")

    # -- one case ---------------------------------------------------------------------

    async def load_sheet(
        ctx: Ctx, case_id: str, view: str
    ) -> tuple[Sheet, list[Appointment], list[User]]:
        case = await case_for(ctx, case_id)
        async with db.session(readonly=True) as session:
            rows = await AnswerRepository(session).all(case.id)
            requests = await PersonRequestRepository(session).open_for_case(case.id)
            planned = await appointments.for_case(session, case.id)
            users = await UserRepository(session).list() if ctx.user.is_admin else []
        await audit(ctx.user.username, "case.view", case.id, view)
        return build_sheet(case, rows, requests, flow, renderer), planned, users

    @web.get("/cases/{case_id}")
    async def case_sheet(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        sheet, planned, users = await load_sheet(ctx, case_id, "sheet")
        return page(
            request,
            "case.html",
            ctx,
            sheet=sheet,
            case=sheet.case,
            planned=planned,
            users=users,
            appointments=appointments,
            now=clock(),
        )

    @web.get("/cases/{case_id}/print")
    async def case_print(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        sheet, planned, _users = await load_sheet(ctx, case_id, "print")
        return page(
            request,
            "print.html",
            ctx,
            sheet=sheet,
            case=sheet.case,
            planned=planned,
            appointments=appointments,
            now=clock(),
        )

    @web.post("/cases/{case_id}/export")
    async def case_export(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        form = await form_of(request, ctx)
        case = await case_for(ctx, case_id)
        kind = "csv" if text_field(form, "format", 4) == "csv" else "json"
        async with db.session(readonly=True) as session:
            rows = await AnswerRepository(session).all(case.id)
            requests = await PersonRequestRepository(session).open_for_case(case.id)
        data = build_sheet(case, rows, requests, flow, renderer).export
        await audit(ctx.user.username, "case.export", case.id, kind)
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

    @web.get("/cases/{case_id}/invite")
    async def invite(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        case = await case_for(ctx, case_id)
        await audit(ctx.user.username, "case.view", case.id, "invite")
        link = deep_link(app.settings.telegram_bot_username, case.invite_code)
        now = clock()
        expired = case.invite_expires_at is not None and case.invite_expires_at <= now
        return page(
            request,
            "invite.html",
            ctx,
            case=case,
            link=link,
            qr=Markup(qr_svg(link)) if link else None,
            expired=expired,
        )

    @web.get("/cases/{case_id}/invite.svg")
    async def invite_svg(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        case = await case_for(ctx, case_id)
        link = deep_link(app.settings.telegram_bot_username, case.invite_code)
        if link is None:
            raise NotFound
        await audit(ctx.user.username, "case.view", case.id, "invite-qr")
        buffer = io.BytesIO()
        segno.make(link, error="m").save(buffer, kind="svg", scale=10, border=4)
        return Response(
            buffer.getvalue(),
            media_type="image/svg+xml",
            headers={
                "content-disposition": f'attachment; filename="uitnodiging-{case.invite_code}.svg"'
            },
        )

    @web.post("/cases/{case_id}/invite")
    async def invite_again(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        await form_of(request, ctx)
        case = await case_for(ctx, case_id)
        await change(ctx, case, "case.invite", lambda cases, c, now: cases.reissue_invite(c, now))
        return redirect(f"/cases/{case.id}/invite?m=invite")

    async def change(
        ctx: Ctx,
        case: Case,
        action: str,
        work: Callable[[CaseRepository, Case, datetime], Awaitable[Any]],
        detail: str | None = None,
    ) -> None:
        now = clock()
        async with db.session() as session, session.begin():
            cases = CaseRepository(session)
            fresh = await cases.get(case.id)
            if fresh is None:
                raise NotFound
            await work(cases, fresh, now)
            await AuditRepository(session).record(
                actor=ctx.user.username, action=action, target=case.id, at=now, detail=detail
            )

    @web.post("/cases/{case_id}/label")
    async def set_label(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        form = await form_of(request, ctx)
        case = await case_for(ctx, case_id)
        label = text_field(form, "label", LABEL_MAX) or None
        await change(ctx, case, "case.label", lambda cases, c, now: cases.set_label(c, label, now))
        return redirect(f"/cases/{case.id}?m=label")

    @web.post("/cases/{case_id}/assign")
    async def assign(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        form = await form_of(request, ctx)
        require_admin(ctx)
        case = await case_for(ctx, case_id)
        name = normalize_username(text_field(form, "consulent", 64))
        async with db.session(readonly=True) as session:
            target = await UserRepository(session).by_username(name) if name else None
        if target is None:
            raise Refused(400, "Die gebruiker bestaat niet.")
        await change(
            ctx,
            case,
            "case.assign",
            lambda cases, c, now: cases.assign(c, target.username, now),
            detail=f"to {target.username}",
        )
        return redirect(f"/cases/{case.id}?m=assigned")

    @web.post("/cases/{case_id}/close")
    async def close(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        await form_of(request, ctx)
        case = await case_for(ctx, case_id)
        await change(ctx, case, "case.close", lambda cases, c, now: cases.close(c, now))
        return redirect(f"/cases/{case.id}?m=closed")

    @web.get("/cases/{case_id}/erase")
    async def erase_form(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        case = await case_for(ctx, case_id)
        return page(request, "erase.html", ctx, case=case, error=None)

    @web.post("/cases/{case_id}/erase")
    async def erase(request: Request, case_id: str) -> Response:
        ctx = await context(request)
        form = await form_of(request, ctx)
        case = await case_for(ctx, case_id)
        if normalize_invite_code(text_field(form, "confirm", 20)) != case.invite_code:
            return page(
                request,
                "erase.html",
                ctx,
                code=400,
                case=case,
                error="De code klopt niet. Er is niets gewist.",
            )
        now = clock()
        async with db.session() as session, session.begin():
            result = await EraseRepository(session).erase_case(case.id)
            await AuditRepository(session).record(
                actor=ctx.user.username,
                action="case.erase",
                target=case.id,
                at=now,
                detail=(
                    f"cases={result.cases} answers={result.answers} "
                    f"requests={result.requests} accounts={result.accounts}"
                ),
            )
        return redirect("/?m=erased")

    @web.post("/cases/{case_id}/requests/{request_id}")
    async def handle_request(request: Request, case_id: str, request_id: int) -> Response:
        ctx = await context(request)
        await form_of(request, ctx)
        case = await case_for(ctx, case_id)
        now = clock()
        async with db.session() as session, session.begin():
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

    # -- appointments -------------------------------------------------------------------

    appointments.routes(
        web,
        context=context,
        form_of=form_of,
        case_for=case_for,
        page=page,
        audit=audit,
        clock=clock,
    )

    # -- admin ------------------------------------------------------------------------

    @web.get("/audit")
    async def audit_log(request: Request) -> Response:
        ctx = await context(request)
        require_admin(ctx)
        params = request.query_params
        try:
            number = max(1, int(params.get("page", "1")))
        except ValueError:
            number = 1
        actor = params.get("actor") or None
        action = params.get("action") or None
        target = params.get("target") or None
        size = 100
        async with db.session(readonly=True) as session:
            entries = await AuditRepository(session).list(
                actor=actor,
                action=action,
                target=target,
                limit=size + 1,
                offset=(number - 1) * size,
            )
        await audit(ctx.user.username, "audit.view")
        return page(
            request,
            "audit.html",
            ctx,
            entries=entries[:size],
            more=len(entries) > size,
            number=number,
            actor=actor or "",
            action=action or "",
            target=target or "",
        )

    @web.get("/users")
    async def users(request: Request) -> Response:
        ctx = await context(request)
        require_admin(ctx)
        async with db.session(readonly=True) as session:
            everyone = await UserRepository(session).list()
            cases = await CaseRepository(session).list()
        load = Counter(c.consulent for c in cases if c.status != "closed")
        return page(request, "users.html", ctx, users=everyone, load=load)

    return SecurityHeaders(web)


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
        "requests": lambda r: (r.open_requests, r.name.lower()),
        "activity": lambda r: r.last_activity or never,
    }
    return sorted(rows, key=keys[sort], reverse=order == "desc")
