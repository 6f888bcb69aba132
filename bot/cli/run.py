"""`wegwijs run`, `worker` and `dashboard`: the long-running parts, together or alone."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import Annotated

import typer

from bot.cli.common import log_for_services, run_with_app
from bot.core.app import App
from bot.settings import Settings

MetricsOption = Annotated[
    str | None,
    typer.Option(
        "--metrics",
        metavar="HOST:PORT",
        help="Serve Prometheus metrics here (default WEGWIJS_METRICS_HOST:WEGWIJS_METRICS_PORT; "
        "off without a port). One port per process.",
    ),
]


class Framework(StrEnum):
    aiogram = "aiogram"
    ptb = "ptb"


def run(
    framework: Annotated[Framework, typer.Option(help="Telegram library.")] = Framework.aiogram,
    webhook: Annotated[bool, typer.Option(help="Receive updates over HTTP, not polling.")] = False,
    host: Annotated[str, typer.Option(help="Webhook address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Webhook port.")] = 8080,
    bot: Annotated[bool, typer.Option(help="Run the Telegram bot.")] = True,
    worker: Annotated[bool, typer.Option(help="Run the reminder worker.")] = True,
    dashboard: Annotated[bool, typer.Option(help="Serve the consulent dashboard.")] = True,
    dashboard_host: Annotated[
        str | None, typer.Option(help="Dashboard address (default 127.0.0.1).")
    ] = None,
    dashboard_port: Annotated[int | None, typer.Option(help="Dashboard port (8000).")] = None,
    chat: Annotated[
        str | None,
        typer.Option(
            "--chat",
            metavar="HOST:PORT",
            help="Web chat address (default WEGWIJS_CHAT_HOST:WEGWIJS_CHAT_PORT, 127.0.0.1:8001).",
        ),
    ] = None,
    no_chat: Annotated[bool, typer.Option("--no-chat", help="Do not serve the web chat.")] = False,
    metrics: MetricsOption = None,
) -> None:
    """Run Wegwijs: the Telegram bot (polling, or --webhook behind an HTTPS proxy), the
    reminder worker, the consulent dashboard and the web chat, in one process."""
    from bot.system import Parts, run_system

    log_for_services()
    chat_address = parse_address(chat) if chat else None
    metrics_address = parse_address(metrics, "--metrics") if metrics else None

    async def work(application: App) -> None:
        settings = application.settings
        chat_host, chat_port = chat_address or (settings.chat_host, settings.chat_port)
        secret = settings.telegram_webhook_secret
        parts = Parts(
            bot=bot,
            worker=worker,
            dashboard=dashboard,
            framework=framework.value,
            webhook=webhook,
            host=host,
            port=port,
            secret=secret.get_secret_value() if secret else None,
            dashboard_host=dashboard_host or settings.dashboard_host,
            dashboard_port=dashboard_port or settings.dashboard_port,
            chat=not no_chat,
            chat_host=chat_host,
            chat_port=chat_port,
            metrics=metrics_address or metrics_of(settings),
        )
        await run_system(application, parts)

    run_with_app(work)


def parse_address(value: str, option: str = "--chat") -> tuple[str, int]:
    """`HOST:PORT` (`[::1]:8001` for IPv6, `:8001` for 127.0.0.1) for --chat, --metrics."""
    host, sep, port = value.strip().rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not sep or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise typer.BadParameter(f"{value!r} is not HOST:PORT", param_hint=option)
    return host, int(port)


def metrics_of(settings: Settings) -> tuple[str, int] | None:
    """WEGWIJS_METRICS_HOST:WEGWIJS_METRICS_PORT, or None (off) without a port."""
    if settings.metrics_port is None:
        return None
    return settings.metrics_host, settings.metrics_port


def worker(
    framework: Annotated[Framework, typer.Option(help="Telegram library.")] = Framework.aiogram,
    metrics: MetricsOption = None,
) -> None:
    """Run only the reminder worker (several may run beside each other on PostgreSQL)."""
    from bot.channels.telegram.runner import check_token
    from bot.system import Parts, run_system

    log_for_services()
    metrics_address = parse_address(metrics, "--metrics") if metrics else None

    async def work(application: App) -> None:
        token = application.settings.telegram_bot_token
        check_token(token.get_secret_value() if token else None)
        # The bot object sends; it does not poll when only the worker runs.
        await run_system(
            application,
            Parts(
                bot=True,
                worker=True,
                dashboard=False,
                chat=False,
                framework=framework.value,
                metrics=metrics_address or metrics_of(application.settings),
            ),
            only_send=True,
        )

    run_with_app(work)


def dashboard(
    host: Annotated[str | None, typer.Option(help="Address (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
) -> None:
    """Serve only the consulent dashboard (stops cleanly on SIGTERM or Ctrl-C)."""
    import signal

    from bot.core.translations_live import keep_fresh
    from bot.dashboard.server import serve

    log_for_services()

    async def work(application: App) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        settings = application.settings
        # The dashboard's case sheets show the texts as people read them: corrections too.
        fresh = asyncio.create_task(keep_fresh(application.db, application.renderer, stop))
        await serve(
            application, host or settings.dashboard_host, port or settings.dashboard_port, stop
        )
        stop.set()
        await fresh

    run_with_app(work)
