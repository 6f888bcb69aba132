"""The calendar file (.ics) sent with an invitation, a change or a cancellation.

One stable UID per appointment and a rising SEQUENCE, so a phone's calendar updates the
event it already has instead of adding a second one; a cancellation is METHOD:CANCEL.
Times carry TZID Europe/Amsterdam with its VTIMEZONE, so they stay right across DST.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flows.appointments import AppointmentFacts
from flows.i18n import LOCAL_TZ

PRODID = "-//Wegwijs//appointments//NL"
UID_DOMAIN = "wegwijs.invalid"  # never resolved: only makes the UID globally unique


def appointment_ics(
    facts: AppointmentFacts,
    *,
    summary: str,
    description: str,
    sequence: int,
    stamp: datetime,
    cancelled: bool = False,
) -> bytes:
    # Imported here: icalendar is some 3 MB resident, and most runs send no invitation.
    from icalendar import Calendar, Event, Timezone

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(Timezone.from_tzid(LOCAL_TZ.key))
    event = Event()
    event.add("uid", f"appointment-{facts.id}@{UID_DOMAIN}")
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", facts.starts_at.astimezone(LOCAL_TZ))
    event.add("dtend", facts.ends_at.astimezone(LOCAL_TZ))
    event.add("summary", summary)
    event.add("description", description)
    if facts.mode == "in_person" and facts.place:
        event.add("location", facts.place)
    elif facts.mode == "video" and facts.place and facts.place.startswith("https://"):
        event.add("url", facts.place)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
