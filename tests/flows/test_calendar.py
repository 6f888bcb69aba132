"""`flows/calendar.py`: the calendar file of an appointment (from
test_appointment_messages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from flows.calendar import appointment_ics
from tests.flows.helpers import APPOINTMENT as FACTS
from tests.flows.helpers import APPOINTMENT_START as START
from tests.flows.helpers import NOW

# -- the calendar file ---------------------------------------------------------------------


def test_the_calendar_file_has_the_local_time_zone_and_a_stable_uid() -> None:
    raw = appointment_ics(
        FACTS, summary="Brede intake", description="Met: consulent", sequence=3, stamp=NOW
    )
    calendar = Calendar.from_ical(raw)
    assert str(calendar["method"]) == "PUBLISH"
    assert [c["tzid"] for c in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == "appointment-7@wegwijs.invalid"
    assert event["sequence"] == 3
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("dtstart") == START
    assert event.decoded("dtend") == START + timedelta(minutes=90)
    assert str(event["location"]) == "Bogaardplein 15, 2284 DP Rijswijk"
    assert b"DTSTART;TZID=Europe/Amsterdam:20261214T100000" in raw


def test_a_cancelled_calendar_file_cancels_the_same_event() -> None:
    raw = appointment_ics(FACTS, summary="x", description="", sequence=4, stamp=NOW, cancelled=True)
    calendar = Calendar.from_ical(raw)
    assert str(calendar["method"]) == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == "appointment-7@wegwijs.invalid"


def test_a_summer_appointment_is_in_summer_time() -> None:
    summer = FACTS.model_copy(
        update={
            "starts_at": datetime(2026, 7, 6, 8, 0, tzinfo=UTC),
            "ends_at": datetime(2026, 7, 6, 9, 0, tzinfo=UTC),
        }
    )
    raw = appointment_ics(summer, summary="x", description="", sequence=0, stamp=NOW)
    assert b"DTSTART;TZID=Europe/Amsterdam:20260706T100000" in raw
