"""The deployment's facts the conversation speaks about, apart from the engine, so that
the screens can read them (`Turn.context`) without importing the engine that runs them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flows.appointments import AppointmentContext
from flows.journey import LAW, JourneyContext
from flows.roles import RoleCard

__all__ = ["Context"]


@dataclass(frozen=True)
class Context:
    """Facts of the deployment the conversation speaks about."""

    municipality: str
    consent_version: str = "1"
    retention_months: int = 12
    who_sees: tuple[str, ...] = ()  # the municipality's list for the consent text (Dutch)
    roles: Mapping[str, RoleCard] = field(default_factory=dict)  # role code → local card
    topics: Mapping[str, str] = field(default_factory=dict)  # topic code → role code
    appointments: AppointmentContext = field(default_factory=AppointmentContext)
    journey: JourneyContext = LAW  # the journey's figures and local names (`/route`)
