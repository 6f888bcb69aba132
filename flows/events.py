"""What a channel adapter turns every incoming update into."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventKind(StrEnum):
    START = "start"  # a (re)opened conversation: resume where the person was
    TEXT = "text"
    CHOICE = "choice"  # a pressed button; `data` is the button's callback data
    COMMAND = "command"  # `/help` → command "help"
    UNSUPPORTED = "unsupported"  # sticker, photo, voice…: `media` says which


@dataclass(frozen=True)
class Event:
    kind: EventKind
    text: str = ""
    data: str = ""
    command: str = ""
    media: str = ""
    lang_hint: str | None = None  # from Telegram or detection: a hint, never a choice

    @classmethod
    def start(cls, lang_hint: str | None = None) -> Event:
        return cls(EventKind.START, lang_hint=lang_hint)

    @classmethod
    def say(cls, text: str, lang_hint: str | None = None) -> Event:
        return cls(EventKind.TEXT, text=text, lang_hint=lang_hint)

    @classmethod
    def press(cls, data: str) -> Event:
        return cls(EventKind.CHOICE, data=data)

    @classmethod
    def cmd(cls, command: str) -> Event:
        return cls(EventKind.COMMAND, command=command.lower())

    @classmethod
    def media_(cls, media: str) -> Event:
        return cls(EventKind.UNSUPPORTED, media=media)
