"""The dashboard's pages, one router per area; `ROUTERS` is the whole dashboard."""

from __future__ import annotations

from fastapi import APIRouter

from bot.dashboard.routes import (
    actions,
    admin,
    appointments,
    auth,
    case,
    caseload,
    texts,
    texts_files,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    caseload.router,
    case.router,
    actions.router,
    appointments.router,
    admin.router,
    texts_files.router,  # before texts: its /teksten/{lang}/bestand is no text's key
    texts.router,
)
