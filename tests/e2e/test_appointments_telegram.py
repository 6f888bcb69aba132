"""Appointments end to end, for both frameworks: a consulent plans with `wegwijs
appointment add` while `wegwijs run` runs; the invitation (with its .ics) reaches the
person's chat through the worker; each button answer shows in `wegwijs appointment list`;
a cancellation reaches the chat too. Quiet hours are moved away from the test's time, so
it runs the same at any hour."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.settings import DEFAULT_MUNICIPALITY
from tests.e2e.harness import Harness, running

AMS = ZoneInfo("Europe/Amsterdam")
CHAT = 8_000_000_777


def municipality_without_quiet_hours_now(workdir: Path) -> Path:
    """The example file, with its quiet hours a minute long and half a day away."""
    night = (datetime.now(AMS) + timedelta(hours=12)).strftime("%H:%M")
    after = (datetime.now(AMS) + timedelta(hours=12, minutes=1)).strftime("%H:%M")
    text = DEFAULT_MUNICIPALITY.read_text(encoding="utf-8")
    text, replaced = re.subn(
        r'quiet_hours = \{ start = "21:00", end = "08:00" \}',
        f'quiet_hours = {{ start = "{night}", end = "{after}" }}',
        text,
    )
    assert replaced == 1
    path = workdir / "municipality.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(params=["aiogram", "ptb"])
async def bot(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path
) -> AsyncIterator[Harness]:
    municipality = {"WEGWIJS_MUNICIPALITY": str(municipality_without_quiet_hours_now(tmp_path))}
    async with running(request.param, tmp_path, migrated_sqlite, municipality) as harness:
        yield harness


def listed(bot: Harness, code: str) -> str:
    result = bot.cli("appointment", "list", code)
    assert result.returncode == 0, result.stderr
    return result.stdout


async def test_an_invitation_reaches_the_chat_and_every_answer_the_consulent(bot: Harness):
    code = bot.new_case()
    await bot.command(CHAT, f"/start {code}")
    await bot.press(CHAT, "lang:en")
    before = len(bot.api.sent(CHAT))
    bot.api.fail_next("sendMessage", status=429, retry_after=1)  # the worker must wait
    start = (datetime.now(AMS) + timedelta(days=10)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    planned = bot.cli(
        "appointment", "add", code, "--kind", "brede_intake",
        "--start", start.strftime("%Y-%m-%d %H:%M"), "--place", "Stadhuisplein 1, Voorbeeldstad",
    )  # fmt: skip
    assert planned.returncode == 0, planned.stderr
    number = re.search(r"#(\d+)", planned.stdout).group(1)  # type: ignore[union-attr]

    invitation, calendar = (await bot.api.wait_sent(CHAT, before + 2, timeout=30))[before:]
    assert "You have a new appointment" in invitation.params["text"]
    refused = next(c for c in bot.api.calls if c.method == "sendMessage" and c.status == 429)
    assert invitation.at - refused.at >= 0.9  # retry_after obeyed
    assert "Stadhuisplein 1, Voorbeeldstad" in invitation.params["text"]
    assert "the law asks you to come" in invitation.params["text"]
    filename, content = next(iter(calendar.files.values()))
    assert filename.endswith(".ics")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart").astimezone(AMS) == start

    texts = await bot.press(CHAT, f"p:{number}:n")
    assert "why you cannot come" in texts[-1]
    texts = await bot.press(CHAT, f"p:{number}:n:childcare")
    assert "Only staying away without a valid reason" in texts[-1]
    assert "cannot come (childcare)" in listed(bot, code)
    await bot.press(CHAT, f"p:{number}:i")
    assert "needs an interpreter" in listed(bot, code)
    texts = await bot.press(CHAT, f"p:{number}:w")
    assert "openstreetmap.org" in texts[-1]
    await bot.press(CHAT, f"p:{number}:y")
    assert "coming, needs an interpreter" in listed(bot, code)

    texts = await bot.command(CHAT, "/appointments")
    assert texts[0].startswith("Your appointments:")  # with the Dutch underneath

    before = len(bot.api.sent(CHAT))
    assert bot.cli("appointment", "cancel", number).returncode == 0
    cancelled, cancel_file = (await bot.api.wait_sent(CHAT, before + 2, timeout=30))[before:]
    assert "Your appointment is cancelled" in cancelled.params["text"]
    _, content = next(iter(cancel_file.files.values()))
    assert str(Calendar.from_ical(content)["method"]) == "CANCEL"
    before = len(bot.api.sent(CHAT))
    bot.api.push_callback(CHAT, f"p:{number}:n")  # an old button, pressed after all
    (answer,) = (await bot.api.wait_sent(CHAT, before + 1, timeout=20))[before : before + 1]
    assert "no longer planned" in answer.params["text"]
