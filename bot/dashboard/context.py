"""What every page needs, as FastAPI dependencies: the dashboard's state, the logged-in
user (`current_user`), a form with a valid CSRF token (`csrf_form`), a case this user
may see (`owned_case`: 404 otherwise), an admin (`admin_user`), ids within the
database's range (`DbId`), and the page renderer and audit writer (`Dashboard`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from bot.core.app import App
from bot.core.clock import utcnow
from bot.core.passwords import Passwords
from bot.core.record import today
from bot.core.translations_review import Texts
from bot.dashboard.appointments import AppointmentsView
from bot.dashboard.record import day
from bot.dashboard.refusals import LoginRequired, NotFound, Refused
from bot.dashboard.security import (
    CSRF_FIELD,
    SESSION_COOKIE,
    AddressThrottle,
    SessionCodec,
    SessionData,
    same_token,
)
from bot.dashboard.sheet import language_name, text_dir, topic_name, when
from bot.web.templates import environment
from flows.languages import LANGUAGES
from storage import AuditRepository, Case, CaseRepository, User, UserRepository

HERE = Path(__file__).resolve().parent
INT64_MAX = 2**63 - 1  # the range of an id column: larger numbers are no id (404)
MAX_FIELDS = 100  # no dashboard form has more


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
    "invite": "Er is een nieuwe uitnodiging gemaakt. De oude code werkt niet meer, en "
    "browsers die met de oude code in de webchat zaten, zijn ontkoppeld.",
    "closed": "De case is gesloten.",
    "unbound": "Alle browsers zijn ontkoppeld van de webchat. Wil de persoon verder in de "
    "webchat, maak dan een nieuwe uitnodiging.",
    "erased": "De case en alle antwoorden zijn gewist.",
    "assigned": "De case is overgedragen.",
    "label": "De naam is opgeslagen.",
    "record": "De gegevens van de case zijn opgeslagen.",
    "handled": "Het verzoek is afgehandeld.",
    "planned": "De afspraak is gepland. De persoon krijgt een uitnodiging.",
    "changed": "De afspraak is gewijzigd. De persoon krijgt bericht.",
    "cancelled": "De afspraak is geannuleerd. De persoon krijgt bericht.",
    "done": "De afspraak is gemarkeerd als gehouden.",
    "missed": "De afspraak is gemarkeerd als niet gekomen.",
    "text": "De vertaling is opgeslagen. Binnen enkele seconden lezen mensen de nieuwe tekst.",
    "reviewed": "De vertaling is gemarkeerd als gecontroleerd.",
    "reverted": "De tekst is teruggezet naar de meegeleverde vertaling (concept).",
    "translator": "De talen van de vertaler zijn opgeslagen.",
    "bye": "U bent uitgelogd.",
    "expired": "Uw sessie is verlopen. Log opnieuw in.",
}


@dataclass
class Ctx:
    """What a page handler knows of its request."""

    request: Request
    user: User
    session: SessionData

    @property
    def csrf(self) -> str:
        return self.session.csrf


class Dashboard:
    """The dashboard's state, one per application: the application core's parts, the
    session codec, the templates; rendering and auditing."""

    def __init__(self, app: App, config: DashboardConfig) -> None:
        self.app = app
        self.db = app.db
        self.config = config
        self.clock = config.clock
        self.codec = SessionCodec(config.secret, idle=config.idle, lifetime=config.lifetime)
        self.appointments = AppointmentsView(app)
        self.texts = Texts.of(app.db, app.settings.locales_dir)
        self.env = environment(HERE / "templates")
        self.env.filters["when"] = when
        self.env.filters["lang_name"] = language_name
        self.env.filters["day"] = day
        self.env.filters["day_iso"] = lambda now: today(now).isoformat()
        self.env.globals.update(
            topic_name=lambda code: topic_name(app.renderer, code),
            text_dir=text_dir,
            languages={code: language_name(code) for code in LANGUAGES},
            csrf_field=CSRF_FIELD,
        )

    def page(
        self, request: Request, name: str, ctx: Ctx | None = None, code: int = 200, **values: Any
    ) -> HTMLResponse:
        notice = NOTICES.get(request.query_params.get("m", ""))
        body = self.env.get_template(name).render(
            user=ctx.user if ctx else None,
            csrf=ctx.csrf if ctx else "",
            path=request.url.path,
            notice=notice,
            **values,
        )
        return HTMLResponse(body, status_code=code)

    async def audit(
        self, actor: str, action: str, target: str | None = None, detail: str | None = None
    ) -> None:
        async with self.db.session() as session, session.begin():
            await AuditRepository(session).record(
                actor=actor, action=action, target=target, at=self.clock(), detail=detail
            )


def cookie(name: str, value: str, *, max_age: int, secure: bool, path: str = "/") -> str:
    parts = [f"{name}={value}", f"Path={path}", f"Max-Age={max_age}", "HttpOnly", "SameSite=Lax"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def is_secure(request: Request) -> bool:
    return request.url.scheme == "https"


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- dependencies ---------------------------------------------------------------------


def dashboard(request: Request) -> Dashboard:
    return request.app.state.dashboard


Dash = Annotated[Dashboard, Depends(dashboard)]


async def current_user(request: Request, dash: Dash) -> Ctx:
    """The logged-in user (`LoginRequired` otherwise); renews the cookie now and then."""
    now = dash.clock()
    data = dash.codec.loads(request.cookies.get(SESSION_COOKIE), now)
    if data is None:
        raise LoginRequired
    async with dash.db.session(readonly=True) as session:
        user = await UserRepository(session).get(data.user_id)
    if user is None or user.session_epoch != data.epoch:
        raise LoginRequired
    if now.timestamp() - data.seen >= 60:
        renewed = SessionData(
            data.user_id, data.epoch, data.csrf, data.issued, int(now.timestamp())
        )
        request.state.renew_cookie = cookie(
            SESSION_COOKIE,
            dash.codec.dumps(renewed),
            max_age=int(dash.config.lifetime.total_seconds()),
            secure=is_secure(request),
        )
    return Ctx(request, user, data)


CurrentUser = Annotated[Ctx, Depends(current_user)]


async def read_form(request: Request) -> FormData:
    """The posted form: at most `MAX_FIELDS` fields and no files (400 otherwise); the
    body's size is limited by `BodyLimit` (413)."""
    return await request.form(max_fields=MAX_FIELDS, max_files=0)


async def csrf_form(request: Request, ctx: CurrentUser) -> FormData:
    form = await read_form(request)
    token = form.get(CSRF_FIELD)
    if not same_token(ctx.csrf, token if isinstance(token, str) else None):
        raise Refused(
            403,
            "Dit formulier is verlopen of kwam niet van het dashboard. "
            "Ga terug, laad de pagina opnieuw en probeer het nog eens.",
        )
    return form


CsrfForm = Annotated[FormData, Depends(csrf_form)]


async def owned_case(case_id: str, ctx: CurrentUser, dash: Dash) -> Case:
    """The case if this user may see it; 404 otherwise (also for another consulent's
    case: whether it exists is not theirs to know, but the attempt is audited; every
    case for a translator who is no consulent)."""
    async with dash.db.session(readonly=True) as session:
        case = await CaseRepository(session).get(case_id)
    if case is None:
        raise NotFound
    mine = ctx.user.is_consulent and case.consulent == ctx.user.username
    if not (ctx.user.is_admin or mine):
        request = ctx.request
        detail = f"{request.method} {request.url.path}"
        await dash.audit(ctx.user.username, "case.refused", case.id, detail)
        raise NotFound
    return case


OwnedCase = Annotated[Case, Depends(owned_case)]


async def admin_user(ctx: CurrentUser) -> Ctx:
    if not ctx.user.is_admin:
        raise NotFound
    return ctx


AdminUser = Annotated[Ctx, Depends(admin_user)]

# A row id in a path: a number the id column can hold, else 404 (never SQL's overflow).
DbId = Annotated[int, PathParam(ge=1, le=INT64_MAX)]


def text_field(form: FormData, name: str, limit: int = 200) -> str:
    """A short field that is not free text (a code, a name, a choice), cut to `limit`."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""
