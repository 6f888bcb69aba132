"""What a step asks the service to change besides answers: applied in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows.state import AnswerValue


@dataclass(frozen=True)
class AnswerRecord:
    question_id: str
    value: AnswerValue | None  # None: the answer no longer applies (retracted)
    at: datetime


@dataclass(frozen=True)
class SetLanguage:
    lang: str


@dataclass(frozen=True)
class Consent:
    version: str
    given: bool
    at: datetime


@dataclass(frozen=True)
class Submitted:
    at: datetime


@dataclass(frozen=True)
class Erase:
    """Erase the person: the case with everything in it, the chat account, the state."""

    at: datetime


@dataclass(frozen=True)
class SendMyData:
    """Send the person a file with everything stored about them."""


@dataclass(frozen=True)
class RequestPerson:
    at: datetime
    topic: str | None = None  # a topic code from "Who do I ask about …?"


@dataclass(frozen=True)
class AppointmentResponse:
    """The person answered an invitation or reminder; only what is given changes."""

    appointment_id: int
    at: datetime
    response: str | None = None  # coming | cannot_come
    reason: str | None = None  # ill | work | childcare | other
    interpreter: bool = False  # asked for an interpreter


Effect = (
    SetLanguage | Consent | Submitted | Erase | SendMyData | RequestPerson | AppointmentResponse
)
