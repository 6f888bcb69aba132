"""A running bot's `/metrics`, scraped after a burst of people at once: the counts it
caused are there (updates by kind, latencies, the outbox, Bot API errors by code, the
open cases), and the metrics are on their own port, not on the webhook's."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.harness import Harness, running
from tests.live_server import free_port

PEOPLE = 4
CHAT = 8_100_000_000


@pytest.fixture
async def bot(tmp_path: Path, migrated_sqlite: Path) -> AsyncIterator[tuple[Harness, str]]:
    port = free_port()
    env = {"WEGWIJS_METRICS_PORT": str(port)}
    async with running("aiogram", tmp_path, migrated_sqlite, env) as harness:
        yield harness, f"http://127.0.0.1:{port}"


async def scrape(address: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{address}/metrics")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def person(bot: Harness, chat: int, code: str) -> None:
    await bot.command(chat, f"/start {code.replace('-', '')}")
    await bot.press(chat, "lang:en")
    await bot.press(chat, "c:yes")


async def test_a_burst_of_people_shows_in_the_metrics(bot: tuple[Harness, str]) -> None:
    harness, address = bot
    # One press answer refused (400) and one message rate limited (429) on the way.
    harness.api.fail_next("answerCallbackQuery", status=400)
    harness.api.fail_next("sendMessage", status=429, retry_after=1)
    codes = await asyncio.gather(*(asyncio.to_thread(harness.new_case) for _ in range(PEOPLE)))
    await asyncio.gather(*(person(harness, CHAT + i, code) for i, code in enumerate(codes)))
    got = await scrape(address)

    def value(name: str, **labels: str) -> float:
        return got.get((name, tuple(sorted(labels.items()))), 0.0)

    assert value("wegwijs_updates_total", kind="command", outcome="ok") == PEOPLE
    assert value("wegwijs_updates_total", kind="press", outcome="ok") == 2 * PEOPLE
    assert value("wegwijs_update_to_reply_seconds_count") == 3 * PEOPLE
    # Every press answered but the refused one.
    assert value("wegwijs_press_to_answer_seconds_count") == 2 * PEOPLE - 1
    assert value("wegwijs_bot_api_errors_total", method="answerCallbackQuery", code="400") == 1
    assert value("wegwijs_bot_api_rate_limited_total", method="sendMessage") == 1
    assert value("wegwijs_outbox_wait_seconds_count") >= 3 * PEOPLE
    assert value("wegwijs_outbox_queued") == 0
    assert value("wegwijs_open_cases", status="in_progress") == PEOPLE
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{address}/readyz")).json()["checks"]["bot_api"] == "ok"
