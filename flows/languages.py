"""The languages Wegwijs speaks, each named in its own script."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    own_name: str  # shown on the language buttons, never translated
    rtl: bool = False


LANGUAGES: dict[str, Language] = {
    "ar": Language("ar", "العربية", rtl=True),
    "ti": Language("ti", "ትግርኛ"),
    "nl": Language("nl", "Nederlands"),
    "en": Language("en", "English"),
}
DUTCH = "nl"


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES
