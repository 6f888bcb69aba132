"""Logging in and out. Every attempt is counted before its password is checked — per
address here (`AddressThrottle`), per account and address in the database
(`bot.core.login`) — and a name that is no user gets the same answers as one that is."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.core.login import claim_login, login_succeeded
from bot.core.metrics import LOGINS
from bot.dashboard.context import (
    CsrfForm,
    CurrentUser,
    Dash,
    Dashboard,
    cookie,
    current_user,
    is_secure,
    read_form,
    redirect,
    text_field,
)
from bot.dashboard.refusals import LoginRequired
from bot.dashboard.security import CSRF_FIELD, LOGIN_COOKIE, SESSION_COOKIE, same_token
from bot.dashboard.sheet import when
from storage import UserRepository

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no '//'): no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def name_key(secret: bytes, username: str) -> str:
    """The counter's key for a name that is no user: a keyed hash, never the name (it
    may be a password typed in the wrong field)."""
    return hmac.new(secret, b"login-name:" + username.encode(), hashlib.sha256).hexdigest()


def source_key(secret: bytes, address: str) -> str:
    """The counter's key for the address an attempt came from: a keyed hash, so the
    database holds no address."""
    return hmac.new(secret, b"login-source:" + address.encode(), hashlib.sha256).hexdigest()


def login_page(
    dash: Dashboard,
    request: Request,
    *,
    code: int = 200,
    error: str | None = None,
    username: str = "",
) -> Response:
    token, signed = dash.codec.new_login_token()
    response = dash.page(
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
        cookie(LOGIN_COOKIE, signed, max_age=3600, secure=is_secure(request), path="/login"),
    )
    return response


@router.get("/login")
async def login_form(request: Request, dash: Dash) -> Response:
    try:
        await current_user(request, dash)
    except LoginRequired:
        return login_page(dash, request)
    return redirect("/")


@router.post("/login")
async def login(request: Request, dash: Dash) -> Response:
    now = dash.clock()
    form = await read_form(request)
    username = text_field(form, "username", 64)
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    target = safe_next(text_field(form, "next", 500))
    expected = dash.codec.login_token(request.cookies.get(LOGIN_COOKIE))
    if not same_token(expected, text_field(form, CSRF_FIELD, 200)):
        return login_page(
            dash,
            request,
            code=403,
            username=username,
            error="Het formulier was verlopen. Probeer het opnieuw.",
        )
    address = request.client.host if request.client else "unknown"
    throttle = dash.config.throttle
    blocked = throttle.attempt(address, now)
    user, key = None, ""
    if blocked is None:
        attempt = await claim_login(
            dash.db,
            username,
            name_key(dash.config.secret, username.strip().lower()),
            source_key(dash.config.secret, address),
            now,
        )
        user, blocked, key = attempt.user, attempt.locked_until, attempt.key
        if blocked is not None:
            throttle.succeeded(address, now)  # no password was checked: not the address's
    else:
        async with dash.db.session(readonly=True) as session:
            user = await UserRepository(session).by_username(username)
    # Never the typed name when no such user exists: it may be a password.
    actor = user.username if user else "unknown"
    if blocked is not None:
        LOGINS.labels("locked").inc()
        await dash.audit(actor, "login.throttled")
        return login_page(
            dash,
            request,
            code=429,
            username=username,
            error=f"Te veel mislukte pogingen. Probeer het na {when(blocked, 'HH:mm')} opnieuw.",
        )
    passwords = dash.config.passwords
    stored = user.password_hash if user else None
    ok = await asyncio.to_thread(passwords.verify, stored, password[:1024])
    if not ok or user is None or user.id is None:
        LOGINS.labels("failed").inc()
        await dash.audit(actor, "login.failed")
        return login_page(
            dash,
            request,
            code=401,
            username=username,
            error="Gebruikersnaam of wachtwoord klopt niet.",
        )
    throttle.succeeded(address, now)
    LOGINS.labels("ok").inc()
    rehash = passwords.needs_rehash(user.password_hash)
    new_hash = await asyncio.to_thread(passwords.hash, password) if rehash else None
    fresh = await login_succeeded(dash.db, user.id, now, key=key, new_hash=new_hash)
    if fresh is None:
        raise LoginRequired
    data = dash.codec.new(fresh.id or 0, fresh.session_epoch, now)
    response = redirect(target)
    secure = is_secure(request)
    response.headers.append(
        "set-cookie",
        cookie(
            SESSION_COOKIE,
            dash.codec.dumps(data),
            max_age=int(dash.config.lifetime.total_seconds()),
            secure=secure,
        ),
    )
    response.headers.append(
        "set-cookie", cookie(LOGIN_COOKIE, "", max_age=0, secure=secure, path="/login")
    )
    return response


@router.post("/logout")
async def logout(request: Request, ctx: CurrentUser, _form: CsrfForm, dash: Dash) -> Response:
    async with dash.db.session() as session, session.begin():
        users = UserRepository(session)
        fresh = await users.get(ctx.user.id or 0)
        if fresh is not None:
            await users.end_sessions(fresh)
    await dash.audit(ctx.user.username, "logout")
    request.state.renew_cookie = None
    response = redirect("/login?m=bye")
    response.headers.append(
        "set-cookie", cookie(SESSION_COOKIE, "", max_age=0, secure=is_secure(request))
    )
    return response
