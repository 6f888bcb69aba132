"""SQL statements one update costs, counted (not timed) in-process through the service:
a button answer to a new question, a changed answer, and a redelivered update. The same
count as tests/core/test_service_statements.py, which fails above the goal on SQLite."""

from __future__ import annotations

import asyncio

from bench.common import Bench
from bench.databases import database
from bench.report import Figure
from flows.events import Event
from storage import Database
from storage.migrate import upgrade
from tests.core.test_service import consented, make_service, send
from tests.core.test_service_statements import BUTTON_ANSWER_MAX, counting

NAME = "statements"


async def measure(url: str) -> dict[str, int]:
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    try:
        service = make_service(db)
        await consented(service)
        await send(service, Event.say("1"), update_id=1)
        await send(service, Event.press("d:language.spoken"), update_id=2)
        with counting(db) as button:
            replies = await send(service, Event.press("a:language.interpreter:no"), update_id=3)
        back = next(
            b.data for r in replies for row in r.buttons for b in row if b.data.startswith("b:")
        )
        await send(service, Event.press(back), update_id=4)  # back to the interpreter question
        with counting(db) as changed:
            await send(service, Event.press("a:language.interpreter:yes"), update_id=5)
        with counting(db) as again:
            await send(service, Event.press("a:language.interpreter:yes"), update_id=5)
    finally:
        await db.dispose()
    return {"button": len(button), "changed": len(changed), "again": len(again)}


async def run(bench: Bench) -> list[Figure]:
    figures: list[Figure] = []
    kinds = ["sqlite", "postgresql"] if bench.postgres else ["sqlite"]
    for kind in kinds:
        async with database(kind, bench.workdir, "statements") as url:
            if kind == "sqlite":
                url = url.replace("sqlite://", "sqlite+aiosqlite://")
            counts = await measure(url)
        name = "SQLite" if kind == "sqlite" else "PostgreSQL"
        bench.log(f"  {name}: {counts}")
        figures += [
            Figure(NAME, f"{name}: SQL statements per button answer", counts["button"], "",
                   goal=f"≤ {BUTTON_ANSWER_MAX}" if kind == "sqlite" else None,
                   met=counts["button"] <= BUTTON_ANSWER_MAX if kind == "sqlite" else None,
                   note="claim the update, load the turn, insert the answer, save the position; "
                   "BEGIN not counted"),
            Figure(NAME, f"{name}: SQL statements per changed answer", counts["changed"], "",
                   note="one more: the old answer is superseded"),
            Figure(NAME, f"{name}: SQL statements per redelivered update", counts["again"], ""),
        ]  # fmt: skip
    return figures
