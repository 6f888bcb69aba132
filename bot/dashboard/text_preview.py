"""How a text will look before it is saved: on Telegram and in the web chat, alone and
in bilingual mode (the person's language with the Dutch underneath), once per plural
form with a count that picks that form. Rendered by the bot's own renderer, with the
typed text as the only correction in its layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.catalog_rules import placeholders
from bot.core.translations import Entry
from bot.core.translations_check import plural_rule
from flows.i18n import DUTCH_DIVIDER, Renderer
from flows.languages import DUTCH
from flows.model import Contextual
from flows.replies import Msg

__all__ = ["Preview", "previews"]


@dataclass(frozen=True)
class Preview:
    count: int | None  # the example count of a plural form
    own: str
    bilingual: str


def _example_counts(lang: str, number: int) -> list[int]:
    """For each plural form a count that picks it (the smallest, but 1 before 0)."""
    _forms, table = plural_rule(lang)
    counts: list[int] = []
    for form in range(number):
        found = [n for n, chosen in enumerate(table or []) if chosen == form]
        preferred = [n for n in found if n >= 1] or found
        counts.append(preferred[0] if preferred else form)
    return counts


def previews(
    renderer: Renderer, entry: Entry, lang: str, forms: Sequence[str], municipality: str
) -> list[Preview]:
    """The text as a person reads it, with the placeholders filled in by examples."""
    msgid: str = Contextual(entry.context, entry.msgid) if entry.context else entry.msgid
    layer = renderer.with_overlay({lang: {(entry.context, entry.msgid): tuple(forms)}})
    names = placeholders(entry.plural or entry.msgid) or set()
    params: dict[str, str | int] = {n: f"[{n}]" for n in names}
    if "municipality" in names:
        params["municipality"] = municipality
    counts: list[int | None] = _example_counts(lang, len(forms)) if entry.plural else [None]
    shown = []
    for count in counts:
        if count is None:
            msg = Msg(msgid, params)
        else:
            others = {k: v for k, v in params.items() if k != "count"}
            msg = Msg.count((entry.msgid, entry.plural or entry.msgid), count, **others)
        own = layer.text(msg, lang)
        dutch = layer.text(msg, DUTCH)
        bilingual = own if lang == DUTCH or dutch == own else f"{own}{DUTCH_DIVIDER}{dutch}"
        shown.append(Preview(count, own, bilingual))
    return shown
