"""The console channel: the same flows in a terminal, for trying and demoing without
Telegram. Buttons are numbered; piped input works, so a script can drive an intake."""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot.core.service import Inbound, Service
from flows.events import Event
from flows.i18n import Rendered, RenderedButton

CHANNEL = "console"


class Console:
    def __init__(self, service: Service, chat_id: int, stdin: TextIO, stdout: TextIO) -> None:
        self.service = service
        self.chat_id = chat_id
        self.stdin = stdin
        self.stdout = stdout
        self.echo = not stdin.isatty()  # show piped input, so a transcript reads like a chat
        self.buttons: list[RenderedButton] = []

    async def run(self, first: Event | None = None) -> None:
        # A language given up front opens the conversation itself; otherwise resume.
        await self.send(first or Event.start())
        while True:
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                self.write("(end of input: answers are saved; continue with the same --case)")
                return
            line = line.rstrip("\r\n")
            if self.echo:
                self.write(f"> {line}")
            if line.strip() in ("/quit", "/exit"):
                self.write("(stopped: your answers are saved)")
                return
            event = self.to_event(line)
            if event is not None:
                await self.send(event)

    def to_event(self, line: str) -> Event | None:
        text = line.strip()
        if not text:
            return None
        if text.startswith("/"):
            return Event.cmd(text[1:].split()[0]) if len(text) > 1 else Event.say(text)
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            return Event.press(self.buttons[int(text) - 1].data)
        return Event.say(line)

    async def send(self, event: Event) -> None:
        replies = await self.service.handle(Inbound(CHANNEL, self.chat_id, event))
        for reply in replies:
            self.show(reply)

    def show(self, reply: Rendered) -> None:
        self.write("")
        if reply.text:
            self.write(reply.text)
        if reply.document is not None:
            size = len(reply.document.content)
            self.write(f"[file {reply.document.filename}, {size} bytes]")
        flat = [button for row in reply.buttons for button in row]
        if flat:
            self.buttons = flat
            for number, button in enumerate(flat, start=1):
                self.write(f"  {number:>2}) {button.label}")

    def write(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()
