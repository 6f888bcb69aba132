"""`wegwijs run` for Telegram: start-up checks, polling or webhook, clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import signal
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiohttp import web

from bot.channels.telegram.core import (
    Action,
    AnswerCallback,
    Buttons,
    ClearKeyboard,
    HandBack,
    Send,
    TelegramCore,
    Unauthorized,
    command_menus,
    parse_update,
    split_text,
)
from bot.channels.telegram.deferred_models import import_aiogram
from bot.channels.telegram.observe import observe
from bot.channels.telegram.outbox import Kind, Outbox
from bot.channels.telegram.probes import add_probes
from bot.core.app import App, StartupError
from flows.i18n import Document, Rendered

log = logging.getLogger(__name__)
TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# While the database is away a webhook request is held this long, then answered 503 so
# that Telegram delivers the update again (its own wait for an answer is about a minute).
WEBHOOK_HOLD = 20.0
# A worker's message (a reminder) meeting a Bot API outage is given up sooner than a
# reply: it stays due in the database and the worker sends it later, and a send must not
# outlive the worker's lease on it (another worker would send it too).
DELIVER_GIVE_UP = 20.0
FRAMEWORKS = ("aiogram", "ptb")


class Adapter(Protocol):
    name: str

    def retry_after(self, exc: BaseException) -> float | None: ...
    def permanent(self, exc: BaseException) -> bool: ...
    def transient(self, exc: BaseException) -> bool: ...
    async def username(self) -> str: ...
    async def set_commands(self, menus: dict[str | None, list[tuple[str, str]]]) -> None: ...
    async def poll(
        self, handle: Callable[[dict[str, Any]], Awaitable[None]], stop: asyncio.Event
    ) -> None: ...
    def send_message(self, chat_id: int, text: str, buttons: Buttons) -> Awaitable[Any]: ...
    def send_document(self, chat_id: int, document: Document, caption: str) -> Awaitable[Any]: ...
    def answer_callback(self, callback_id: str) -> Awaitable[Any]: ...
    def clear_keyboard(self, chat_id: int, message_id: int) -> Awaitable[Any]: ...
    async def close(self) -> None: ...


class RedactSecrets(logging.Filter):
    """Keeps the bot token (and the webhook secret) out of every log line, whatever
    library writes it (URLs with the token appear in HTTP client errors)."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            for secret in self.secrets:
                text = text.replace(secret, "***")
            record.exc_text, record.exc_info = text, None
        return True


def install_redaction(*secrets: str) -> None:
    redact = RedactSecrets(*secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


def check_token(token: str | None) -> str:
    if not token:
        raise StartupError(
            "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token "
            "in the environment or in .env (try the conversation without Telegram: wegwijs chat)"
        )
    if not TOKEN_SHAPE.fullmatch(token):
        raise StartupError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then about "
            "35 letters and digits): copy it again from @BotFather"
        )
    return token


def make_adapter(framework: str, token: str, base_url: str) -> Adapter:
    if framework == "ptb":
        from bot.channels.telegram.ptb_adapter import PtbAdapter

        return PtbAdapter(token, base_url)
    # aiogram's types are built when first used, not all at import (see deferred_models).
    adapter = import_aiogram("bot.channels.telegram.aiogram_adapter").AiogramAdapter
    return adapter(token, base_url)


async def carry_out(
    action: Action,
    adapter: Adapter,
    outbox: Outbox,
    since: float | None = None,
    give_up: float | None = None,
) -> bool:
    """One action, within Telegram's limits and with retries (see Outbox); False when
    it finally failed. `since`: when the update it answers arrived (`outbox.clock()`)."""
    if isinstance(action, Send):
        if action.document is not None:
            document = action.document

            def call() -> Awaitable[Any]:
                return adapter.send_document(action.chat_id, document, action.text)
        else:

            def call() -> Awaitable[Any]:
                return adapter.send_message(action.chat_id, action.text, action.buttons)

        chat, what, kind = action.chat_id, "sendMessage", Kind.MESSAGE
    elif isinstance(action, AnswerCallback):

        def call() -> Awaitable[Any]:
            return adapter.answer_callback(action.callback_id)

        # Not a message: it stops the button's spinner, and goes at once.
        chat, what, kind = 0, "answerCallbackQuery", Kind.CALLBACK
    else:
        assert isinstance(action, ClearKeyboard)

        def call() -> Awaitable[Any]:
            return adapter.clear_keyboard(action.chat_id, action.message_id)

        # An edit counts against its own chat only, not the overall message rate.
        chat, what, kind = action.chat_id, "editMessageReplyMarkup", Kind.EDIT
    sent = await outbox.send(chat, call, adapter, what, kind, since, give_up)
    return sent is not None


class TelegramBot:
    def __init__(self, app: App, framework: str, rate: float = 25.0) -> None:
        """`rate`: messages a second overall, from the municipality file."""
        settings = app.settings
        token = check_token(
            settings.telegram_bot_token and settings.telegram_bot_token.get_secret_value()
        )
        install_redaction(token)
        self.adapter = make_adapter(framework, token, settings.telegram_api_base_url)
        self.core = TelegramCore(app.service)
        self.outbox = Outbox(
            rate=rate,
            per_chat_rate=settings.telegram_chat_rate,
            give_up=settings.telegram_give_up,
            backoff_cap=settings.telegram_retry_cap,
            on_give_up=self.core.missed,
        )
        self.base_url = settings.telegram_api_base_url
        self._telling: set[asyncio.Future[bool]] = set()
        self.health = app.health

    async def start(self) -> None:
        try:
            username = await self.adapter.username()
        except Unauthorized:
            raise StartupError(
                "Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather"
            ) from None
        except Exception as exc:  # unreachable server, DNS, TLS: one clear line
            raise StartupError(
                f"cannot reach the Bot API at {self.base_url} ({type(exc).__name__}); "
                "check TELEGRAM_API_BASE_URL and the network"
            ) from None
        await self.adapter.set_commands(command_menus(self.core.service))
        log.warning("Telegram bot @%s ready (%s)", username, self.adapter.name)

    async def handle_raw(self, data: dict[str, Any], *, webhook: bool = False) -> None:
        """Process one update and send its replies. While the database is away it is
        held (see `TelegramCore.handle`): a webhook's for `WEBHOOK_HOLD` seconds, then
        `HandBack` (answer non-200); polling's until it is back, the person told once,
        as the framework has already confirmed it to Telegram."""
        incoming = parse_update(data)
        if incoming is None:
            return
        since = self.outbox.clock()
        answer: asyncio.Future[bool] | None = None
        async with self.outbox.expecting():  # at shutdown, its replies still go (drain)
            if incoming.callback_id is not None:
                # The spinner on the person's button stops now, not after the step is saved.
                answer = asyncio.ensure_future(
                    carry_out(AnswerCallback(incoming.callback_id), self.adapter, self.outbox)
                )
            try:
                try:
                    actions = await self.core.handle(
                        incoming,
                        give_back_after=WEBHOOK_HOLD if webhook else None,
                        tell=None if webhook else self._tell,
                        redelivered_shows_question=webhook,
                    )
                except HandBack:
                    if webhook:
                        raise
                    return  # stopping while polling: logged; nothing left to do
                for action in actions:
                    if answer is not None and isinstance(action, AnswerCallback):
                        continue  # answered above
                    await carry_out(action, self.adapter, self.outbox, since)
            finally:
                if answer is not None:
                    await answer

    async def _tell(self, send: Send) -> None:
        """The notice goes beside the held update, not before its next try (the Bot API
        may be away too); a reference is kept until it went."""
        task = asyncio.ensure_future(
            carry_out(send, self.adapter, self.outbox, give_up=DELIVER_GIVE_UP)
        )
        self._telling.add(task)
        task.add_done_callback(self._telling.discard)

    async def deliver(self, chat_id: int, rendered: Rendered) -> bool:
        """Send one message the worker made (a reminder, an invitation with its .ics),
        through the same outbox as the replies, so one chat's limit holds for both."""
        *first, last = split_text(rendered.text) if rendered.text else [""]
        actions = [Send(chat_id, chunk) for chunk in first]
        actions.append(Send(chat_id, last, rendered.buttons, rendered.document))
        for action in actions:
            if not await carry_out(action, self.adapter, self.outbox, give_up=DELIVER_GIVE_UP):
                return False
        return True

    async def run_polling(self, stop: asyncio.Event) -> None:
        await self.adapter.poll(self.handle_raw, stop)

    async def close_outbox_on(self, stop: asyncio.Event) -> None:
        """At shutdown the outbox drains: for a few seconds queued replies, and those of
        updates still being handled, go within the limits; what would go later is lost
        like in a crash (the answers behind it are committed; an unsent reminder stays
        due in the database). So the framework's wait for running handlers stays short."""
        await stop.wait()
        self.core.stop()
        self.outbox.close()

    def webhook_app(self, secret: str) -> web.Application:
        """Updates posted by Telegram, each processed before the 200, so a crash, or a
        database away for longer than `WEBHOOK_HOLD` (503), makes Telegram deliver it
        again (and the processed-update record keeps it single)."""

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), secret.encode()):
                return web.Response(status=401, text="wrong or missing secret token")
            try:
                data = await request.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                return web.Response(status=400, text="not JSON")
            if not isinstance(data, dict):
                return web.Response(status=400, text="not an update")
            try:
                await self.handle_raw(data, webhook=True)
            except HandBack:
                return web.Response(status=503, text="database unavailable, send it again")
            return web.Response(text="ok")

        application = web.Application(client_max_size=1024 * 1024)
        application.router.add_post("/telegram/webhook", receive)
        add_probes(application, self.health)
        return application

    async def close(self) -> None:
        """After the drain: a framework may stop polling before its handlers are done
        (aiogram does), and their replies need the adapter's connection."""
        self.outbox.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.outbox.drained(), self.outbox.drain + 1.0)
        self.core.stop()
        await self.adapter.close()


def stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


def make_bot(app: App, framework: str) -> TelegramBot:
    """The bot, at the overall rate of the municipality file (or TELEGRAM_RATE)."""
    rate = app.settings.telegram_rate or app.municipality.reminders.rate_per_second
    return observe(TelegramBot(app, framework, rate=rate), app.health)


async def serve_bot(
    bot: TelegramBot, webhook: bool, host: str, port: int, secret: str | None, stop: asyncio.Event
) -> None:
    """Receive updates until `stop` is set: polling, or the webhook endpoint."""
    if not webhook:
        await bot.run_polling(stop)
        return
    if not secret:
        raise StartupError("--webhook needs TELEGRAM_WEBHOOK_SECRET (Telegram's secret_token)")
    install_redaction(secret)
    runner = web.AppRunner(bot.webhook_app(secret), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise StartupError(f"cannot listen on {host}:{port} ({exc.strerror})") from None
    log.warning("webhook listening on http://%s:%d/telegram/webhook", host, port)
    await stop.wait()
    await runner.cleanup()
