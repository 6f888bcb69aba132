"""The use cases on a case, once, for the dashboard and the CLI alike: find by invite
code or id, create, label, assign, new invite, close, erase, export, the deep link.

Each change is written to the audit log in the transaction that makes it, by `actor`
(a dashboard username, or "cli"). An erasure is audited by `record_erasure`, as
`/delete` and the retention purge are: no case id, counts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.core.erasure import record_erasure
from bot.core.export import CaseNotFound, build_export
from bot.core.record import validate
from bot.core.text import LABEL_MAX, clean_field
from bot.municipality import Deadlines
from flows.i18n import Renderer
from flows.languages import DUTCH, LANGUAGES
from flows.model import Flow
from storage import (
    AnswerRepository,
    AppointmentRepository,
    AuditRepository,
    Case,
    CaseRepository,
    Database,
    EraseRepository,
    ErasureResult,
    PersonRequestRepository,
    Session,
    UserRepository,
)

__all__ = [
    "CaseNotFound",
    "Closed",
    "UnknownUser",
    "assign_case",
    "close_case",
    "create_case",
    "deep_link",
    "erase_case",
    "export_case",
    "find_case",
    "get_case",
    "label_case",
    "new_invite",
    "read_export",
    "unbind_browsers",
]


class UnknownUser(LookupError):
    """No dashboard user by that name (to assign a case to)."""


@dataclass(frozen=True)
class Closed:
    case: Case
    closed_at: datetime
    was_closed: bool  # it was closed already: nothing changed, nothing audited


def deep_link(bot_username: str | None, code: str) -> str | None:
    """The Telegram link that opens the bot with the invite code (none without a bot)."""
    if not bot_username:
        return None
    return f"https://t.me/{bot_username.lstrip('@')}?start={code.replace('-', '')}"


async def find_case(session: Session, key: str) -> Case | None:
    """A case by what a person types: its invite code (any case, dashes or spaces), else
    its id. The one order used everywhere."""
    cases = CaseRepository(session)
    return await cases.by_code(key) or await cases.get(key.strip())


async def get_case(db: Database, key: str) -> Case:
    """`find_case` in its own read; `CaseNotFound` when there is none."""
    async with db.session(readonly=True) as session:
        case = await find_case(session, key)
    if case is None:
        raise CaseNotFound(key)
    return case


async def _audit(
    session: Session,
    actor: str,
    action: str,
    target: str | None,
    at: datetime,
    detail: str | None = None,
) -> None:
    await AuditRepository(session).record(
        actor=actor, action=action, target=target, at=at, detail=detail
    )


async def _locked(session: Session, case_id: str) -> Case:
    case = await CaseRepository(session).get(case_id)
    if case is None:
        raise CaseNotFound(case_id)
    return case


async def create_case(
    db: Database,
    *,
    actor: str,
    now: datetime,
    label: str | None = None,
    language: str | None = None,
    consulent: str | None = None,
    target_group: str | None = None,
    registered_on: date | None = None,
) -> Case:
    """A new case with a fresh invite code; the label cleaned (`TextTooLong` over 80);
    the record, if given, checked as `set_case_record` checks it (`InvalidRecord`)."""
    label = clean_field(label, field="label", limit=LABEL_MAX)
    record = validate(target_group, registered_on, None, now=now)
    async with db.session() as session, session.begin():
        cases = CaseRepository(session)
        case = await cases.create(
            now=now,
            label=label,
            language=language if language in LANGUAGES else None,
            consulent=consulent,
        )
        if record.target_group or record.registered_on:
            await cases.set_record(
                case,
                target_group=record.target_group,
                registered_on=record.registered_on,
                pip_decided_on=None,
                now=now,
            )
        await _audit(session, actor, "case.create", case.id, now)
        return case


async def label_case(
    db: Database, case_id: str, label: str | None, *, actor: str, now: datetime
) -> None:
    """The consulent's own name for the case, cleaned (`TextTooLong` over 80)."""
    label = clean_field(label, field="label", limit=LABEL_MAX)
    async with db.session() as session, session.begin():
        case = await _locked(session, case_id)
        await CaseRepository(session).set_label(case, label, now)
        await _audit(session, actor, "case.label", case.id, now)


async def assign_case(
    db: Database, case_id: str, username: str, *, actor: str, now: datetime
) -> str:
    """Give the case to another dashboard user; their canonical name. `UnknownUser`."""
    async with db.session() as session, session.begin():
        user = await UserRepository(session).by_username(username)
        if user is None:
            raise UnknownUser(username)
        case = await _locked(session, case_id)
        await CaseRepository(session).assign(case, user.username, now)
        await _audit(session, actor, "case.assign", case.id, now, f"to {user.username}")
        return user.username


async def new_invite(db: Database, case_id: str, *, actor: str, now: datetime) -> str:
    """A fresh invite code (the old one stops working at once)."""
    async with db.session() as session, session.begin():
        case = await _locked(session, case_id)
        code = await CaseRepository(session).reissue_invite(case, now)
        await _audit(session, actor, "case.invite", case.id, now)
        return code


async def unbind_browsers(db: Database, case_id: str, *, actor: str, now: datetime) -> None:
    """Every browser bound to the case's web chat is refused from now on (its cookie
    carries an older binding version); the conversation and answers stay."""
    async with db.session() as session, session.begin():
        case = await _locked(session, case_id)
        await CaseRepository(session).unbind_browsers(case.id, now)
        await _audit(session, actor, "case.unbind", case.id, now)


async def close_case(db: Database, case_id: str, *, actor: str, now: datetime) -> Closed:
    """Close the case (the inburgering ended; retention counts from here). Closing a
    closed case keeps its first date and writes nothing."""
    async with db.session() as session, session.begin():
        case = await _locked(session, case_id)
        was_closed = case.status == "closed" and case.closed_at is not None
        await CaseRepository(session).close(case, now)
        if not was_closed:
            await _audit(session, actor, "case.close", case.id, now)
        return Closed(case, case.closed_at or now, was_closed)


async def erase_case(
    db: Database, case_id: str, *, actor: str, now: datetime, reason: str = "erased by staff"
) -> ErasureResult:
    """Erase the case with everything of it. Audited like `/delete` and the retention
    purge (`record_erasure`): no case id, counts only."""
    async with db.session() as session, session.begin():
        result = await EraseRepository(session).erase_case(case_id)
        await record_erasure(session, result, actor=actor, reason=reason, at=now)
        return result


async def read_export(
    session: Session,
    case: Case,
    flow: Flow,
    renderer: Renderer,
    lang: str,
    deadlines: Deadlines | None,
) -> dict[str, Any]:
    """The case for the dossier, read in `session` (`export_case`, and /mydata's file)."""
    rows = await AnswerRepository(session).all(case.id)
    requests = await PersonRequestRepository(session).open_for_case(case.id)
    appointments = await AppointmentRepository(session).for_case(case.id)
    return build_export(
        case,
        rows,
        flow,
        renderer,
        lang,
        requests=requests,
        appointments=appointments,
        deadlines=deadlines,
    )


async def export_case(
    db: Database,
    flow: Flow,
    renderer: Renderer,
    key: str,
    *,
    actor: str,
    now: datetime,
    detail: str | None = None,
    lang: str = DUTCH,
    deadlines: Deadlines | None = None,
) -> tuple[Case, dict[str, Any]]:
    """The case for the dossier (the case record, answers, history, open requests,
    appointments), by invite code or id, audited as `case.export` with `detail` (the
    format). `deadlines`: the municipality's figures for the PIP deadline and the term.
    `CaseNotFound` when there is no such case."""
    async with db.session(readonly=True) as session:
        case = await find_case(session, key)
        if case is None:
            raise CaseNotFound(key)
        data = await read_export(session, case, flow, renderer, lang, deadlines)
    async with db.session() as session, session.begin():
        await _audit(session, actor, "case.export", case.id, now, detail)
    return case, data
