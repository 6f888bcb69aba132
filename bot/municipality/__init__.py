"""The municipality file (TOML): the local set-up the conversation speaks about.

Validated at start-up, so a mistake stops Wegwijs with a message naming the file, the
field and what is wrong, instead of surfacing later in a conversation. Every problem
found is reported, one line each: ``<path>: <dotted.field>: <what is wrong>``.

This is a data model only. Titles, organisations, addresses, opening hours and the
"what to bring" items are Dutch data that people see as written. What each role does is
said in the person's own language: the standard roles' lines are translated in the flows;
a role's own lines are written in the file in all four languages and checked against the
file's routing of topics. How a municipality writes its file: ``docs/municipality-file.md``.

The models and their validation: the whole file in `bot.municipality.model`, its parts
in `roles`, `appointments`, `law` and `privacy`, what they share in `fields`; reading
the file and reporting its problems: `bot.municipality.loading`. All re-exported here.
"""

from bot.municipality.appointments import (
    APPOINTMENT_KINDS,
    DEFAULT_OFFSETS,
    MAX_OFFSET,
    MAX_OFFSETS,
    OBLIGATORY_BY_LAW,
    AppointmentKind,
    Appointments,
    Offset,
    Reminders,
)
from bot.municipality.law import Deadlines, Fines, Journey
from bot.municipality.loading import MunicipalityError, load_municipality
from bot.municipality.model import Identity, Municipality
from bot.municipality.privacy import MAX_WHO_SEES, WHO_SEES_LENGTH, Privacy
from bot.municipality.roles import REQUIRED_ROLES, ROLE_CODE, TOPICS, Role, Topics

__all__ = [
    "APPOINTMENT_KINDS",
    "DEFAULT_OFFSETS",
    "MAX_OFFSET",
    "MAX_OFFSETS",
    "MAX_WHO_SEES",
    "OBLIGATORY_BY_LAW",
    "REQUIRED_ROLES",
    "ROLE_CODE",
    "TOPICS",
    "WHO_SEES_LENGTH",
    "AppointmentKind",
    "Appointments",
    "Deadlines",
    "Fines",
    "Identity",
    "Journey",
    "Municipality",
    "MunicipalityError",
    "Offset",
    "Privacy",
    "Reminders",
    "Role",
    "Topics",
    "load_municipality",
]
