"""Rendering: gettext catalogs, Babel numbers and dates, bidi isolation, bilingual text.

Loading the compiled catalogs is the only I/O in `flows`, done once at start-up; rendering
itself is pure.
"""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.core import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from flows.languages import DUTCH, LANGUAGES
from flows.model import Contextual
from flows.replies import Join, Localized, Moment, Money, Msg, Reply

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
DEFAULT_LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

# Unicode isolates (FSI … PDI): a Dutch name, address, code or time inside Arabic text
# keeps its own direction instead of scrambling the sentence around it.
FSI, PDI = "\u2068", "\u2069"
DUTCH_DIVIDER = "\n\n―――――\n"


def load_catalogs(locales_dir: Path = DEFAULT_LOCALES_DIR) -> dict[str, gettext.NullTranslations]:
    """Compiled catalogs per language; English (the msgid language) falls back to msgids."""
    catalogs: dict[str, gettext.NullTranslations] = {}
    for code in LANGUAGES:
        loaded = Translations.load(str(locales_dir), [code], domain=DOMAIN)
        catalogs[code] = loaded if isinstance(loaded, Translations) else NullTranslations()
    return catalogs


def missing_catalogs(catalogs: dict[str, gettext.NullTranslations]) -> list[str]:
    """Languages other than English that would silently fall back to English."""
    return [c for c, t in catalogs.items() if c != "en" and not isinstance(t, Translations)]


@dataclass(frozen=True)
class RenderedButton:
    label: str
    data: str


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes


@dataclass(frozen=True)
class Rendered:
    text: str
    buttons: tuple[tuple[RenderedButton, ...], ...] = ()
    document: Document | None = None  # sent as a file, with `text` as its caption


# The municipality's corrections over the shipped catalogs, per language:
# (msgctxt or "", msgid) → the corrected text, one form per plural form.
Overlay = dict[str, dict[tuple[str, str], tuple[str, ...]]]


class Renderer:
    def __init__(self, catalogs: dict[str, gettext.NullTranslations]) -> None:
        self._catalogs = catalogs
        self._overlay: Overlay = {}

    def set_overlay(self, overlay: Overlay) -> None:
        """Swap in a new layer of corrections (one assignment: a rendering in flight
        sees the old layer or the new one, never half of each)."""
        self._overlay = overlay

    def with_overlay(self, overlay: Overlay) -> Renderer:
        """A renderer on the same catalogs with another layer (a preview of a correction
        before it is saved)."""
        other = Renderer(self._catalogs)
        other.set_overlay(overlay)
        return other

    def _corrected(self, msg: Msg, lang: str) -> str | None:
        layer = self._overlay.get(lang)
        if not layer:
            return None
        context = msg.msgid.context if isinstance(msg.msgid, Contextual) else ""
        forms = layer.get((context, str(msg.msgid)))
        if not forms:
            return None
        if msg.plural is None:
            return forms[0]
        catalog = self._catalogs.get(lang)
        choose = getattr(catalog, "plural", None)
        count = int(msg.params.get("count", 0))
        index = choose(count) if callable(choose) else int(count != 1)
        return forms[index] if index < len(forms) else None

    def text(self, msg: Msg, lang: str) -> str:
        lang = msg.in_lang or lang
        corrected = None if msg.literal or not self._overlay else self._corrected(msg, lang)
        if corrected is not None:
            template = corrected
        elif msg.literal:
            template = msg.msgid
        else:
            catalog = self._catalogs.get(lang) or NullTranslations()
            if msg.plural is not None:
                template = catalog.ngettext(msg.msgid, msg.plural, int(msg.params.get("count", 0)))
            elif isinstance(msg.msgid, Contextual):
                template = catalog.pgettext(msg.msgid.context, msg.msgid)
            else:
                template = catalog.gettext(msg.msgid)
        if not msg.params:
            return template
        values = {key: self._param(value, lang) for key, value in msg.params.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never cost the person the message: fall back to English.
            english = msg.msgid
            if msg.plural is not None and int(msg.params.get("count", 0)) != 1:
                english = msg.plural
            return english.format(**values)

    def _param(self, value: object, lang: str) -> str:
        if isinstance(value, Msg):
            return self.text(value, lang)
        if isinstance(value, Join):
            return value.separator.join(self._param(item, lang) for item in value.items)
        if isinstance(value, Localized):
            return value.text(lang)
        if isinstance(value, Moment):
            format_local = format_local_date if value.part == "date" else format_local_time
            text = format_local(value.at, lang)
        elif isinstance(value, Money):
            text = format_euros(value.euros, lang)
        elif isinstance(value, int) and not isinstance(value, bool):
            text = _number(value, babel_locale(lang))
        else:
            text = str(value)
        # Only inserted strings are isolated: translated parts already read in the right order.
        return f"{FSI}{text}{PDI}" if LANGUAGES[lang].rtl else text

    def reply(self, reply: Reply, lang: str, bilingual: bool) -> Rendered:
        own = "\n\n".join(self.text(part, lang) for part in reply.parts)
        if bilingual and reply.bilingual and lang != DUTCH:
            dutch = "\n\n".join(self.text(part, DUTCH) for part in reply.parts)
            if dutch != own:
                own = f"{own}{DUTCH_DIVIDER}{dutch}"
        buttons = tuple(
            tuple(RenderedButton(b.mark + self.text(b.label, lang), b.data) for b in row)
            for row in reply.buttons
        )
        return Rendered(own, buttons)


@functools.lru_cache(maxsize=4096)
def _number(value: int, locale: str) -> str:
    """Babel's number formatting, once per number and language: it is a tenth of a
    rendering ("Part 3 of 9" is in nearly every reply). Below a thousand every locale
    writes plain Latin digits (Babel's default numbering system, no grouping), so those
    skip Babel: its data for a locale, loaded on first use, is some 2 MB of memory a
    language (tests/flows/test_rendering.py checks that both agree)."""
    if 0 <= value < 1000:
        return str(value)
    return format_decimal(value, locale=locale)


@functools.lru_cache(maxsize=256)
def format_euros(euros: int, lang: str) -> str:
    """Whole euros in the language's own currency pattern, without the cents that the
    law's round amounts do not have: "€ 250" (nl), "€250" (en, ti), "250 €" (ar)."""
    locale = babel_locale(lang)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    return format_currency(
        euros, "EUR", format=pattern.replace(".00", ""), locale=locale, currency_digits=False
    )


def babel_locale(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def format_local_date(moment: datetime, lang: str) -> str:
    """'maandag 7 december 2026': explicit pattern, because Tigrinya's short default is
    US-style (month first) and ambiguous."""
    return format_date(moment.astimezone(LOCAL_TZ), "EEEE d MMMM y", locale=babel_locale(lang))


def format_local_time(moment: datetime, lang: str) -> str:
    return format_time(moment.astimezone(LOCAL_TZ), "HH:mm", locale=babel_locale(lang))
