"""With JSON logs on, a whole pre-intake with personal answers goes through each channel
(Telegram on the fake Bot API, the web chat, the console), and none of the answers, the
case's name or its invite code appears in the logs; every log line is one JSON object
with the time, the level, the logger and the event."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
from pathlib import Path

import httpx

from tests.channels.test_console import FULL_INTAKE
from tests.channels.web.conftest import Browser
from tests.e2e.harness import SECRET_KEY, WEGWIJS, running
from tests.live_server import free_port

NAME = "Amal Haddad-Tesfamariam"  # the consulent's label for the case: a name
JSON_LOGS = {"WEGWIJS_LOG_FORMAT": "json"}
# What a person typed (numbers stand for buttons), and the name.
PERSONAL = [line for line in FULL_INTAKE if len(line) >= 5 and any(c.isalpha() for c in line)]


def env_for(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "WEGWIJS_SECRET_KEY": SECRET_KEY,
        "PYTHONIOENCODING": "utf-8",
        **JSON_LOGS,
    }


def named_case(env: dict[str, str]) -> str:
    created = subprocess.run(
        [WEGWIJS, "case", "create", "--label", NAME],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    found = re.search(r"Invite code: (\S+)", created.stdout)
    assert found, created.stdout
    return found.group(1)


def assert_private_json_log(log: str, code: str) -> None:
    for secret in [*PERSONAL, NAME, code, code.replace("-", ""), SECRET_KEY]:
        assert secret not in log, f"{secret!r} is in the log"
    lines = [line for line in log.splitlines() if line.strip()]
    for line in lines:
        record = json.loads(line)  # one JSON object a line, nothing else
        assert {"time", "level", "logger", "event"} <= set(record), record


async def test_a_telegram_intake_leaves_nothing_personal_in_the_json_log(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    async with running("aiogram", tmp_path, migrated_sqlite, JSON_LOGS) as bot:
        code = named_case(bot.env)
        bot.secrets |= {NAME, code, code.replace("-", "")}
        chat = 8_200_000_001
        await bot.command(chat, f"/start {code.replace('-', '')}")
        await bot.press(chat, "lang:en")
        await bot.press(chat, "c:yes")
        for line in FULL_INTAKE[1:-1]:
            await bot.say(chat, line)
        await bot.press(chat, "r:send")
    log = bot.log.read_text()
    assert '"Telegram bot @' in log  # the log is there, in JSON
    assert_private_json_log(log, code)


async def test_a_web_chat_intake_leaves_nothing_personal_in_the_json_log(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    database = tmp_path / "wegwijs.db"
    database.write_bytes(migrated_sqlite.read_bytes())
    env = env_for(database)
    code = named_case(env)
    port = free_port()
    log = tmp_path / "chat.log"
    with log.open("w") as out:
        process = await asyncio.create_subprocess_exec(
            WEGWIJS, "run", "--no-bot", "--no-worker", "--no-dashboard",
            "--chat", f"127.0.0.1:{port}", env=env, stdout=out, stderr=out,
        )  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(300):
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            browser = Browser(client)
            await browser.enter(code)
            await browser.press("English")
            await browser.press("Yes, I agree")
            for line in FULL_INTAKE[1:-1]:  # consent and send are buttons here too
                await browser.say(line)
            page = await browser.press("Send to my consulent")
            assert "Thank you" in page.transcript()
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
    assert_private_json_log(log.read_text(), code)


def test_a_console_intake_leaves_nothing_personal_in_the_json_log(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    database = tmp_path / "wegwijs.db"
    database.write_bytes(migrated_sqlite.read_bytes())
    chat = subprocess.run(
        [WEGWIJS, "chat", "--lang", "en"],
        input="\n".join(FULL_INTAKE) + "\n",
        env=env_for(database), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert chat.returncode == 0, chat.stderr
    code = re.search(r"code ([A-Z2-9]{4}-[A-Z2-9]{4})", chat.stdout)
    assert code and "Ik wil verpleegkundige worden" in chat.stdout  # the intake went through
    assert_private_json_log(chat.stderr, code.group(1))
