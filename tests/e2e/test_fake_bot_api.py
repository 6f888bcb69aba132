"""Self-tests of the fake Bot API with a plain aiohttp client, no bot involved.

The media tests parse every injected update with aiogram and with python-telegram-bot, so
both frameworks are known to accept the JSON the fake produces.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import telegram
from aiogram.types import Update as AiogramUpdate

from tests.e2e.fake_bot_api import BOT_ID, DEFAULT_TOKEN, MEDIA_KINDS, FakeBotApi

KEYBOARD = {
    "inline_keyboard": [
        [{"text": "Ja", "callback_data": "yes"}, {"text": "Nee", "callback_data": "no"}]
    ]
}


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


class Client:
    """Calls the fake like a bot library would."""

    def __init__(self, api: FakeBotApi, http: aiohttp.ClientSession) -> None:
        self.api, self.http = api, http

    async def __call__(
        self, method: str, token: str = DEFAULT_TOKEN, **kwargs: Any
    ) -> tuple[int, dict[str, Any]]:
        url = f"{self.api.base_url}/bot{token}/{method}"
        async with self.http.post(url, **kwargs) as response:
            return response.status, await response.json()


@pytest.fixture
def call(api: FakeBotApi, http: aiohttp.ClientSession) -> Client:
    return Client(api, http)


async def test_get_me_checks_the_token(call: Client) -> None:
    status, body = await call("getMe")
    assert status == 200
    assert body["result"]["id"] == BOT_ID
    assert body["result"]["username"] == "wegwijs_test_bot"
    status, body = await call("getMe", token="123:wrong")
    assert status == 401
    assert body == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert [c.method for c in call.api.calls] == ["getMe"]


async def test_get_updates_returns_pushed_updates_and_honours_offset(
    api: FakeBotApi, call: Client
) -> None:
    first = api.push_text(42, "hallo")
    second = api.push_command(42, "/start ABC")
    assert (first, second) == (100000, 100001)

    _, body = await call("getUpdates", data={"timeout": "0"})
    updates = body["result"]
    assert [u["update_id"] for u in updates] == [first, second]
    assert updates[0]["message"]["from"] == {
        "id": 42,
        "is_bot": False,
        "first_name": "Tester42",
        "language_code": "ar",
    }
    assert updates[1]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]

    # Unconfirmed updates come again; the offset confirms everything below it.
    _, body = await call("getUpdates", data={"offset": str(first + 1)})
    assert [u["update_id"] for u in body["result"]] == [second]
    _, body = await call("getUpdates", data={"offset": str(second + 1)})
    assert body["result"] == []

    # After a crash Telegram redelivers the same update.
    api.push_raw(updates[1])
    _, body = await call("getUpdates", data={"offset": str(second + 1), "limit": "1"})
    assert body["result"] == [updates[1]]


async def test_limit_and_allowed_updates(api: FakeBotApi, call: Client) -> None:
    for n in range(3):
        api.push_text(7, f"bericht {n}")
    api.push_callback(7, "yes")
    _, body = await call("getUpdates", data={"limit": "2"})
    assert len(body["result"]) == 2
    _, body = await call("getUpdates", json={"allowed_updates": ["callback_query"]})
    assert [list(u)[1] for u in body["result"]] == ["callback_query"]


async def test_long_poll_returns_as_soon_as_an_update_is_pushed(
    api: FakeBotApi, call: Client
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(call("getUpdates", data={"timeout": "30"}))
    await api.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls))
    api.push_text(5, "nu")
    _, body = await asyncio.wait_for(poll, 1.5)
    assert [u["message"]["text"] for u in body["result"]] == ["nu"]
    assert time.monotonic() - started < 1.5


async def test_long_poll_waits_for_the_timeout_capped_at_max_poll(
    api: FakeBotApi, call: Client
) -> None:
    api.max_poll = 0.3
    started = time.monotonic()
    _, body = await call("getUpdates", data={"timeout": "30"})
    assert body["result"] == []
    assert 0.25 <= time.monotonic() - started < 1.5


async def test_send_message_form_encoded_records_the_decoded_keyboard(
    api: FakeBotApi, call: Client
) -> None:
    data = {"chat_id": "42", "text": "Kies:", "reply_markup": json.dumps(KEYBOARD)}
    _, first = await call("sendMessage", data=data)
    _, second = await call("sendMessage", data={"chat_id": "42", "text": "123"})
    assert first["result"]["reply_markup"] == KEYBOARD
    assert first["result"]["chat"]["id"] == 42
    assert second["result"]["message_id"] == first["result"]["message_id"] + 1
    assert api.calls[0].params == {"chat_id": 42, "text": "Kies:", "reply_markup": KEYBOARD}
    assert api.texts(42) == ["Kies:", "123"]  # free text stays text
    assert api.last_keyboard(42) == [[("Ja", "yes"), ("Nee", "no")]]


async def test_send_message_multipart_and_json_bodies(api: FakeBotApi, call: Client) -> None:
    form = aiohttp.FormData(default_to_multipart=True)
    form.add_field("chat_id", "9")
    form.add_field("text", "مرحبا")
    form.add_field("reply_markup", json.dumps(KEYBOARD))
    status, _ = await call("sendMessage", data=form)
    assert status == 200
    await call("sendMessage", json={"chat_id": 9, "text": "tweede", "reply_markup": KEYBOARD})
    assert [c.params["reply_markup"] for c in api.sent(9)] == [KEYBOARD, KEYBOARD]
    assert api.texts(9) == ["مرحبا", "tweede"]


async def test_send_document_records_the_file(api: FakeBotApi, call: Client) -> None:
    aiogram_style = aiohttp.FormData()
    aiogram_style.add_field("chat_id", "3")
    aiogram_style.add_field("document", "attach://x1y2")
    aiogram_style.add_field("x1y2", b"%PDF-1", filename="samenvatting.pdf")
    ptb_style = aiohttp.FormData()
    ptb_style.add_field("chat_id", "3")
    ptb_style.add_field("caption", "Uw overzicht")
    ptb_style.add_field("document", b"col\n", filename="antwoorden.csv")
    _, body = await call("sendDocument", data=aiogram_style)
    await call("sendDocument", data=ptb_style)
    assert body["result"]["document"]["file_name"] == "samenvatting.pdf"
    assert [c.files for c in api.sent(3)] == [
        {"document": ("samenvatting.pdf", b"%PDF-1")},
        {"document": ("antwoorden.csv", b"col\n")},
    ]
    assert api.texts(3) == ["", "Uw overzicht"]


async def test_429_injection_then_success(api: FakeBotApi, call: Client) -> None:
    api.fail_next("sendMessage", retry_after=3)
    status, body = await call("sendMessage", data={"chat_id": "1", "text": "a"})
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    status, _ = await call("sendMessage", data={"chat_id": "1", "text": "a"})
    assert status == 200
    assert [c.status for c in api.calls] == [429, 200]
    assert api.texts(1) == ["a"]  # only what the user actually received


@pytest.mark.parametrize(
    ("status", "description"),
    [(500, "Internal Server Error"), (400, "Bad Request: chat not found")],
)
async def test_other_injected_failures(
    api: FakeBotApi, call: Client, status: int, description: str
) -> None:
    api.fail_next("sendChatAction", status=status, times=2, description=description)
    for expected in (status, status, 200):
        got, body = await call("sendChatAction", data={"chat_id": "1", "action": "typing"})
        assert got == expected
    assert body == {"ok": True, "result": True}


async def test_commands_are_stored_per_scope_and_language(api: FakeBotApi, call: Client) -> None:
    commands = [{"command": "start", "description": "ابدأ"}]
    await call("setMyCommands", data={"commands": json.dumps(commands), "language_code": "ar"})
    scope = {"type": "all_private_chats"}
    help_ = [{"command": "help", "description": "Hulp"}]
    await call("setMyCommands", data={"commands": json.dumps(help_), "scope": json.dumps(scope)})
    _, body = await call("getMyCommands", data={"language_code": "ar"})
    assert body["result"] == commands
    assert api.my_commands(scope=scope) == help_
    assert api.my_commands() == []
    await call("deleteMyCommands", data={"language_code": "ar"})
    assert api.my_commands("ar") == []
    status, _ = await call(
        "setMyCommands", data={"commands": json.dumps([{"command": "Start", "description": "x"}])}
    )
    assert status == 400


async def test_edits_update_the_keyboard(api: FakeBotApi, call: Client) -> None:
    message = {"chat_id": 8, "text": "Kies", "reply_markup": KEYBOARD}
    _, body = await call("sendMessage", json=message)
    message_id = body["result"]["message_id"]
    api.push_callback(8, "yes")
    assert api.pushed[-1]["callback_query"]["message"]["message_id"] == message_id
    status, _ = await call("editMessageText", json={**message, "message_id": message_id})
    assert status == 400  # message is not modified
    status, body = await call(
        "editMessageReplyMarkup", json={"chat_id": 8, "message_id": message_id}
    )
    assert status == 200
    assert "reply_markup" not in body["result"]
    assert api.last_keyboard(8) == []


async def test_webhook_blocks_get_updates(call: Client) -> None:
    await call("setWebhook", data={"url": "https://example.org/hook"})
    _, info = await call("getWebhookInfo")
    assert info["result"]["url"] == "https://example.org/hook"
    status, _ = await call("getUpdates")
    assert status == 409
    await call("deleteWebhook", data={"drop_pending_updates": "true"})
    status, _ = await call("getUpdates")
    assert status == 200


async def test_unknown_methods_are_recorded(api: FakeBotApi, call: Client) -> None:
    _, body = await call("setChatMenuButton", data={"chat_id": "1"})
    assert body == {"ok": True, "result": True}
    assert api.calls[-1].method == "setChatMenuButton"


async def test_wait_helpers(api: FakeBotApi, call: Client) -> None:
    with pytest.raises(TimeoutError):
        await api.wait_sent(11, 1, timeout=0.1)
    api.push_callback(11, "yes")
    query_id = api.pushed[-1]["callback_query"]["id"]

    async def bot() -> None:
        await call("answerCallbackQuery", data={"callback_query_id": query_id})
        await call("sendMessage", data={"chat_id": "11", "text": "Dank"})

    task = asyncio.create_task(bot())
    sent = await api.wait_sent(11, 1)
    assert [c.params["text"] for c in sent] == ["Dank"]
    assert [c.params["text"] for c in await api.wait_idle(11, quiet=0.1)] == ["Dank"]
    await task
    assert api.chat_of(api.calls[0]) == 11  # answerCallbackQuery counts for the chat


def _updates(api: FakeBotApi) -> list[dict[str, Any]]:
    api.push_text(1, "tekst", language_code=None)
    api.push_command(1, "/start ABC")
    api.push_edited(1, "verbeterd")
    api.push_group_text(555, "hoi groep")
    api.push_callback(1, "yes")
    for kind in MEDIA_KINDS:
        api.push_media(1, kind, caption="bijschrift" if kind == "photo" else None)
    return api.pushed


async def test_every_update_parses_in_aiogram_and_ptb(api: FakeBotApi) -> None:
    updates = _updates(api)
    assert len({u["update_id"] for u in updates}) == len(updates)
    for data in updates:
        parsed = AiogramUpdate.model_validate(data)
        assert parsed.update_id == data["update_id"]
        assert telegram.Update.de_json(data, bot=None).update_id == data["update_id"]
    group = updates[3]["message"]["chat"]
    assert group["type"] == "group" and group["id"] == -555


@pytest.mark.parametrize("kind", MEDIA_KINDS)
async def test_media_kind_is_recognised_by_both_frameworks(api: FakeBotApi, kind: str) -> None:
    api.push_media(1, kind)
    data = api.pushed[-1]
    assert AiogramUpdate.model_validate(data).message.content_type == kind
    assert getattr(telegram.Update.de_json(data, bot=None).message, kind)


async def test_real_aiogram_client_requests_are_understood(api: FakeBotApi) -> None:
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.exceptions import TelegramRetryAfter
    from aiogram.types import BotCommand, BufferedInputFile, InlineKeyboardMarkup

    session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url))
    async with Bot(DEFAULT_TOKEN, session=session) as bot:
        assert (await bot.get_me()).username == "wegwijs_test_bot"
        markup = InlineKeyboardMarkup.model_validate(KEYBOARD)
        message = await bot.send_message(21, "Kies", reply_markup=markup)
        document = await bot.send_document(21, BufferedInputFile(b"%PDF", "a.pdf"), caption="c")
        await bot.set_my_commands(
            [BotCommand(command="start", description="Begin")], language_code="nl"
        )
        api.fail_next("sendMessage", retry_after=2)
        with pytest.raises(TelegramRetryAfter) as retry:
            await bot.send_message(21, "x")
        updates = await bot.get_updates(timeout=0, allowed_updates=["message"])
    assert message.reply_markup
    assert message.reply_markup.model_dump(exclude_none=True) == KEYBOARD
    assert document.document and document.document.file_name == "a.pdf"
    assert api.sent(21)[1].files == {"document": ("a.pdf", b"%PDF")}
    assert api.my_commands("nl") == [{"command": "start", "description": "Begin"}]
    assert retry.value.retry_after == 2
    assert updates == []
    assert api.calls[-1].params == {"timeout": 0, "allowed_updates": ["message"]}


@pytest.mark.filterwarnings("ignore:.*retry_after.*timedelta:DeprecationWarning")
async def test_real_ptb_client_requests_are_understood(api: FakeBotApi) -> None:
    from telegram import Bot, BotCommand, InlineKeyboardMarkup
    from telegram.error import RetryAfter

    bot = Bot(DEFAULT_TOKEN, base_url=api.ptb_base_url, base_file_url=api.ptb_base_file_url)
    async with bot:  # initialize() calls getMe
        assert bot.username == "wegwijs_test_bot"
        markup = InlineKeyboardMarkup.de_json(KEYBOARD, bot)
        message = await bot.send_message(22, "Kies", reply_markup=markup)
        document = await bot.send_document(22, b"a;b\n", filename="a.csv", caption="c")
        await bot.set_my_commands([BotCommand("start", "Begin")], language_code="ar")
        api.fail_next("sendMessage", retry_after=2)
        with pytest.raises(RetryAfter) as retry:
            await bot.send_message(22, "x")
        api.downloads["doc-1"] = b"inhoud"
        downloaded = await (await bot.get_file("doc-1")).download_as_bytearray()
    assert message.reply_markup == markup
    assert document.document and document.document.file_name == "a.csv"
    assert api.sent(22)[1].files == {"document": ("a.csv", b"a;b\n")}
    assert api.my_commands("ar") == [{"command": "start", "description": "Begin"}]
    assert retry.value.retry_after == 2
    assert bytes(downloaded) == b"inhoud"
