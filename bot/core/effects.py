"""How each effect of a step is stored: one handler an effect class (`EFFECTS`), as the
engine routes presses by payload class. The service applies them in the step's order,
in the step's transaction; erasing is not in the table, as it replaces every other
write of the step (`Service._save`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.cases import read_export
from bot.core.erasure import record_erasure
from bot.municipality import Deadlines
from flows.context import Context
from flows.effects import (
    AppointmentResponse,
    Consent,
    RequestPerson,
    SendMyData,
    SetLanguage,
    Submitted,
)
from flows.i18n import Document, Renderer
from flows.model import Flow
from storage import (
    ACTIVE_STATUSES,
    AccountRepository,
    AppointmentRepository,
    Case,
    CaseRepository,
    ChannelAccount,
    EraseRepository,
    PersonRequestRepository,
    Session,
    WebChatRepository,
)

__all__ = ["CHANGES_ROWS", "EFFECTS", "Saving"]

log = logging.getLogger(__name__)

# Effects that change the account or the case row (the other writes need only ids).
CHANGES_ROWS = (SetLanguage, Consent, Submitted, SendMyData)


@dataclass(frozen=True)
class Saving:
    """What every handler may need: the transaction, whose step it is, and (for the
    /mydata file) the flow, the deployment and the renderer."""

    session: Session
    account: Any  # AccountRow | ChannelAccount: the session's object when CHANGES_ROWS
    case: Any  # CaseRow | Case | None, likewise
    now: datetime
    lang: str | None
    flow: Flow
    context: Context
    renderer: Renderer


Handler = Callable[[Saving, Any], Awaitable[Document | None]]


async def set_language(saving: Saving, effect: SetLanguage) -> None:
    await AccountRepository(saving.session).set_language(saving.account, effect.lang, saving.now)
    if saving.case is not None:
        await CaseRepository(saving.session).set_language(saving.case, effect.lang, saving.now)


async def consent(saving: Saving, effect: Consent) -> None:
    case, now = saving.case, saving.now
    if case is None:
        return
    cases = CaseRepository(saving.session)
    if effect.given:
        await cases.set_consent(case, effect.version, effect.at, now)
        return
    await cases.set_consent(case, None, None, now)
    # No consent, no answers: answers given under an earlier consent go, and with them
    # the sending to the consulent ("We do not store any answers").
    result = await EraseRepository(saving.session).erase_answers(case.id)
    await cases.set_submitted(case, None, now)
    await record_erasure(
        saving.session,
        result,
        actor="person",
        reason="consent refused",
        at=now,
        action="answers.erase",
    )


async def submitted(saving: Saving, effect: Submitted) -> None:
    if saving.case is not None:
        await CaseRepository(saving.session).set_submitted(saving.case, effect.at, saving.now)


async def request_person(saving: Saving, effect: RequestPerson) -> None:
    if saving.case is not None:
        await PersonRequestRepository(saving.session).create(
            saving.case.id, saving.account.channel, topic=effect.topic, now=effect.at
        )


async def respond(saving: Saving, effect: AppointmentResponse) -> None:
    """Record the person's answer on the appointment, if it is still theirs and on."""
    if saving.case is None:
        return
    appointment = await AppointmentRepository(saving.session).get(effect.appointment_id, lock=True)
    if appointment is None or appointment.case_id != saving.case.id:
        log.warning("a response for an appointment not of this case was dropped")
        return
    if appointment.status not in ACTIVE_STATUSES:
        return  # cancelled or over between loading and now: nothing to answer
    if effect.response is not None:
        appointment.response = effect.response
        cannot = effect.response == "cannot_come"
        appointment.response_reason = effect.reason if cannot else None
    if effect.interpreter:
        appointment.interpreter_requested = True
    appointment.responded_at = effect.at
    appointment.updated_at = effect.at
    saving.session.add(appointment)


async def my_data(saving: Saving, effect: SendMyData) -> Document:
    """Everything stored about the person, labelled in their language (GDPR art. 15)."""
    session, account, case = saving.session, saving.account, saving.case
    data: dict[str, object] = {"account": _account(account)}
    if case is not None:
        data.update(await _case(saving, case))
    if account.channel == "web" and account.id is not None:
        # The web chat keeps the newest lines of the conversation: stored, so listed
        # (the files asked for before are not repeated in it).
        lines = await WebChatRepository(session).lines(account.id)
        data["web_chat"] = [
            {"at": line.at.isoformat(), "from": line.sender, "text": line.text} for line in lines
        ]
    content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return Document("wegwijs-my-data.json", content)


def _account(account: ChannelAccount) -> dict[str, object]:
    return {
        "channel": account.channel,
        "language": account.language,
        "created_at": account.created_at.isoformat(),
    }


async def _case(saving: Saving, case: Case) -> dict[str, object]:
    session = saving.session
    # The municipality's figures, as on the dashboard and in /route.
    journey = saving.context.journey
    deadlines = Deadlines(pip_weeks=journey.pip_weeks, term_years=journey.term_years)
    data = await read_export(
        session, case, saving.flow, saving.renderer, saving.lang or "en", deadlines
    )
    data["requests"] = [  # handled ones too: everything stored (GDPR art. 15)
        {
            "topic": r.topic,
            "requested_at": r.requested_at.isoformat(),
            "handled_at": r.handled_at.isoformat() if r.handled_at else None,
        }
        for r in await PersonRequestRepository(session).for_case(case.id)
    ]
    return data


EFFECTS: Mapping[type, Handler] = {
    SetLanguage: set_language,
    Consent: consent,
    Submitted: submitted,
    RequestPerson: request_person,
    AppointmentResponse: respond,
    SendMyData: my_data,
}
