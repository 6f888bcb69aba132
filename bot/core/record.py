"""The case record: who the person is under the law, the dates the law's clock runs on,
and the outcome of the brede intake (the leerbaarheidstoets's advice, the route, ontzorgen).
One use case to set it (the dashboard and the CLI alike), audited as every case change
is; its deadlines are read with `bot.core.dates`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from bot.core.dates import Figures, dates_for, pip_flag, today
from bot.core.export import CaseNotFound
from flows.record import LAW_START, ROUTES, TARGET_GROUPS, WITHOUT_ONTZORGEN
from storage import AuditRepository, Case, CaseRepository, Database, Session

__all__ = [
    "Figures",
    "InvalidRecord",
    "Record",
    "dates_for",
    "parse_day",
    "pip_flag",
    "record_of",
    "save_record",
    "set_case_record",
    "today",
    "validate",
]


class InvalidRecord(ValueError):
    """A value of the record the law cannot have. `field` names the field, `problem` is
    a stable code (the dashboard says it in Dutch): "not_a_date", "future",
    "before_law", "unknown_group", "pip_before_registration", "unknown_route",
    "ontzorgen_not_for_group", "end_before_start", "end_without_start"."""

    def __init__(self, field: str, problem: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Record:
    """What the consulent enters: every field, None where not known (yet)."""

    target_group: str | None = None
    registered_on: date | None = None
    pip_decided_on: date | None = None
    toets_advice: str | None = None  # a route code: what the leerbaarheidstoets advises
    route: str | None = None  # a route code: what the PIP chose
    ontzorgen_from: date | None = None
    ontzorgen_until: date | None = None  # only when the PIP sets an end


def record_of(case: Case) -> Record:
    """The case's record as stored (the CLI changes only what it is given)."""
    return Record(**{name: getattr(case, name) for name in Record.__dataclass_fields__})


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


def _code(field: str, value: str | None, allowed: tuple[str, ...], problem: str) -> str | None:
    code = value.strip() if value else None
    if code and code not in allowed:
        raise InvalidRecord(
            field, problem, f"{field}: unknown {code[:30]!r} (one of {', '.join(allowed)})"
        )
    return code or None


def validate(record: Record, *, now: datetime) -> Record:
    """The record checked: known codes (or none), past dates that are not before the law,
    a PIP that does not precede the registration, and ontzorgen only where it applies
    (not for a gezinsmigrant), its end after its start. Ontzorgen's end may lie ahead."""
    group = _code("group", record.target_group, TARGET_GROUPS, "unknown_group")
    toets = _code("toets", record.toets_advice, ROUTES, "unknown_route")
    route = _code("route", record.route, ROUTES, "unknown_route")
    registered_on, pip_decided_on = record.registered_on, record.pip_decided_on
    _check_day("registered", registered_on, now)
    _check_day("pip", pip_decided_on, now)
    if registered_on and pip_decided_on and pip_decided_on < registered_on:
        raise InvalidRecord(
            "pip",
            "pip_before_registration",
            f"pip: {pip_decided_on} is before the registration ({registered_on})",
        )
    start, end = record.ontzorgen_from, record.ontzorgen_until
    if (start or end) and group in WITHOUT_ONTZORGEN:
        raise InvalidRecord(
            "ontzorgen",
            "ontzorgen_not_for_group",
            f"ontzorgen: not part of a {group}'s PIP (the Participatiewet does not apply)",
        )
    _check_day("ontzorgen", start, now)
    if end is not None and start is None:
        raise InvalidRecord(
            "ontzorgen_until", "end_without_start", "ontzorgen_until: given without a start"
        )
    if start and end and end <= start:
        raise InvalidRecord(
            "ontzorgen_until",
            "end_before_start",
            f"ontzorgen_until: {end} is not after the start ({start})",
        )
    return replace(record, target_group=group, toets_advice=toets, route=route)


async def set_case_record(
    db: Database, case_id: str, record: Record, *, actor: str, now: datetime
) -> Case:
    """Set the whole record (the dashboard's form), checked by `validate`
    (`InvalidRecord`), audited as `case.record`. `CaseNotFound` when there is no such
    case."""
    return await save_record(db, case_id, lambda _case: record, actor=actor, now=now)


async def save_record(
    db: Database,
    key: str,
    make: Callable[[Case], Record],
    *,
    actor: str,
    now: datetime,
    find: Callable[[Session, str], Awaitable[Case | None]] | None = None,
) -> Case:
    """The record `make` builds from the stored case, checked and saved in one
    transaction, audited as `case.record`. `find` looks the case up (default: by id)."""
    async with db.session() as session, session.begin():
        cases = CaseRepository(session)
        case = await (find(session, key) if find else cases.get(key))
        if case is None:
            raise CaseNotFound(key)
        record = validate(make(case), now=now)
        await cases.set_record(case, **asdict(record), now=now)
        await AuditRepository(session).record(
            actor=actor, action="case.record", target=case.id, at=now
        )
        return case
