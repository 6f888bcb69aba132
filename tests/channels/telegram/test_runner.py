"""`wegwijs run` for Telegram: the token check, secrets kept out of logs, the webhook
endpoint, and carrying out actions through an adapter."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.telegram.core import AnswerCallback, ClearKeyboard, Send
from bot.channels.telegram.outbox import Outbox
from bot.channels.telegram.runner import (
    SECRET_HEADER,
    RedactSecrets,
    TelegramBot,
    carry_out,
    check_token,
)
from bot.core.app import StartupError
from bot.core.health import Health
from flows.i18n import Document, RenderedButton
from storage import Database

GOOD_TOKEN = "123456:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"  # 35 letters
WEBHOOK_SECRET = "s3cret-webhook-token_for-tests"
URL = "/telegram/webhook"

# -- check_token ------------------------------------------------------------------------


def test_a_well_formed_token_is_accepted() -> None:
    assert len(GOOD_TOKEN.split(":")[1]) == 35
    assert check_token(GOOD_TOKEN) == GOOD_TOKEN


@pytest.mark.parametrize("token", [None, ""])
def test_a_missing_token_is_refused_with_what_to_do(token: str | None) -> None:
    with pytest.raises(StartupError, match="TELEGRAM_BOT_TOKEN is not set"):
        check_token(token)


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token-at-all-SECRETISH",
        "1234:" + "A" * 35,  # too few digits
        "123456:" + "A" * 10,  # too short after the colon
        "123456" + "A" * 35,  # no colon
        "123456:" + "A" * 30 + "!bad!",  # a character no token has
        " 123456:" + "A" * 35,  # pasted with a space
    ],
)
def test_a_malformed_token_is_refused_without_repeating_it(token: str) -> None:
    with pytest.raises(StartupError) as raised:
        check_token(token)
    assert "does not look like a bot token" in str(raised.value)
    assert token.strip() not in str(raised.value)
    assert token.split(":")[-1] not in str(raised.value)


def test_a_token_with_a_trailing_newline_is_not_passed_on_as_it_is() -> None:
    try:
        token = check_token(GOOD_TOKEN + "\n")
    except StartupError:
        return
    assert token == GOOD_TOKEN


# -- RedactSecrets ----------------------------------------------------------------------


def record(msg: str, *args: object, exc_info: Any = None) -> logging.LogRecord:
    return logging.LogRecord("aiohttp.client", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_a_secret_in_the_arguments_of_a_log_message_is_redacted() -> None:
    redact = RedactSecrets(GOOD_TOKEN, WEBHOOK_SECRET)
    line = record("GET %s failed after %d tries", f"https://api/bot{GOOD_TOKEN}/getMe", 3)
    assert redact.filter(line) is True
    message = logging.Formatter().format(line)
    assert GOOD_TOKEN not in message
    assert message == "GET https://api/bot***/getMe failed after 3 tries"


def test_a_secret_in_the_message_itself_is_redacted() -> None:
    line = record(f"webhook secret is {WEBHOOK_SECRET}")
    RedactSecrets(GOOD_TOKEN, WEBHOOK_SECRET).filter(line)
    assert WEBHOOK_SECRET not in line.getMessage() and "***" in line.getMessage()


def test_a_secret_in_an_exception_traceback_is_redacted() -> None:
    try:
        raise ConnectionError(f"cannot connect to https://api.telegram.org/bot{GOOD_TOKEN}/")
    except ConnectionError:
        line = record("polling failed", exc_info=sys.exc_info())
    RedactSecrets(GOOD_TOKEN).filter(line)
    formatted = logging.Formatter().format(line)
    assert GOOD_TOKEN not in formatted
    assert "ConnectionError" in formatted and "bot***/" in formatted
    assert "polling failed" in formatted


def test_a_log_line_without_secrets_is_left_alone() -> None:
    line = record("sent %d messages", 5)
    assert RedactSecrets(GOOD_TOKEN, "").filter(line) is True
    assert line.msg == "sent %d messages" and line.args == (5,)


def test_redaction_works_through_a_real_handler(caplog: pytest.LogCaptureFixture) -> None:
    redact = RedactSecrets(GOOD_TOKEN)
    caplog.handler.addFilter(redact)
    try:
        logger = logging.getLogger("tests.telegram.redaction")
        with caplog.at_level(logging.INFO, logger=logger.name):
            logger.info("token %s", GOOD_TOKEN)
            try:
                raise RuntimeError(GOOD_TOKEN)
            except RuntimeError:
                logger.exception("boom")
    finally:
        caplog.handler.removeFilter(redact)
    assert GOOD_TOKEN not in caplog.text
    assert "RuntimeError" in caplog.text


# -- the webhook ------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def __call__(self, data: dict[str, Any], **_kw: Any) -> None:
        self.calls.append(data)


@pytest.fixture
async def webhook() -> AsyncIterator[tuple[TestClient, Recorder]]:
    bot = TelegramBot.__new__(TelegramBot)  # webhook_app needs only handle_raw, health
    recorder = Recorder()
    bot.handle_raw = recorder  # type: ignore[method-assign]
    bot.health = Health(Database("sqlite://"))  # the probes: tests/core/test_health.py
    async with TestClient(TestServer(bot.webhook_app(WEBHOOK_SECRET))) as client:
        yield client, recorder


UPDATE = {"update_id": 1, "message": {"chat": {"id": 5, "type": "private"}, "text": "hoi"}}


async def test_a_post_without_the_secret_header_is_refused(webhook) -> None:
    client, recorder = webhook
    response = await client.post(URL, json=UPDATE)
    assert response.status == 401
    assert recorder.calls == []


@pytest.mark.parametrize("secret", ["wrong", WEBHOOK_SECRET[:-1], WEBHOOK_SECRET + "x", ""])
async def test_a_post_with_a_wrong_secret_is_refused(webhook, secret: str) -> None:
    client, recorder = webhook
    response = await client.post(URL, json=UPDATE, headers={SECRET_HEADER: secret})
    assert response.status == 401
    assert recorder.calls == []


async def test_a_post_with_the_secret_and_json_is_handled_once(webhook) -> None:
    client, recorder = webhook
    response = await client.post(URL, json=UPDATE, headers={SECRET_HEADER: WEBHOOK_SECRET})
    assert response.status == 200
    assert recorder.calls == [UPDATE]


@pytest.mark.parametrize("body", [b"not json", b'{"update_id": 1', b"\xff\xfe\x00", b""], ids=repr)
async def test_a_post_with_the_secret_but_no_json_is_a_bad_request(webhook, body: bytes) -> None:
    client, recorder = webhook
    response = await client.post(URL, data=body, headers={SECRET_HEADER: WEBHOOK_SECRET})
    assert response.status == 400
    assert recorder.calls == []


@pytest.mark.parametrize("body", [[1, 2], "update", 5, None], ids=repr)
async def test_json_that_is_not_an_object_is_a_bad_request(webhook, body: object) -> None:
    client, recorder = webhook
    data = json.dumps(body).encode()
    response = await client.post(URL, data=data, headers={SECRET_HEADER: WEBHOOK_SECRET})
    assert response.status == 400
    assert recorder.calls == []


async def test_only_post_on_the_webhook_path_is_served(webhook) -> None:
    client, recorder = webhook
    headers = {SECRET_HEADER: WEBHOOK_SECRET}
    assert (await client.get(URL, headers=headers)).status == 405
    assert (await client.post("/other", json=UPDATE, headers=headers)).status == 404
    assert recorder.calls == []


# -- carry_out --------------------------------------------------------------------------


class FakeAdapter:
    name = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def retry_after(self, exc: BaseException) -> float | None:
        return None

    def permanent(self, exc: BaseException) -> bool:
        return True

    def transient(self, exc: BaseException) -> bool:
        return False

    async def send_message(self, chat_id: int, text: str, buttons: Any) -> None:
        self.calls.append(("send_message", chat_id, text, buttons))

    async def send_document(self, chat_id: int, document: Document, caption: str) -> None:
        self.calls.append(("send_document", chat_id, document.filename, caption))

    async def answer_callback(self, callback_id: str) -> None:
        self.calls.append(("answer_callback", callback_id))

    async def clear_keyboard(self, chat_id: int, message_id: int) -> None:
        self.calls.append(("clear_keyboard", chat_id, message_id))

    async def close(self) -> None:
        self.calls.append(("close",))


async def no_sleep(seconds: float) -> None:
    return None


async def test_each_action_becomes_its_adapter_call() -> None:
    adapter, outbox = FakeAdapter(), Outbox(sleep=no_sleep)
    buttons = ((RenderedButton("English", "lang:en"),),)
    actions = [
        AnswerCallback("cb"),
        ClearKeyboard(5, 77),
        Send(5, "hallo", buttons),
        Send(5, "", document=Document("wegwijs-my-data.json", b"{}")),
    ]
    for action in actions:
        await carry_out(action, adapter, outbox)  # type: ignore[arg-type]
    assert adapter.calls == [
        ("answer_callback", "cb"),
        ("clear_keyboard", 5, 77),
        ("send_message", 5, "hallo", buttons),
        ("send_document", 5, "wegwijs-my-data.json", ""),
    ]


class SlowCore:
    """A TelegramCore stand-in whose step takes until `release` is set."""

    def __init__(self, actions: list[Any]) -> None:
        self.actions = actions
        self.release = asyncio.Event()
        self.started = asyncio.Event()

    async def handle(self, _incoming: Any, **_kw: Any) -> list[Any]:
        self.started.set()
        await self.release.wait()
        return self.actions

    def stop(self) -> None:
        pass


def press_update(update_id: int = 7) -> dict[str, Any]:
    chat = {"id": 5, "type": "private"}
    message = {"message_id": 77, "chat": chat, "date": 0, "text": "…"}
    query = {"id": "cb", "from": {"id": 5}, "message": message, "data": "a:x:y"}
    return {"update_id": update_id, "callback_query": query}


async def test_a_button_press_is_answered_before_its_step_is_done_and_only_once() -> None:
    bot = TelegramBot.__new__(TelegramBot)
    bot.adapter, bot.outbox = FakeAdapter(), Outbox(sleep=no_sleep)  # type: ignore[assignment]
    core = SlowCore([AnswerCallback("cb"), ClearKeyboard(5, 77), Send(5, "next question")])
    bot.core = core  # type: ignore[assignment]
    handling = asyncio.ensure_future(bot.handle_raw(press_update()))
    await core.started.wait()
    for _ in range(5):
        await asyncio.sleep(0)
    assert bot.adapter.calls == [("answer_callback", "cb")]  # type: ignore[attr-defined]
    core.release.set()
    await handling
    assert bot.adapter.calls == [  # type: ignore[attr-defined]
        ("answer_callback", "cb"),
        ("clear_keyboard", 5, 77),
        ("send_message", 5, "next question", ()),
    ]


def slow_bot(core: SlowCore, outbox: Outbox) -> TelegramBot:
    bot = TelegramBot.__new__(TelegramBot)
    bot.adapter, bot.outbox, bot.core = FakeAdapter(), outbox, core  # type: ignore[assignment]
    return bot


async def test_at_shutdown_the_replies_of_an_update_being_handled_still_go() -> None:
    core = SlowCore([AnswerCallback("cb"), ClearKeyboard(5, 77), Send(5, "next question")])
    bot = slow_bot(core, Outbox(sleep=no_sleep))
    handling = asyncio.ensure_future(bot.handle_raw(press_update()))
    await core.started.wait()
    closing = asyncio.ensure_future(bot.close())  # SIGTERM while the step is saved
    for _ in range(5):
        await asyncio.sleep(0)
    assert not closing.done()
    core.release.set()
    await asyncio.gather(handling, closing)
    assert bot.adapter.calls == [  # type: ignore[attr-defined]
        ("answer_callback", "cb"),
        ("clear_keyboard", 5, 77),
        ("send_message", 5, "next question", ()),
        ("close",),  # the connection closes after the replies, not before
    ]


async def test_an_update_still_handled_after_the_drain_does_not_hold_up_shutdown() -> None:
    core = SlowCore([Send(5, "next question")])
    bot = slow_bot(core, Outbox(sleep=no_sleep, drain=0.05))
    handling = asyncio.ensure_future(bot.handle_raw(press_update()))
    await core.started.wait()
    await bot.close()  # returns though the step is not done
    core.release.set()
    await handling
    assert ("send_message", 5, "next question", ()) not in bot.adapter.calls  # type: ignore[attr-defined]
    assert bot.adapter.calls[-1] == ("close",)  # type: ignore[attr-defined]
