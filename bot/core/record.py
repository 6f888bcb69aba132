"""The case record: who the person is under the law and the dates the law's clock
runs on. One use case to set it (the dashboard and the CLI alike), audited as every
case change is, and one way to read its deadlines (`dates_for`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.export import CaseNotFound
from bot.municipality import Deadlines
from flows.i18n import LOCAL_TZ
from flows.record import LAW_START, TARGET_GROUPS, CaseDates, case_dates, pip_urgency
from storage import AuditRepository, Case, CaseRepository, Database

__all__ = [
    "InvalidRecord",
    "dates_for",
    "parse_day",
    "pip_flag",
    "set_case_record",
    "today",
    "validate",
]


class InvalidRecord(ValueError):
    """A value of the record the law cannot have. `field` names the field, `problem` is
    a stable code (the dashboard says it in Dutch): "not_a_date", "future",
    "before_law", "unknown_group", "pip_before_registration"."""

    def __init__(self, field: str, problem: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Record:
    target_group: str | None
    registered_on: date | None
    pip_decided_on: date | None


def today(now: datetime) -> date:
    """The day it is in the Netherlands (a date entered by a consulent is a Dutch day)."""
    return now.astimezone(LOCAL_TZ).date()


def parse_day(field: str, text: str | None) -> date | None:
    """YYYY-MM-DD, or nothing for an empty field; `InvalidRecord` for anything else."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidRecord(
            field, "not_a_date", f"{field}: not a date: {text.strip()[:20]!r} (use YYYY-MM-DD)"
        ) from None


def _check_day(field: str, day: date | None, now: datetime) -> None:
    if day is None:
        return
    if day > today(now):
        raise InvalidRecord(field, "future", f"{field}: {day} is in the future")
    # Before 2022 the old law applied: no PIP, no term under the Wet inburgering 2021,
    # so such a date is a typing error or a case Wegwijs does not handle.
    if day < LAW_START:
        raise InvalidRecord(
            field,
            "before_law",
            f"{field}: {day} is before {LAW_START}, when the Wet inburgering 2021 started",
        )


def validate(
    target_group: str | None,
    registered_on: date | None,
    pip_decided_on: date | None,
    *,
    now: datetime,
) -> Record:
    """The record checked: a known target group (or none), dates that are not in the
    future nor before the law, and a PIP that does not precede the registration."""
    group = target_group.strip() if target_group else None
    if group and group not in TARGET_GROUPS:
        raise InvalidRecord(
            "group",
            "unknown_group",
            f"group: unknown target group {group[:30]!r} (one of {', '.join(TARGET_GROUPS)})",
        )
    _check_day("registered", registered_on, now)
    _check_day("pip", pip_decided_on, now)
    if registered_on and pip_decided_on and pip_decided_on < registered_on:
        raise InvalidRecord(
            "pip",
            "pip_before_registration",
            f"pip: {pip_decided_on} is before the registration ({registered_on})",
        )
    return Record(group or None, registered_on, pip_decided_on)


async def set_case_record(
    db: Database,
    case_id: str,
    *,
    target_group: str | None,
    registered_on: date | None,
    pip_decided_on: date | None,
    actor: str,
    now: datetime,
) -> Case:
    """Set the record (checked by `validate`: `InvalidRecord`), audited as
    `case.record`. `CaseNotFound` when there is no such case."""
    record = validate(target_group, registered_on, pip_decided_on, now=now)
    async with db.session() as session, session.begin():
        cases = CaseRepository(session)
        case = await cases.get(case_id)
        if case is None:
            raise CaseNotFound(case_id)
        await cases.set_record(
            case,
            target_group=record.target_group,
            registered_on=record.registered_on,
            pip_decided_on=record.pip_decided_on,
            now=now,
        )
        await AuditRepository(session).record(
            actor=actor, action="case.record", target=case.id, at=now
        )
        return case


def dates_for(case: Case, deadlines: Deadlines) -> CaseDates:
    """The case's PIP deadline and term, with the municipality's figures."""
    return case_dates(
        case.registered_on,
        case.pip_decided_on,
        pip_weeks=deadlines.pip_weeks,
        term_years=deadlines.term_years,
        target_group=case.target_group,
    )


def pip_flag(case: Case, deadlines: Deadlines, now: datetime) -> str | None:
    """"past" or "near" when the case's PIP deadline needs a look (`pip_urgency`)."""
    return pip_urgency(dates_for(case, deadlines), today(now), near_days=deadlines.pip_near_days)
