"""A translator's correction reaches people without a restart: two `wegwijs run
--webhook` workers on one PostgreSQL, each with its web chat, answer with the corrected
text within 5 seconds of the save (each process polls the layer's version, see
bot/core/translations_live.py)."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import time
from pathlib import Path

import aiohttp
import httpx
import pytest

from bench.common import WEBHOOK_SECRET, WEGWIJS
from bench.databases import database, postgres_reachable
from bench.processes import BotProcess, bot_env, cli, free_port, wait_port
from bot.core.translations import key_of
from bot.core.translations_review import Texts
from flows import texts as T
from flows.i18n import DEFAULT_LOCALES_DIR
from storage import Database, UserRepository
from tests.channels.web.conftest import Browser
from tests.clock import NOW
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.harness import texts_of

CHAT = 4242
CORRECTED = "Vind je het goed dat we je antwoorden bewaren voor je consulent? (nagekeken)"
WITHIN = 5.0  # seconds from the save to a reply that carries it


@pytest.fixture
async def postgres() -> None:
    """Like tests/conftest.py: skip without PostgreSQL, except under CI, where it fails."""
    if not await postgres_reachable():
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail("PostgreSQL at 127.0.0.1:5432 is not reachable (CI is set)")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not reachable")


def new_case(env: dict[str, str]) -> str:
    made = subprocess.run(
        [WEGWIJS, "case", "create"], env=env, capture_output=True, text=True, timeout=60
    )
    found = re.search(r"Invite code: (\S+)", made.stdout)
    assert found, made.stderr
    return found.group(1)


async def correct(url: str) -> float:
    """A Dutch translator saves a correction of the consent question; when it was saved."""
    db = Database(url)
    try:
        async with db.session() as session, session.begin():
            user = await UserRepository(session).create("els", "x", now=NOW)
            user.translates, user.is_consulent = "nl", False
        texts = Texts.of(db, DEFAULT_LOCALES_DIR)
        verdict = await texts.correct(user, "nl", key_of("", T.CONSENT_QUESTION), [CORRECTED], NOW)
        assert verdict.ok, verdict.refusals
        return time.monotonic()
    finally:
        await db.dispose()


async def post_update(session: aiohttp.ClientSession, port: int, update: dict) -> None:
    async with session.post(
        f"http://127.0.0.1:{port}/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
    ) as response:
        assert response.status == 200


async def practice_page(port: int) -> str:
    """A new browser starts a practice conversation and chooses Dutch; the words the
    answer shows."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=20) as client:
        browser = Browser(client)
        page = await browser.post("/practice", {"lang": "nl"})
        assert page.response.status_code == 200, page.text
        page = await browser.press("Nederlands")
        assert page.response.status_code == 200, page.text
        return page.transcript()


async def test_a_correction_is_in_the_next_reply_on_telegram_and_the_web_chat(
    postgres: None, tmp_path: Path
) -> None:
    async with FakeBotApi() as api, database("postgresql", tmp_path, "texts") as url:
        env = bot_env(api, url, tmp_path)
        cli(env, "db", "upgrade")
        hooks, chats = [free_port(), free_port()], [free_port(), free_port()]
        workers = [
            BotProcess(
                [WEGWIJS, "run", "--webhook", "--host", "127.0.0.1", "--port", str(hook),
                 "--no-dashboard", "--chat", f"127.0.0.1:{chat}"],
                env,
                tmp_path / f"worker-{n}.log",
            )
            for n, (hook, chat) in enumerate(zip(hooks, chats, strict=True))
        ]  # fmt: skip
        for worker in workers:
            await worker.start()
        try:
            for worker, hook, chat in zip(workers, hooks, chats, strict=True):
                await worker.ready(wait_port(hook))
                await worker.ready(wait_port(chat))
            code = new_case(env)
            async with aiohttp.ClientSession() as session:
                api.push_command(CHAT, f"/start {code}", language_code="nl")
                await post_update(session, hooks[0], api.pushed[-1])
                await api.wait_sent(CHAT, 1, timeout=20)
                assert "(nagekeken)" not in await practice_page(chats[1])

                saved = await correct(url)
                await asyncio.sleep(max(0.0, saved + WITHIN - 0.5 - time.monotonic()))
                before = len(api.sent(CHAT))
                keyboard = [d for row in api.last_keyboard(CHAT) for _, d in row]
                dutch = next(d for d in keyboard if d and d.endswith(":nl"))
                api.push_callback(CHAT, dutch, language_code="nl")
                await post_update(session, hooks[1], api.pushed[-1])
                await api.wait_for(
                    lambda _: any("reply_markup" in c.params for c in api.sent(CHAT)[before:]),
                    timeout=20,
                )
                replies = " ".join(texts_of(c) for c in api.sent(CHAT)[before:])
                page = await practice_page(chats[0])
            assert CORRECTED in replies, replies
            assert CORRECTED in page, page
        finally:
            for worker in workers:
                await worker.stop()
        assert sum(w.errors() for w in workers) == 0, workers[0].tail()
