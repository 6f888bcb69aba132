"""My inburgering, step by step, end to end on Telegram for both frameworks: `/route` is
registered in every language, and several people walk their journey at the same time,
each in their own language, each with "you are here" and their own dates from their
case, and each returns to where they were."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from flows import journey as J
from flows.callbacks import JourneyStep
from flows.i18n import LOCAL_TZ
from flows.journey import JourneyFacts
from flows.replies import Moment, Money, Msg
from tests.e2e.harness import Harness, running
from tests.e2e.test_telegram import _translator

FIRST_CHAT = 8_000_000_900
LANGS = ("ar", "ti", "nl", "en")


@pytest.fixture(params=["aiogram", "ptb"])
async def bot(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path
) -> AsyncIterator[Harness]:
    async with running(request.param, tmp_path, migrated_sqlite) as harness:
        yield harness


def keyboard(bot: Harness, chat: int) -> list[str]:
    return [data for row in bot.api.last_keyboard(chat) for _, data in row]


def create_case(bot: Harness, *args: str) -> str:
    result = bot.cli("case", "create", *args)
    assert result.returncode == 0, result.stderr
    found = re.search(r"Invite code: (\S+)", result.stdout)
    assert found, result.stdout
    bot.secrets |= {found.group(1), found.group(1).replace("-", "")}
    return found.group(1)


async def walk(bot: Harness, chat: int, lang: str, facts: JourneyFacts, *args: str) -> None:
    """Link a new case, open /route mid-intake, walk every step forward, go back."""
    t = _translator()
    code = await asyncio.to_thread(create_case, bot, *args)
    await bot.command(chat, f"/start {code.replace('-', '')}")
    await bot.press(chat, f"lang:{lang}")
    await bot.press(chat, "c:yes")
    question = keyboard(bot, chat)
    steps = J.steps_for(facts)

    timeline = "\n".join(await bot.command(chat, "/route"))
    assert t(Msg.of(J.TITLE), lang) in timeline
    assert f"📍 {t(Msg.lit('{number}', number=1), lang)}. " in timeline  # a new case
    assert JourneyStep("intake").pack() in keyboard(bot, chat)
    shown = "\n".join(await bot.press(chat, JourneyStep("intake").pack()))
    for number, step in enumerate(steps, start=1):
        head = Msg.of(J.STEP_HEAD, number=number, total=len(steps), title=Msg.of(step.title))
        assert t(head, lang) in shown, (lang, step.code)
        if step.code == "pip" and facts.registered_on:
            due = facts.registered_on + timedelta(weeks=10)
            moment = Moment(datetime.combine(due, time(12), tzinfo=LOCAL_TZ), "date")
            assert t(Msg.of(J.PIP_DUE, date=moment), lang) in shown
        if step.code == "fines":
            amounts = {"brede_intake": Money(250), "pip": Money(800)}
            unnamed = t(Msg.of(J.FINES_MUNICIPALITY, **amounts), lang)
            named = t(Msg.of(J.FINES_MUNICIPALITY_NAMED, **amounts), lang)
            if facts.target_group == "gezinsmigrant":
                # No municipal fine for a gezinsmigrant (seed 001, 3.6): their own course's.
                assert unnamed not in shown and named not in shown
                assert t(Msg.of(J.FINES_OWN_COURSE), lang) in shown
            else:
                # No group recorded: each text names the group it is for.
                assert named in shown and t(Msg.of(J.FINES_OWN_COURSE_NAMED), lang) in shown
        if number < len(steps):
            shown = "\n".join(await bot.press(chat, JourneyStep(steps[number].code).pack()))
    assert JourneyStep("all").pack() in keyboard(bot, chat)
    await bot.press(chat, JourneyStep("all").pack())
    await bot.press(chat, "o:back")  # "Back to where I was": the interrupted question
    assert keyboard(bot, chat) == question


async def test_several_people_walk_their_journey_at_once_each_in_their_language(
    bot: Harness,
) -> None:
    registered = date.today() - timedelta(days=14)
    family = JourneyFacts(target_group="gezinsmigrant", registered_on=registered)
    record = ("--registered", registered.isoformat(), "--group", "gezinsmigrant")
    await asyncio.gather(
        *(walk(bot, FIRST_CHAT + i, lang, JourneyFacts()) for i, lang in enumerate(LANGS)),
        walk(bot, FIRST_CHAT + len(LANGS), "ar", family, *record),  # a family migrant
    )
    assert bot.rows("select count(*) from answer") == [(0,)]  # information only


async def test_route_is_registered_in_every_language(bot: Harness) -> None:
    t = _translator()
    await bot.api.wait_for(lambda _calls: len(bot.api.commands) >= 5, timeout=20)
    for lang in LANGS:
        commands = {c["command"]: c["description"] for c in bot.api.my_commands(lang)}
        assert commands["route"] == t(Msg.of("your inburgering, step by step"), lang)
    default = {c["command"] for c in bot.api.my_commands("")}
    assert "route" in default
