"""What a person types, made safe to store and show: one cleaner for the chat and for
every free-text field of the dashboard and the CLI (through `bot.core.text`)."""

from __future__ import annotations

import re
import unicodedata

# Zero-width joiners stay: Persian and emoji need them. Other invisible characters go.
_KEEP_FORMAT = {"\u200c", "\u200d"}


def clean_text(raw: str) -> str:
    """Drop control and invisible characters; keep newlines and joiners (Persian, emoji)."""
    kept = []
    for char in raw:
        category = unicodedata.category(char)
        if char == "\n" or (category not in ("Cc", "Cf", "Co", "Cs") or char in _KEEP_FORMAT):
            kept.append(char)
    text = "".join(kept)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not any(char not in _KEEP_FORMAT and not char.isspace() for char in text):
        return ""  # joiners alone are not an answer
    return text.strip()
