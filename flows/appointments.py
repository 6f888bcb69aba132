"""Appointments: when to remind, and what to say. Pure: takes `now`, stores nothing. The
messages and their buttons are drawn by `flows.screens.appointments`.

Missing a brede intake can cost a fine of €250 and missing PIP obligations up to €800
(DOMAIN.md), so reminders matter; but fines are a last resort and many people distrust
the government, so the texts inform calmly and never threaten. They also never promise
what no municipality can keep: only a valid reason avoids a fine ("zonder geldige
reden", seed 002), telling us before does not, so no text says "then there is no
problem". The figures are left out: they differ per municipality and per duty. What to
bring and whether a kind is obligatory come from the municipality file (`KindInfo`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import quote_plus

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic.dataclasses import dataclass as validated_dataclass

from flows.i18n import LOCAL_TZ
from flows.model import N_, NP_
from flows.roles import RoleCard

KINDS: tuple[tuple[str, str], ...] = (
    ("kennismaking", N_("Kennismaking: a first talk to get to know each other")),
    ("brede_intake", N_("Brede intake: a talk about you, your plans and your inburgering")),
    (
        "leerbaarheidstoets",
        N_("Leerbaarheidstoets: a test of how well you can learn Dutch, to choose your route"),
    ),
    ("pip", N_("PIP: a talk about your personal plan for inburgering")),
    ("voortgangsgesprek", N_("Voortgangsgesprek: a talk about how your inburgering is going")),
    ("map", N_("MAP: the module about work in the Netherlands")),
    (
        "pvt",
        N_("PVT: a course of at least 12 hours that ends with signing the participation statement"),
    ),
    ("eindgesprek", N_("Eindgesprek: the final talk of your route")),
    ("huisbezoek", N_("Huisbezoek: your maatschappelijk begeleider visits you at home")),
    ("other", N_("An appointment with the municipality")),
)
KIND_LABELS = dict(KINDS)
# The kinds as stable codes: the one list that the municipality file, the planning API,
# the CLI and the dashboard take theirs from.
KIND_CODES: tuple[str, ...] = tuple(code for code, _ in KINDS)
# The kinds the Wet inburgering 2021 makes obligatory when the municipality file does not
# say: the brede intake (with the leerbaarheidstoets), the PIP and what it contains
# (progress talks, MAP, PVT, the Z-route's final talk); not a first acquaintance, a home
# visit by the begeleider or anything else.
OBLIGATORY_BY_LAW: frozenset[str] = frozenset(
    {"brede_intake", "leerbaarheidstoets", "pip", "voortgangsgesprek", "map", "pvt", "eindgesprek"}
)
MODES = ("in_person", "phone", "video")
REASONS: tuple[tuple[str, str], ...] = (
    ("ill", N_("I am ill")),
    ("work", N_("I have to work")),
    ("childcare", N_("No one can look after my children")),
    ("other", N_("Another reason")),
)
REASON_CODES = tuple(code for code, _ in REASONS)

INVITATION = N_("📅 You have a new appointment:")
CHANGED = N_("📅 Your appointment has changed. This is the new plan:")
CANCELLED = N_("Your appointment is cancelled. You do not need to come:")
WHEN = N_("When: {date}, {start}–{end}")
WHERE = N_("Where: {place}")
BY_PHONE = N_("By phone: you will be called. Keep your phone with you.")
BY_PHONE_AT = N_("By phone: {place}")
BY_VIDEO = N_("By video call: {place}")
BY_VIDEO_LATER = N_("By video call: you will get the link.")
WITH = N_("With: {who}")
INTERPRETER = N_("An interpreter (tolk) for {language} will be there.")
BRING = N_("Please bring: {items}")
OBLIGATORY = N_(
    "This appointment is part of your inburgering and the law asks you to come. If you cannot come, tell us before the appointment and say why."
)
# What can follow, said once in an invitation or a change (not in every reminder): a
# fine only without a valid reason, and as a last resort; a benefit can be affected.
CONSEQUENCE = N_(
    "If you stay away without a valid reason, this can lead to a fine. A fine is a last resort. If you have a benefit (uitkering), it can also be affected."
)
CAN_YOU_COME = N_("Can you come?")
COMING = N_("✅ I will come")
CANNOT = N_("I cannot come")
NEED_INTERPRETER = N_("I need an interpreter")
HOW_TO_GET_THERE = N_("How do I get there?")
THANKS_COMING = N_("Thank you. Your consulent can see that you will come.")
WHY_NOT = N_("Please tell us why you cannot come.")
THANKS_CANNOT = N_(
    "Thank you for telling us. Your consulent can see it and will contact you about a new time."
)
THANKS_CANNOT_OBLIGATORY = N_(
    "Thank you for telling us before. Your consulent can see your reason and will contact you about a new time. Only staying away without a valid reason can lead to a fine."
)
CAN_COME_AFTER_ALL = N_("I can come after all")
THANKS_INTERPRETER = N_(
    "Your consulent can see that you need an interpreter (tolk) and will arrange one."
)
ROUTE = N_("The address is: {place}")
MAP_LINK = N_("Map: {link}")
ROUTE_PHONE = N_("This appointment is by phone: you do not need to go anywhere.")
ROUTE_VIDEO = N_("This appointment is a video call: you do not need to go anywhere.")
ROUTE_UNKNOWN = N_("The place is not known yet. Your consulent will tell you.")
ASK_HELP_ROUTE = N_("If you do not know the way, your maatschappelijk begeleider can help you.")
NO_LONGER = N_("This appointment is no longer planned.")
NONE_PLANNED = N_("You have no appointments planned.")
YOUR_APPOINTMENTS = N_("Your appointments:")
YOU_SAID_COMING = N_("You said: you will come.")
YOU_SAID_CANNOT = N_("You said: you cannot come.")
CALENDAR_FILE = N_("Add this appointment to your calendar")
REMINDER_IN_DAYS = NP_(
    "⏰ Reminder: your appointment is in {count} day.",
    "⏰ Reminder: your appointment is in {count} days.",
)
REMINDER_TOMORROW = N_("⏰ Reminder: your appointment is tomorrow.")
REMINDER_TODAY = N_("⏰ Reminder: your appointment is today.")
# Quiet hours: a reminder that would fall inside them goes this long before they start,
# so a busy minute of sending still ends before the night.
QUIET_MARGIN = timedelta(minutes=15)
# Two reminders closer than this say the same thing: only the earlier one is sent.
MIN_GAP = timedelta(minutes=30)


class AppointmentFacts(BaseModel):
    """What the conversation may know of one appointment: codes and Dutch data."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    starts_at: datetime
    ends_at: datetime
    mode: str = "in_person"
    place: str | None = None
    with_role: str = "consulent"
    with_name: str | None = None
    interpreter_lang: str | None = None
    active: bool = True  # planned or changed, and not over
    response: str | None = None
    interpreter_requested: bool = False


@dataclass(frozen=True)
class KindInfo:
    """From the municipality file: whether the law asks people to come, what to bring."""

    obligatory: bool = False
    bring: tuple[str, ...] = ()


_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def _time_of_day(value: Any) -> Any:
    """A time of day as people write it ("21:00", "8:00"), or a time (TOML has one)."""
    if isinstance(value, time):
        return value
    match = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f'not a time of day (HH:MM, like "21:00"): {value!r}')
    return time(int(match[1]), int(match[2]))


TimeOfDay = Annotated[time, BeforeValidator(_time_of_day)]


@validated_dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class QuietHours:
    """No reminders between `start` and `end`, local time (they may wrap past midnight).

    Validated where it is made, so the municipality file's ``[reminders.quiet_hours]``
    is read straight into it."""

    start: TimeOfDay = time(21, 0)
    end: TimeOfDay = time(8, 0)

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHours:
        if self.start == self.end:
            raise ValueError("start and end are the same time; quiet hours need a length")
        return self

    def contains(self, moment: time) -> bool:
        """Whether a local time of day falls within the quiet hours (start included,
        end excluded)."""
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class Scheduled:
    offset: timedelta
    due_at: datetime


@dataclass(frozen=True)
class AppointmentContext:
    """The municipality's side of appointments, passed to the engine and the worker."""

    kinds: Mapping[str, KindInfo] = field(default_factory=dict)
    roles: Mapping[str, RoleCard] = field(default_factory=dict)


# -- when ---------------------------------------------------------------------------


def before(start: datetime, offset: timedelta) -> datetime:
    """`offset` before `start`. Whole days are counted on the wall clock in Europe/
    Amsterdam — "7 days before a 10:00 talk" is 10:00, also across a DST change —
    hours and minutes as elapsed time."""
    if offset % timedelta(days=1):
        return start.astimezone(UTC) - offset  # in UTC: aware arithmetic in one zone is wall-clock
    local = start.astimezone(LOCAL_TZ).replace(tzinfo=None) - offset
    return local.replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=LOCAL_TZ).astimezone(UTC)


def earlier_if_quiet(due: datetime, quiet: QuietHours) -> datetime:
    """The latest moment at or before `due` outside the quiet hours (with a margin)."""
    local = due.astimezone(LOCAL_TZ)
    if not quiet.contains(local.time()):
        return due
    wraps = quiet.start > quiet.end
    day = local.date()
    if wraps and local.time() < quiet.end:
        day -= timedelta(days=1)  # the night began the evening before
    return _at(day, quiet.start) - QUIET_MARGIN


def later_if_quiet(moment: datetime, quiet: QuietHours) -> datetime:
    """The first moment at or after `moment` outside the quiet hours: for messages
    that are not tied to a time before the appointment (an invitation, a retry)."""
    local = moment.astimezone(LOCAL_TZ)
    if not quiet.contains(local.time()):
        return moment
    day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        day += timedelta(days=1)
    return _at(day, quiet.end)


def reminder_times(
    start: datetime, offsets: Sequence[timedelta], quiet: QuietHours, now: datetime
) -> list[Scheduled]:
    """When to remind of an appointment at `start`, earliest first.

    Reminders never fall in the quiet hours (they are moved earlier, never later),
    never lie in the past, and two that would come within `MIN_GAP` of each other
    are one.
    """
    chosen: list[Scheduled] = []
    for offset in sorted(set(offsets), reverse=True):
        due = earlier_if_quiet(before(start, offset), quiet)
        if due <= now or due >= start:
            continue
        if any(abs(due - other.due_at) < MIN_GAP for other in chosen):
            continue
        chosen.append(Scheduled(offset, due))
    return sorted(chosen, key=lambda s: s.due_at)


def notice_time(now: datetime, start: datetime, quiet: QuietHours) -> datetime:
    """When to send an invitation or a change made at `now`: at once, or after the
    quiet hours — unless that would be too late for the appointment itself."""
    later = later_if_quiet(now, quiet)
    return later if later < start - MIN_GAP else now


# -- facts ---------------------------------------------------------------------------


def who(facts: AppointmentFacts, roles: Mapping[str, RoleCard]) -> str:
    """Whom the appointment is with: the role's local title, and the name if given."""
    card = roles.get(facts.with_role)
    title = card.title if card else facts.with_role
    return f"{title} {facts.with_name}" if facts.with_name else title


def is_obligatory(facts: AppointmentFacts, ctx: AppointmentContext) -> bool:
    """Whether the law asks the person to come, as the municipality file says."""
    return ctx.kinds.get(facts.kind, KindInfo()).obligatory


def days_until(facts: AppointmentFacts, sent_at: datetime) -> int:
    """Dutch calendar days from `sent_at` to the appointment (0: today or past)."""
    return (facts.starts_at.astimezone(LOCAL_TZ).date() - sent_at.astimezone(LOCAL_TZ).date()).days


def map_link(address: str) -> str:
    """An OpenStreetMap search for the address: no account, no tracking by an app."""
    return f"https://www.openstreetmap.org/search?query={quote_plus(address)}"
