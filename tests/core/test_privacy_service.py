"""The person's data rights through the service, on SQLite and PostgreSQL: a refused
consent keeps no answer, /delete is audited without personal data, /mydata holds
everything (appointments too), decrypted."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select

from bot.core.service import Attach, Inbound, Service
from flows.callbacks import ChooseLanguage, ConfirmErase, ConsentChoice
from flows.engine import Context, Engine
from flows.events import Event
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.journey import LAW
from storage import (
    Answer,
    Appointment,
    AuditRepository,
    Case,
    CaseRepository,
    Database,
    PersonRequestRepository,
)
from storage.crypto import KeyRing
from tests.clock import NOW, Clock
from tests.conftest import TestDatabase
from tests.flows.helpers import press

CHAT = 8_000_000_001
TYPED = "Aramees en een beetje Koerdisch"


@pytest.fixture
async def keyed_db(database_url: TestDatabase) -> AsyncIterator[Database]:
    database = Database(database_url.url, schema=database_url.schema, key_ring=KeyRing("k" * 32))
    yield database
    await database.dispose()


def make_service(db: Database, version: str = "1-r12") -> Service:
    renderer = Renderer({})
    engine = Engine(INTAKE, Context("Rijswijk", consent_version=version), renderer.text)
    return Service(db, engine, renderer, Clock(tick=timedelta(seconds=1)))


async def send(service: Service, event: Event) -> str:
    replies = await service.handle(Inbound("telegram", CHAT, event))
    return "\n".join(r.text for r in replies)


async def my_data(service: Service) -> dict:
    replies = await service.handle(Inbound("telegram", CHAT, Event.cmd("mydata")))
    documents = [r.document for r in replies if r.document is not None]
    assert len(documents) == 1
    return json.loads(documents[0].content)


async def answered(service: Service) -> Case:
    """A linked chat that agreed and answered two questions, one of them in its own words."""
    case = await service.create_case()
    assert await service.attach("telegram", CHAT, case.invite_code) is Attach.OK
    await send(service, press(ChooseLanguage("en")))
    await send(service, press(ConsentChoice("yes")))
    await send(service, Event.say("1, 12"))  # Arabic and another language
    await send(service, Event.say(TYPED))  # which other language
    return case


async def answers_of(db: Database, case_id: str) -> list[Answer]:
    async with db.session() as s:
        return list((await s.exec(select(Answer).where(Answer.case_id == case_id))).all())


async def audit(db: Database) -> list[tuple[str, str, str | None, str | None]]:
    """What the person's own actions wrote (the test's setup creating the case aside)."""
    async with db.session(readonly=True) as s:
        entries = await AuditRepository(s).list()
    return [(e.actor, e.action, e.target, e.detail) for e in entries if e.action != "case.create"]


async def test_refusing_a_new_consent_version_erases_the_answers(keyed_db: Database) -> None:
    case = await answered(make_service(keyed_db))
    assert len(await answers_of(keyed_db, case.id)) == 2

    changed = make_service(keyed_db, version="1-r24")  # the retention period changed
    text = await send(changed, Event.say("anything"))
    assert "We have changed how we handle your answers" in text
    assert len(await answers_of(keyed_db, case.id)) == 2  # nothing taken before the answer
    assert "We do not store any answers" in await send(changed, press(ConsentChoice("no")))

    assert await answers_of(keyed_db, case.id) == []
    async with keyed_db.session() as s:
        stored = await CaseRepository(s).get(case.id)
    assert stored is not None and stored.consent_version is None
    assert stored.intake_submitted_at is None and stored.language == "en"
    assert await audit(keyed_db) == [
        (
            "person",
            "answers.erase",
            None,
            "consent refused: 0 case(s), 0 account(s), 2 answer(s), 0 request(s)",
        )
    ]
    data = await my_data(changed)
    assert data["answers"] == [] and data["history"] == []
    assert data["case"]["consent_version"] is None


async def test_delete_is_audited_with_counts_only(keyed_db: Database) -> None:
    service = make_service(keyed_db)
    case = await answered(service)
    await send(service, Event.cmd("delete"))
    assert "Everything is erased" in await send(service, press(ConfirmErase(True)))
    entries = await audit(keyed_db)
    assert entries == [
        (
            "person",
            "case.erase",
            None,
            "/delete: 1 case(s), 1 account(s), 2 answer(s), 0 request(s)",
        )
    ]
    flat = json.dumps(entries)
    for personal in (case.id, case.invite_code, TYPED, str(CHAT)):
        assert personal not in flat


async def test_declining_without_answers_records_nothing(keyed_db: Database) -> None:
    service = make_service(keyed_db)
    case = await service.create_case()
    assert await service.attach("telegram", CHAT, case.invite_code) is Attach.OK
    await send(service, press(ChooseLanguage("en")))
    await send(service, press(ConsentChoice("no")))
    assert await audit(keyed_db) == []


async def test_my_data_holds_answers_decrypted_and_appointments_with_responses(
    keyed_db: Database,
) -> None:
    service = make_service(keyed_db)
    case = await answered(service)
    async with keyed_db.session() as s, s.begin():
        s.add(
            Appointment(
                case_id=case.id,
                kind="brede_intake",
                starts_at=NOW + timedelta(days=3),
                ends_at=NOW + timedelta(days=3, hours=1),
                place="Stadhuis, Bogaardplein 15",
                interpreter_lang="ar",
                notes="tolk geregeld",
                response="cannot_come",
                response_reason="childcare",
                responded_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    await send(service, Event.cmd("person"))
    async with keyed_db.session() as s, s.begin():
        [request] = await PersonRequestRepository(s).open_for_case(case.id)
        assert request.id is not None
        await PersonRequestRepository(s).mark_handled(request.id, "anna", NOW)
    data = await my_data(service)
    assert data["open_requests"] == []
    assert [(r["topic"], r["handled_at"]) for r in data["requests"]] == [(None, NOW.isoformat())]
    texts = [a["text"] for a in data["answers"] if a["text"]]
    assert texts == [TYPED]
    assert data["case"]["language"] == "en" and data["case"]["consent_version"] == "1-r12"
    [appointment] = data["appointments"]
    assert appointment["kind"] == "brede_intake"
    assert appointment["kind_label"].startswith("Brede intake")
    assert appointment["response"] == "cannot_come"
    assert appointment["response_reason_label"] == "No one can look after my children"
    assert appointment["notes"] == "tolk geregeld"
    assert appointment["starts_at"] == (NOW + timedelta(days=3)).isoformat()


async def test_my_data_dates_the_case_record_with_the_municipalitys_own_figures(
    keyed_db: Database,
) -> None:
    renderer = Renderer({})
    journey = replace(LAW, pip_weeks=8, term_years=2)
    context = Context("Rijswijk", consent_version="1-r12", journey=journey)
    service = Service(keyed_db, Engine(INTAKE, context, renderer.text), renderer, Clock())
    case = await answered(service)
    async with keyed_db.session() as s, s.begin():
        row = await CaseRepository(s).get(case.id)
        assert row is not None
        row.registered_on = date(2026, 9, 1)
        row.pip_decided_on = date(2026, 10, 1)
        s.add(row)
    record = (await my_data(service))["case"]
    assert record["pip_deadline"] == "2026-10-27"  # 8 weeks, not the law's 10
    assert record["term_end"] == "2028-10-01"  # 2 years from the PIP, not 3
