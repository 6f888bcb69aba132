"""Free text typed by staff (a case's label, an appointment's place, name and notes):
cleaned the way the chat cleans a person's words, and kept within its limit.

One cleaner for every edge: `flows.cleaning.clean_text` drops control, bidi-override and
zero-width characters (a label "\\u202egnp.exe" must not show as "exe.png"). Too long is
refused with `TextTooLong`, never cut silently.
"""

from __future__ import annotations

from flows.cleaning import clean_text

__all__ = ["LABEL_MAX", "NAME_MAX", "NOTES_MAX", "PLACE_MAX", "TextTooLong", "clean_field"]

LABEL_MAX = 80
PLACE_MAX = 200
NAME_MAX = 200
NOTES_MAX = 500


class TextTooLong(ValueError):
    """A field longer than its limit (after cleaning)."""

    def __init__(self, field: str, limit: int) -> None:
        super().__init__(f"{field} is longer than {limit} characters")
        self.field = field
        self.limit = limit


def clean_field(
    value: str | None, *, field: str, limit: int, multiline: bool = False
) -> str | None:
    """The cleaned text, or None when nothing is left; `TextTooLong` over `limit`.

    One-line fields get their line breaks as spaces."""
    if value is None:
        return None
    if not multiline:
        value = value.replace("\r", " ").replace("\n", " ")
    text = clean_text(value.replace("\r\n", "\n"))
    if not text:
        return None
    if len(text) > limit:
        raise TextTooLong(field, limit)
    return text
