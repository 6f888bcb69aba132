"""The one path of a message, against real storage (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from bot.core.cases import close_case
from bot.core.service import Attach, Inbound, Service
from flows import texts
from flows.callbacks import (
    ChooseLanguage,
    ConsentChoice,
    DoneChoosing,
    GoBack,
    PickOption,
    SkipQuestion,
    ToggleOption,
)
from flows.engine import Context, Engine, Step
from flows.events import Event
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.state import State
from storage import Answer, Case, CaseRepository, ChannelAccount, Conversation, Database
from tests.clock import NOW, Clock
from tests.flows.helpers import press

CHAT = 8_000_000_001  # beyond 32 bits, like real Telegram ids


def make_service(db: Database, clock: Clock | None = None) -> Service:
    """A service whose clock moves a second at each reading (rows get distinct times)."""
    renderer = Renderer({})
    engine = Engine(INTAKE, Context("Rijswijk", consent_version="1-r12"), renderer.text)
    return Service(db, engine, renderer, clock or Clock(tick=timedelta(seconds=1)))


async def send(service: Service, event: Event, chat: int = CHAT, update_id: int | None = None):
    return await service.handle(Inbound("telegram", chat, event, update_id))


async def new_case(service: Service) -> Case:
    case = await service.create_case()
    assert await service.attach("telegram", CHAT, case.invite_code) is Attach.OK
    return case


async def consented(service: Service) -> Case:
    case = await new_case(service)
    await send(service, press(ChooseLanguage("en")))
    await send(service, press(ConsentChoice("yes")))
    return case


async def current_answers(db: Database, case_id: str) -> dict[str, Answer]:
    async with db.session() as session:
        rows = (await session.exec(select(Answer).where(Answer.case_id == case_id))).all()
    return {r.question_id: r for r in rows if r.superseded_at is None and not r.retracted}


async def test_answers_are_stored_with_the_case(db: Database) -> None:
    service = make_service(db)
    case = await consented(service)
    await send(service, Event.say("1, 3"))  # Arabic, Farsi / Dari
    await send(service, press(PickOption("language.persian", "dari")))  # after Farsi / Dari
    await send(service, press(PickOption("language.interpreter", "yes")))
    answers = await current_answers(db, case.id)
    assert answers["language.spoken"].codes == ["ar", "fa"]
    assert answers["language.persian"].codes == ["dari"]
    assert answers["language.interpreter"].codes == ["yes"]


async def test_an_interrupted_conversation_resumes_at_the_first_unanswered_question(
    db: Database,
) -> None:
    case = await consented(make_service(db))
    first = make_service(db)
    await send(first, Event.say("1"))  # toggles Arabic (a button number in a MULTI)
    await send(first, press(DoneChoosing("language.spoken")))
    await send(first, press(PickOption("language.interpreter", "no")))

    restarted = make_service(db)  # a new process: nothing in memory
    replies = await send(restarted, Event.start())
    text = "\n".join(r.text for r in replies)
    assert "Welcome back" in text
    assert "Can you read and write in your own language?" in text

    # Another chat of the same case (a second console run) continues at the same place.
    other = 42
    assert await restarted.attach("console", other, case.invite_code, consume=False) is Attach.OK
    replies = await restarted.handle(Inbound("console", other, Event.start()))
    assert "Can you read and write in your own language?" in replies[-1].text


async def test_a_redelivered_update_is_processed_once(db: Database) -> None:
    service = make_service(db)
    case = await consented(service)
    first = await send(service, Event.say("1, 2"), update_id=77)
    again = await send(service, Event.say("1, 2"), update_id=77)
    assert first and again == []
    async with db.session() as session:
        rows = (await session.exec(select(Answer).where(Answer.case_id == case.id))).all()
    assert len(rows) == 1


async def test_a_changed_answer_keeps_its_history(db: Database) -> None:
    service = make_service(db)
    case = await consented(service)
    await send(service, Event.say("1"))
    await send(service, press(DoneChoosing("language.spoken")))
    await send(service, press(GoBack("language.interpreter")))
    await send(service, Event.say("2, 3"))
    async with db.session() as session:
        rows = (
            await session.exec(
                select(Answer).where(Answer.question_id == "language.spoken").order_by(Answer.id)
            )
        ).all()
    assert [r.codes for r in rows] == [["ar"], ["ti", "fa"]]
    assert rows[0].superseded_at is not None and rows[1].superseded_at is None
    assert (await current_answers(db, case.id))["language.spoken"].codes == ["ti", "fa"]


async def test_nothing_is_stored_without_consent(db: Database) -> None:
    service = make_service(db)
    case = await new_case(service)
    await send(service, press(ChooseLanguage("ar")))
    replies = await send(service, press(ConsentChoice("no")))
    assert replies and not replies[-1].text.startswith("Part")
    await send(service, Event.say("1, 2"))
    assert await current_answers(db, case.id) == {}
    async with db.session() as session:
        stored = await CaseRepository(session).get(case.id)
    assert stored is not None and stored.consent_version is None and stored.language == "ar"


async def test_a_chat_without_a_case_gets_information_and_stores_no_answers(
    db: Database,
) -> None:
    service = make_service(db)
    await send(service, press(ChooseLanguage("en")))
    replies = await send(service, Event.say("hello"))
    assert "/start YOUR-CODE" in replies[-1].text
    async with db.session() as session:
        assert (await session.exec(select(Answer))).all() == []


async def test_consent_and_submission_are_recorded_on_the_case(db: Database) -> None:
    service = make_service(db)
    case = await consented(service)
    async with db.session() as session:
        stored = await CaseRepository(session).get(case.id)
    assert stored is not None and stored.consent_version == "1-r12"
    assert stored.consent_at is not None and stored.consent_at.tzinfo is not None


async def test_free_text_is_stored_with_its_language(db: Database) -> None:
    service = make_service(db)
    case = await consented(service)
    await send(service, press(ToggleOption("language.spoken", "other")))
    await send(service, press(DoneChoosing("language.spoken")))
    await send(service, Event.say("ትግረ ቋንቋ ይዛረብ እየ"))
    answer = (await current_answers(db, case.id))["language.spoken_other"]
    assert answer.free_text == "ትግረ ቋንቋ ይዛረብ እየ"
    assert answer.text_lang == "ti"


async def test_an_unreadable_conversation_row_is_reset_without_losing_answers(
    db: Database,
) -> None:
    service = make_service(db)
    case = await consented(service)
    await send(service, press(SkipQuestion("language.spoken")))
    async with db.session() as session, session.begin():
        row = (await session.exec(select(Conversation))).one()
        row.data = '{"stage": "no-such-stage", "history": 5}'
        session.add(row)
    await service.attach("telegram", CHAT, case.invite_code)
    replies = await send(service, Event.start())
    assert replies  # it answered instead of failing
    assert "language.spoken" in await current_answers(db, case.id)


@pytest.mark.parametrize("consume", [True, False])
async def test_invite_codes_bind_once_unless_attached_from_the_console(
    db: Database, consume: bool
) -> None:
    service = make_service(db)
    case = await service.create_case()
    assert await service.attach("telegram", 1, case.invite_code, consume=consume) is Attach.OK
    second = await service.attach("telegram", 2, case.invite_code.lower(), consume=consume)
    assert second is (Attach.USED if consume else Attach.OK)
    assert await service.attach("telegram", 3, "ZZZZ-ZZZZ") is Attach.UNKNOWN


async def test_an_expired_invite_code_is_refused(db: Database) -> None:
    clock = Clock(tick=timedelta(seconds=1))
    service = make_service(db, clock)
    case = await service.create_case()
    clock.now += timedelta(days=31)
    assert await service.attach("telegram", 1, case.invite_code) is Attach.EXPIRED


class BrokenEngine(Engine):
    def step(self, state: State, event: Event, now: datetime) -> Step:
        raise RuntimeError("a bug")


async def test_an_engine_failure_costs_one_reply_not_the_conversation(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    service = make_service(db)
    case = await consented(service)
    await send(service, press(SkipQuestion("language.spoken")))
    renderer = Renderer({})
    broken = Service(db, BrokenEngine(INTAKE, service.engine.context, renderer.text), renderer)
    replies = await broken.handle(Inbound("telegram", CHAT, Event.say("Mijn geheim"), 901))
    assert len(replies) == 1 and "something went wrong" in replies[0].text
    assert "Mijn geheim" not in caplog.text  # no answer contents in logs
    assert await broken.handle(Inbound("telegram", CHAT, Event.say("x"), 901)) == []
    assert "language.spoken" in await current_answers(db, case.id)


async def test_a_request_for_a_person_shows_in_the_export(db: Database) -> None:
    from bot.core.cases import export_case

    service = make_service(db)
    case = await consented(service)
    await send(service, Event.cmd("person"))
    _, data = await export_case(
        db, INTAKE, service.renderer, case.invite_code, actor="test", now=NOW
    )
    assert [r["topic"] for r in data["open_requests"]] == [None]


async def test_the_roles_screen_knows_the_cases_target_group(db: Database) -> None:
    """The target group comes with the one query that loads the turn: a gezinsmigrant's
    explainer shows no maatschappelijk begeleider."""
    from dataclasses import replace

    from bot.core.record import set_case_record
    from bot.municipality import load_municipality
    from bot.settings import DEFAULT_MUNICIPALITY

    municipality = load_municipality(DEFAULT_MUNICIPALITY)
    service = make_service(db)
    context = replace(
        service.engine.context, roles=municipality.role_cards(), topics=municipality.routing()
    )
    service.engine = Engine(INTAKE, context, service.renderer.text)
    case = await consented(service)
    begeleider = municipality.role("begeleider")
    heading = f"{begeleider.title} – {begeleider.organisation}"
    assert heading in (await send(service, Event.cmd("roles")))[-1].text
    await set_case_record(
        db,
        case.id,
        target_group="gezinsmigrant",
        registered_on=None,
        pip_decided_on=None,
        actor="anna",
        now=NOW,
    )
    shown = (await send(service, Event.cmd("roles")))[-1].text
    assert heading not in shown
    # The consulent and the klantmanager werk en inkomen: the example taalschool, too,
    # is for statushouders and nareizigers only.
    assert shown.startswith("2 people help you.")


async def test_one_code_bound_from_twenty_chats_at_once_binds_exactly_one(db: Database) -> None:
    """The probe bound 14-15 browsers with one code on PostgreSQL (read, then mark):
    the claim is one conditional UPDATE, so exactly one wins; the others are told the
    code is used (which the edges answer as unknown)."""
    service = make_service(db)
    case = await service.create_case()
    results = await asyncio.gather(
        *(service.attach("web", 9_000 + n, case.invite_code) for n in range(20))
    )
    assert sorted(results) == sorted([Attach.OK] + [Attach.USED] * 19)
    async with db.session() as session:
        bound = (
            await session.exec(select(ChannelAccount).where(ChannelAccount.case_id == case.id))
        ).all()
    assert len(bound) == 1


async def test_a_closed_case_binds_no_chat_and_takes_no_answers(db: Database) -> None:
    """A closed case's unused code still bound, and a bound chat kept answering."""
    service = make_service(db)
    case = await consented(service)
    unused = await service.create_case()
    for closing in (case, unused):
        await close_case(db, closing.id, actor="anna", now=NOW)
    assert await service.attach("telegram", 55, unused.invite_code) is Attach.CLOSED
    replies = await send(service, Event.say("1, 3"))
    assert [r.text for r in replies] == [texts.CASE_CLOSED]
    assert await current_answers(db, case.id) == {}
    # What the person may still do with what is stored: see it, erase it.
    replies = await send(service, Event.cmd("mydata"))
    assert any(r.document is not None for r in replies)
