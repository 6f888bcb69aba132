"""A correction costs a person's reply no statement: the overlay is memory, refreshed
beside the replies (tests/core/test_service_statements.py counts the same answer)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.service import Service
from bot.core.translations_live import overlay_of
from flows.engine import Context, Engine
from flows.events import Event
from flows.i18n import Renderer
from flows.intake import INTAKE
from storage import Database, LayerEntry
from tests.clock import Clock
from tests.core.test_service import consented, send
from tests.core.test_service_statements import counting, listing, most

CORRECTED = "Do you need an interpreter at the talk? (corrected)"


async def test_a_button_answer_with_corrections_loaded_costs_no_more(db: Database) -> None:
    renderer = Renderer({})
    question = INTAKE.question("language.interpreter")
    assert question is not None
    renderer.set_overlay(overlay_of([LayerEntry("en", "", question.prompt, (CORRECTED,))]))
    engine = Engine(INTAKE, Context("Rijswijk", consent_version="1-r12"), renderer.text)
    service = Service(db, engine, renderer, Clock(tick=timedelta(seconds=1)))
    await consented(service)
    await send(service, Event.say("1"), update_id=1)
    with counting(db) as statements:
        replies = await send(service, Event.press("d:language.spoken"), update_id=2)
    assert any(CORRECTED in r.text for r in replies), replies
    assert len(statements) <= most(db), listing(statements)
