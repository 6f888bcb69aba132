"""`wegwijs chat`: the console channel, the same conversation as on Telegram."""

from __future__ import annotations

import logging
import secrets
import sys
from typing import Annotated

import typer

from bot.channels.console import CHANNEL as CONSOLE
from bot.channels.console import Console
from bot.cli.common import check_lang, fail, log_for_services, run_with_app
from bot.core.app import App
from flows.events import Event
from flows.screens.language import language_button


def chat(
    lang: Annotated[str | None, typer.Option(help="Language: ar, ti, nl or en.")] = None,
    case: Annotated[str | None, typer.Option(help="Invite code of the case to continue.")] = None,
) -> None:
    """Talk to Wegwijs in this terminal: the same conversation as on Telegram."""
    check_lang(lang)
    log_for_services(logging.WARNING)  # the terminal is the conversation: warnings only

    async def work(application: App) -> None:
        service = application.service
        if case is None:
            created = await service.create_case(language=lang, actor="cli")
            code = created.invite_code
            chat_id = secrets.randbits(62)
            typer.echo(f"A new practice case was made, with code {code}.")
            typer.echo(f"Continue it later with: wegwijs chat --case {code}")
        else:
            found = await service.console_chat_id(case)
            if found is None:
                raise fail(f"no case has the code {case!r}; make one with `wegwijs case create`")
            code, chat_id = case, found
        await service.attach(CONSOLE, chat_id, code, consume=False)
        first = Event.press(language_button(lang)) if lang else None
        await Console(service, chat_id, sys.stdin, sys.stdout).run(first)

    try:
        run_with_app(work)
    except KeyboardInterrupt:
        typer.echo("\n(stopped: your answers are saved)")
