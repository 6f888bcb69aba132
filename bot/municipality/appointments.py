"""Appointments and reminders in the municipality file: what each kind of appointment
asks of the person (obligatory by law unless the file says otherwise, what to bring),
and when reminders go out."""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from datetime import timedelta
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    StrictBool,
    StrictInt,
    create_model,
    field_validator,
    model_validator,
)

from bot.municipality.fields import Strict
from flows.appointments import KIND_CODES, QuietHours
from flows.appointments import OBLIGATORY_BY_LAW as OBLIGATORY_KINDS

# The kinds of appointment, as stable codes (their texts: flows.appointments).
APPOINTMENT_KINDS: tuple[str, ...] = KIND_CODES

# Whether a kind is obligatory when the file does not say (the law: flows.appointments).
OBLIGATORY_BY_LAW: Mapping[str, bool] = types.MappingProxyType(
    {kind: kind in OBLIGATORY_KINDS for kind in APPOINTMENT_KINDS}
)

# When reminders go out before an appointment, by default and at most.
DEFAULT_OFFSETS: tuple[str, ...] = ("7d", "1d", "2h")
MAX_OFFSETS = 5
MAX_OFFSET = timedelta(days=30)
_OFFSET = re.compile(r"\s*(\d{1,4})\s*([dhm])\s*")
_OFFSET_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


class AppointmentKind(Strict):
    """What one kind of appointment asks of the person."""

    obligatory: StrictBool
    # Short Dutch items ("je verblijfsdocument"), shown to the person as written.
    bring: tuple[Annotated[str, Field(min_length=1, max_length=80)], ...] = Field((), max_length=10)
    duration_minutes: StrictInt | None = Field(None, ge=5, le=480)


def _kind_default(kind: str) -> AppointmentKind:
    return AppointmentKind(obligatory=OBLIGATORY_BY_LAW[kind])


class _Appointments(Strict):
    @model_validator(mode="before")
    @classmethod
    def _obligatory_by_law(cls, data: Any) -> Any:
        """A listed kind that does not say `obligatory` gets the law's default."""
        if not isinstance(data, dict):
            return data
        return {
            kind: (
                {"obligatory": OBLIGATORY_BY_LAW[kind], **value}
                if kind in OBLIGATORY_BY_LAW and isinstance(value, dict)
                else value
            )
            for kind, value in data.items()
        }


# One field per kind, each defaulting to the law's default with nothing to bring.
Appointments = create_model(  # type: ignore[call-overload]
    "Appointments",
    __base__=_Appointments,
    **{kind: (AppointmentKind, _kind_default(kind)) for kind in APPOINTMENT_KINDS},
)


def _parse_offset(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(f'should be text like "7d", "1d" or "2h", got {value!r}')
    match = _OFFSET.fullmatch(value)
    if match is None:
        raise ValueError(
            f"not a time before the appointment: {value!r} "
            '(a number and d, h or m, like "7d", "1d", "2h" or "30m")'
        )
    offset = timedelta(**{_OFFSET_UNITS[match[2]]: int(match[1])})
    if offset <= timedelta(0):
        raise ValueError(f"must be more than zero: {value!r}")
    if offset > MAX_OFFSET:
        raise ValueError(f"at most 30 days before the appointment: {value!r}")
    return offset


Offset = Annotated[timedelta, BeforeValidator(_parse_offset)]


class Reminders(Strict):
    offsets: tuple[Offset, ...] = Field(
        tuple(_parse_offset(offset) for offset in DEFAULT_OFFSETS), max_length=MAX_OFFSETS
    )
    quiet_hours: QuietHours = QuietHours()
    rate_per_second: StrictInt = Field(25, ge=1, le=30)

    @field_validator("offsets")
    @classmethod
    def _unique(cls, offsets: tuple[timedelta, ...]) -> tuple[timedelta, ...]:
        if len(set(offsets)) != len(offsets):
            raise ValueError('the same moment appears twice (for example "1d" and "24h")')
        return tuple(sorted(offsets, reverse=True))
