"""A bare aiogram echo bot: the yardstick for Wegwijs' throughput and latency.

It does the least a Telegram bot can do per update — long-poll, parse, send one message —
with the same framework and HTTP client Wegwijs uses, so the ratio between the two is the
cost of what Wegwijs adds: storage, the engine, rendering, its outbox. Run as
`python -m bench.echo_bot` with TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL set.
"""

from __future__ import annotations

import asyncio
import os
import signal

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE_URL"]))
    bot = Bot(os.environ["TELEGRAM_BOT_TOKEN"], session=session)
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    await stop.wait()
    await dispatcher.stop_polling()
    await polling
    await bot.session.close()


if __name__ == "__main__":
    asyncio.run(main())
