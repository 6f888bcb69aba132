"""What a channel adapter turns every incoming update into."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Notice(StrEnum):
    """What became of an invite code given with /start."""

    INVITE_OK = "invite_ok"
    INVITE_UNKNOWN = "invite_unknown"
    INVITE_EXPIRED = "invite_expired"
    CASE_CLOSED = "case_closed"


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
    notice: str = ""  # with START: what happened to an invite code (see Notice)

    @classmethod
    def start(cls, lang_hint: str | None = None, notice: str = "") -> Event:
        return cls(EventKind.START, lang_hint=lang_hint, notice=notice)

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
