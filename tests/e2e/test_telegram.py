"""The Telegram end-to-end scenarios, written once and run for both frameworks: the bot
is a subprocess (`wegwijs run --framework …`) talking HTTP to a local fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from flows.replies import Param
from tests.channels.test_console import ANSWERED, FULL_INTAKE
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.harness import Harness, running

CHAT = 8_000_000_321  # beyond 32 bits, like real Telegram ids


@pytest.fixture(params=["aiogram", "ptb"])
async def bot(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite: Path
) -> AsyncIterator[Harness]:
    async with running(request.param, tmp_path, migrated_sqlite) as harness:
        yield harness


async def linked(bot: Harness, chat: int = CHAT, lang: str = "en") -> str:
    """Open the invite link, choose a language, agree: the first question is on screen."""
    code = bot.new_case()
    await bot.command(chat, f"/start {code.replace('-', '')}")
    await bot.press(chat, f"lang:{lang}")
    await bot.press(chat, "c:yes")
    return code


async def full_intake(bot: Harness, chat: int, lang: str) -> str:
    code = await linked(bot, chat, lang)
    for line in FULL_INTAKE[1:-1]:  # consent and send are buttons on Telegram
        await bot.say(chat, line)
    await bot.press(chat, "r:send")
    return code


async def test_a_full_pre_intake_by_invite_link_in_each_language(bot: Harness) -> None:
    langs = ["ar", "ti", "nl", "en"]
    codes = await asyncio.gather(
        *(full_intake(bot, CHAT + i, lang) for i, lang in enumerate(langs))
    )
    for code, lang in zip(codes, langs, strict=True):
        exported = json.loads(bot.cli("export", code).stdout)
        assert exported["case"]["language"] == lang
        assert exported["case"]["submitted_at"]
        assert len(exported["answers"]) == ANSWERED
    # Commands are registered in every language and by default.
    languages = {key[1] for key in bot.api.commands}
    assert {"", "ar", "ti", "nl", "en"} <= languages


async def test_the_language_can_be_switched_at_any_time(bot: Harness) -> None:
    await linked(bot)
    texts = await bot.command(CHAT, "/language")
    assert "Choose your language." in texts[-1]
    texts = await bot.press(CHAT, "lang:nl")
    assert "Welke talen spreek je?" in texts[-1]
    assert bot.rows("select language from wegwijs_case") == [("nl",)]


async def test_every_command_answers(bot: Harness) -> None:
    await linked(bot)
    assert "/answers" in (await bot.command(CHAT, "/help"))[0]
    assert "Which languages do you speak?" in (await bot.command(CHAT, "/start"))[-1]
    assert "not answered yet" in "\n".join(await bot.command(CHAT, "/answers"))
    texts = await bot.command(CHAT, "/person")
    assert "want to talk to a person" in texts[0]
    assert len(bot.rows("select id from person_request")) == 1
    await bot.command(CHAT, "/mydata")
    document = next(c for c in bot.api.sent(CHAT) if c.method == "sendDocument")
    filename, content = next(iter(document.files.values()))
    assert filename.endswith(".json") and json.loads(content)["case"]["language"] == "en"
    assert "I do not know that command" in (await bot.command(CHAT, "/whatever"))[0]


async def test_every_kind_of_unexpected_message_gets_a_kind_answer(bot: Harness) -> None:
    await linked(bot)
    for kind in ("sticker", "photo", "video", "document", "location", "contact", "animation"):
        count = len(bot.api.sent(CHAT))
        bot.api.push_media(CHAT, kind)
        sent = await bot._after(CHAT, count)
        assert "I can only read text and buttons" in sent[0].params["text"], kind
        assert "Which languages do you speak?" in sent[-1].params["text"]
    count = len(bot.api.sent(CHAT))
    bot.api.push_media(CHAT, "voice")
    assert "voice messages" in (await bot._after(CHAT, count))[0].params["text"]
    count = len(bot.api.sent(CHAT))
    bot.api.push_edited(CHAT, "changed")
    assert "You changed a message" in (await bot._after(CHAT, count))[0].params["text"]
    assert "Please choose one of the buttons" in (await bot.say(CHAT, "x" * 5000))[0]
    assert "could not find any text" in (await bot.say(CHAT, "\u200b\u0007\u202e"))[0]
    assert bot.rows("select count(*) from answer") == [(0,)]


async def test_a_group_chat_is_refused_and_nothing_is_stored(bot: Harness) -> None:
    bot.api.push_group_text(-100_123, "hello bot", language_code="en")
    sent = await bot.api.wait_sent(-100_123, 1)
    assert "private chat" in sent[0].params["text"]
    assert bot.rows("select count(*) from channel_account") == [(0,)]


async def test_a_forged_button_changes_nothing(bot: Harness) -> None:
    await linked(bot)
    count = len(bot.api.sent(CHAT))
    bot.api.push_callback(CHAT, "a:reading.dutch:good")
    sent = await bot._after(CHAT, count)
    assert "does not belong to this question" in sent[0].params["text"]
    assert bot.rows("select count(*) from answer") == [(0,)]


async def test_a_429_is_obeyed(bot: Harness) -> None:
    await linked(bot)
    bot.api.fail_next("sendMessage", status=429, retry_after=1)
    await bot.say(CHAT, "1")
    tries = [c for c in bot.api.calls if c.method == "sendMessage"][-2:]
    assert [c.status for c in tries] == [429, 200]
    assert tries[1].at - tries[0].at >= 0.9


async def test_a_redelivered_update_is_processed_once(bot: Harness) -> None:
    await linked(bot)
    await bot.say(CHAT, "1, 2")
    update = bot.api.pushed[-1]
    count = len(bot.api.sent(CHAT))
    bot.api.push_raw(update)
    await bot.api.wait_idle(CHAT, quiet=1.0)
    assert len(bot.api.sent(CHAT)) == count
    assert bot.rows("select count(*) from answer") == [(1,)]


async def test_kill_9_mid_intake_loses_no_answer_and_resumes(bot: Harness) -> None:
    await linked(bot)
    for line in FULL_INTAKE[1:9]:
        await bot.say(CHAT, line)
    answered = bot.rows("select count(*) from answer where superseded_at is null")
    await bot.kill9()
    await bot.restart()
    texts = await bot.command(CHAT, "/start")
    assert "Welcome back" in texts[0]
    assert "Did you have Dutch lessons" in texts[-1]
    assert bot.rows("select count(*) from answer where superseded_at is null") == answered


async def test_delete_leaves_no_row_of_that_person(bot: Harness) -> None:
    await linked(bot)
    await bot.say(CHAT, "1, 2")
    await bot.command(CHAT, "/person")
    texts = await bot.command(CHAT, "/delete")
    assert "cannot be undone" in texts[0]
    assert "Everything is erased" in (await bot.press(CHAT, "x:yes"))[0]
    for table in ("wegwijs_case", "channel_account", "conversation", "answer", "person_request"):
        assert bot.rows(f"select count(*) from {table}") == [(0,)], table


async def test_replies_to_one_chat_are_paced(tmp_path: Path, migrated_sqlite: Path) -> None:
    """At the default rate, a chat gets a short burst, then about one message a second."""
    async with FakeBotApi() as api:
        bot = Harness(api, "aiogram", tmp_path, chat_rate=1.0)
        bot.migrate(migrated_sqlite)
        await bot.start()
        try:
            await linked(bot)
            before = len(bot.api.sent(CHAT))
            for round_ in (1, 2):  # /mydata answers with four messages at once
                bot.api.push_command(CHAT, "/mydata")
                await bot.api.wait_sent(CHAT, before + 4 * round_, timeout=30)
            sent = bot.api.sent(CHAT)[before:]
        finally:
            assert await bot.stop() == 0
    times = [c.at for c in sent]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times[3:])]
    assert min(gaps) >= 0.8, gaps


async def test_a_pressed_keyboard_is_taken_away(bot: Harness) -> None:
    await linked(bot)
    edits = [c for c in bot.api.calls if c.method == "editMessageReplyMarkup"]
    assert len(edits) == 2  # the language and the consent keyboards, once pressed
    assert all("reply_markup" not in c.params for c in edits)


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
async def test_webhook_mode_checks_the_secret_token(
    framework: str, tmp_path: Path, migrated_sqlite: Path
) -> None:
    import socket

    import aiohttp

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    async with FakeBotApi() as api:
        bot = Harness(api, framework, tmp_path)
        bot.migrate(migrated_sqlite)
        env = {**bot.env, "TELEGRAM_WEBHOOK_SECRET": "s3cret-token_1"}
        with bot.log.open("a") as log:
            bot.proc = await asyncio.create_subprocess_exec(
                *(
                    bot.command_line(
                        "run",
                        "--framework",
                        framework,
                        "--webhook",
                        "--port",
                        str(port),
                        "--no-dashboard",
                        "--no-chat",
                    )
                ),
                env=env,
                stdout=log,
                stderr=log,
            )
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        update = {
            "update_id": 555,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": CHAT, "type": "private"},
                "from": {"id": CHAT, "is_bot": False, "first_name": "A"},
                "text": "/help",
            },
        }
        try:
            async with aiohttp.ClientSession() as http:
                status = None
                # Until it listens: 30 s, as for polling (`Harness.start`), since a start
                # on a busy machine took more than 10 s.
                deadline = time.monotonic() + 30
                while status is None and time.monotonic() < deadline:
                    try:
                        async with http.post(url, json=update) as response:
                            status = response.status
                    except aiohttp.ClientConnectorError:
                        await asyncio.sleep(0.1)
                assert status == 401, f"no answer within 30 s:\n{bot.log.read_text()}"
                wrong = {"X-Telegram-Bot-Api-Secret-Token": "nope"}
                async with http.post(url, json=update, headers=wrong) as response:
                    assert response.status == 401
                assert api.sent(CHAT) == []
                right = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_1"}
                async with http.post(url, json=update, headers=right) as response:
                    assert response.status == 200
                assert api.sent(CHAT)  # processed before the 200
        finally:
            assert await bot.stop() == 0


async def test_start_up_problems_are_one_clear_line(tmp_path: Path) -> None:
    async with FakeBotApi() as api:
        bot = Harness(api, "aiogram", tmp_path)

        async def run(**env: str) -> tuple[int, str]:
            process = await asyncio.create_subprocess_exec(
                *bot.command_line("run", "--no-dashboard", "--no-chat"),
                env={**bot.env, **env},
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            _, err = await asyncio.wait_for(process.communicate(), 60)
            return process.returncode or 0, err.decode()

        code, err = await run(TELEGRAM_BOT_TOKEN="")
        assert code == 2 and "TELEGRAM_BOT_TOKEN is not set" in err
        code, err = await run(TELEGRAM_BOT_TOKEN="not-a-token")
        assert code == 2 and "does not look like a bot token" in err
        other = "123456789:" + "B" * 35
        code, err = await run(TELEGRAM_BOT_TOKEN=other)
        assert code == 2 and "rejected TELEGRAM_BOT_TOKEN" in err and other not in err
        code, err = await run(TELEGRAM_API_BASE_URL="http://127.0.0.1:9")
        assert code == 2 and "cannot reach the Bot API" in err
        code, err = await run(DATABASE_URL="postgresql://nobody@127.0.0.1:9/none")
        assert code == 2 and "127.0.0.1:9" in err
        code, err = await run(WEGWIJS_MUNICIPALITY=str(tmp_path / "missing.toml"))
        assert code == 2 and "missing.toml" in err
        assert "Traceback" not in err


async def roles_walk(bot: Harness, chat: int, lang: str) -> None:
    from bot.municipality import TOPICS, load_municipality
    from bot.settings import DEFAULT_MUNICIPALITY

    municipality = load_municipality(DEFAULT_MUNICIPALITY)
    await linked(bot, chat, lang)
    explainer = (await bot.command(chat, "/roles"))[-1]
    for code in ("consulent", "begeleider"):
        role = municipality.role(code)
        assert f"{role.title} – {role.organisation}" in explainer
    await bot.press(chat, "o:topics")
    for topic in TOPICS:
        answer = (await bot.press(chat, f"o:t:{topic}"))[-1]
        role = municipality.role_for(topic)
        assert f"{role.title} – {role.organisation}" in answer, (lang, topic)
        await bot.press(chat, "o:topics")
    await bot.press(chat, "o:back")  # "Back to where I was": the interrupted question
    assert "t:language.spoken:ar" in [d for row in bot.api.last_keyboard(chat) for _, d in row]
    await bot.command(chat, "/roles")
    await bot.press(chat, "o:topics")
    await bot.press(chat, "o:t:debts")
    await bot.press(chat, "o:ask:debts")  # the request is noted, and the question is back
    assert "t:language.spoken:ar" in [d for row in bot.api.last_keyboard(chat) for _, d in row]


async def test_who_helps_with_what_in_each_language_and_back_to_the_question(
    bot: Harness,
) -> None:
    langs = ["ar", "ti", "nl", "en"]
    await asyncio.gather(*(roles_walk(bot, CHAT + i, lang) for i, lang in enumerate(langs)))
    requests = bot.rows("select topic from person_request")
    assert requests == [("debts",)] * 4
    assert bot.rows("select count(*) from answer") == [(0,)]


# -- privacy: consent refused, a new consent version, /mydata, /delete ------------------


def _translator():
    """The bot's own catalogs (WEGWIJS_LOCALES_DIR, as the bot under test reads them)."""
    from bot.settings import Settings
    from flows.i18n import Renderer, load_catalogs

    return Renderer(load_catalogs(Settings().locales_dir)).text


def _my_data_file(bot: Harness, chat: int) -> dict:
    document = [c for c in bot.api.sent(chat) if c.method == "sendDocument"][-1]
    filename, content = next(iter(document.files.values()))
    assert filename.endswith(".json")
    return json.loads(content)


def _answers_of(bot: Harness, code: str) -> int:
    return bot.rows(
        "select count(*) from answer join wegwijs_case on answer.case_id = wegwijs_case.id"
        " where wegwijs_case.invite_code = ?",
        code,
    )[0][0]


def _example_who_sees() -> tuple[Param, ...]:
    """Who sees the answers, as the bundled example municipality file lists them."""
    from bot.municipality import load_municipality
    from bot.municipality.model import who_sees_lines
    from bot.settings import DEFAULT_MUNICIPALITY

    return who_sees_lines(load_municipality(DEFAULT_MUNICIPALITY))


async def _refuse_then_agree(bot: Harness, chat: int, lang: str, typed: str) -> str:
    """Refuse, see my data, agree after all, answer in own words, see my data again."""
    from flows import texts as T
    from flows.replies import Msg

    t, town = _translator(), "Voorbeeldstad"
    who_sees = _example_who_sees()
    code = await asyncio.to_thread(bot.new_case)  # the four chats' CLI calls side by side
    await bot.command(chat, f"/start {code.replace('-', '')}")
    consent = "\n".join(await bot.press(chat, f"lang:{lang}"))
    for msg in (
        Msg.of(T.CONSENT_WHAT, municipality=town),
        T.consent_who(town, 12, who_sees),  # the example file's list
        Msg.of(T.CONSENT_RIGHTS),
        Msg.of(T.CONSENT_QUESTION),
    ):
        assert t(msg, lang) in consent, (lang, msg.msgid)
    assert t(Msg.of(T.DECLINED), lang) in "\n".join(await bot.press(chat, "c:no"))
    assert bot.rows(
        "select language, consent_version from wegwijs_case where invite_code = ?", code
    ) == [(lang, None)]  # the language choice, and nothing else

    assert t(Msg.of(T.MYDATA_INTRO), lang) in "\n".join(await bot.command(chat, "/mydata"))
    data = _my_data_file(bot, chat)
    assert data["case"]["language"] == lang and data["case"]["consent_version"] is None
    assert data["answers"] == []

    await bot.press(chat, "c:again")
    await bot.press(chat, "c:yes")
    await bot.say(chat, "1, 12")  # Arabic and another language…
    await bot.say(chat, typed)  # …which, in the person's own words
    texts = "\n".join(await bot.command(chat, "/mydata"))
    assert t(Msg.of(T.MYDATA_CONSENT), lang) in texts and typed in texts
    data = _my_data_file(bot, chat)
    assert data["case"]["consent_version"].startswith(f"{T.CONSENT_TEXT_VERSION}-r12")
    assert typed in [a["text"] for a in data["answers"]]
    return code


async def _new_version_then_delete(bot: Harness, chat: int, lang: str, code: str) -> None:
    """The retention period changed: asked again; refusing keeps no answer; then /delete."""
    from flows import texts as T
    from flows.replies import Msg

    t = _translator()
    again = "\n".join(await bot.say(chat, "1"))  # an answer now waits for the new consent
    assert t(Msg.of(T.CONSENT_CHANGED), lang) in again
    assert t(T.consent_who("Voorbeeldstad", 6, _example_who_sees()), lang) in again
    assert _answers_of(bot, code) == 2
    await bot.press(chat, "c:no")
    assert _answers_of(bot, code) == 0  # no consent, no answers
    await bot.press(chat, "c:again")
    await bot.press(chat, "c:yes")
    await bot.say(chat, "1, 2")
    assert t(Msg.of(T.DELETE_CONFIRM), lang) in (await bot.command(chat, "/delete"))[0]
    assert t(Msg.of(T.NOT_DELETED), lang) in (await bot.press(chat, "x:no"))[0]
    assert _answers_of(bot, code) == 1
    await bot.command(chat, "/delete")
    # The last reply has no buttons: wait for it alone, not for the chat to fall quiet.
    assert "x:yes" in [d for row in bot.api.last_keyboard(chat) for _, d in row]
    count = len(bot.api.sent(chat))
    bot.api.push_callback(chat, "x:yes")
    deleted = (await bot.api.wait_sent(chat, count + 1))[count]
    assert t(Msg.of(T.DELETED), lang) in deleted.params["text"]
    assert bot.rows("select count(*) from wegwijs_case where invite_code = ?", code) == [(0,)]


async def test_consent_refused_a_new_version_my_data_and_delete_in_each_language(
    bot: Harness, tmp_path: Path
) -> None:
    import secrets

    from bot.settings import DEFAULT_MUNICIPALITY

    langs = ["ar", "ti", "nl", "en"]
    typed = {lang: f"Tigre en Bilen {secrets.token_hex(4)}" for lang in langs}
    chats = {lang: CHAT + 10 + i for i, lang in enumerate(langs)}
    codes = await asyncio.gather(
        *(_refuse_then_agree(bot, chats[lang], lang, typed[lang]) for lang in langs)
    )
    # The typed answers are encrypted at rest: not in the database file or its WAL.
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("wegwijs.db*"))
    assert not [lang for lang in langs if typed[lang].encode() in stored]

    # The municipality shortens its retention period: a new consent version.
    changed = tmp_path / "changed.toml"
    text = DEFAULT_MUNICIPALITY.read_text(encoding="utf-8")
    changed.write_text(text.replace("retention_months = 12", "retention_months = 6"))
    assert await bot.stop() == 0
    bot.extra_env["WEGWIJS_MUNICIPALITY"] = str(changed)
    await bot.restart()
    await asyncio.gather(
        *(
            _new_version_then_delete(bot, chats[lang], lang, code)
            for lang, code in zip(langs, codes, strict=True)
        )
    )
    from tests.storage.test_erase_every_table import KEPT  # no person's data, by design

    kept = {*KEPT, "alembic_version"}
    tables = [r[0] for r in bot.rows("select name from sqlite_master where type = 'table'")]
    left = {name: bot.rows(f"select count(*) from {name}")[0][0] for name in tables}
    assert {name: n for name, n in left.items() if n and name not in kept} == {}
    erasures = bot.rows("select actor, action, target from audit_log order by id")
    assert erasures.count(("person", "case.erase", None)) == 4
    assert erasures.count(("person", "answers.erase", None)) == 4
