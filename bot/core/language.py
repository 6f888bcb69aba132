"""Guess the language of a first message: a hint, never a decision.

The person's explicit choice always wins. This module only suggests which of our four
languages (ar, ti, nl, en) to offer first, and says when we should ask instead of
assuming. Wrongly assuming is worse than asking: a Dari speaker greeted in Arabic, or
an Eritrean greeted in English because of a transliterated "selam", loses trust.
So every uncertain case returns ``ask=True``.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

__all__ = [
    "SUPPORTED_LANGUAGES",
    "LanguageGuess",
    "detect_language",
    "hint_from_telegram",
    "letter_script",
    "warm_up",
]

SUPPORTED_LANGUAGES: Final = ("ar", "ti", "nl", "en")

# Scripts as reported in LanguageGuess.script.
ETHIOPIC: Final = "ethiopic"
ARABIC: Final = "arabic"
LATIN: Final = "latin"
OTHER: Final = "other"
NONE: Final = "none"


@dataclass(frozen=True)
class LanguageGuess:
    """Result of `detect_language`.

    ``lang`` is one of SUPPORTED_LANGUAGES or None; ``script`` is the dominant script
    ("ethiopic", "arabic", "latin", "other" or "none"); ``ask`` is True when the bot
    should ask the person which language they want instead of assuming ``lang``.
    """

    lang: str | None
    script: str
    ask: bool


_ETHIOPIC_RANGES: Final = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))
_ARABIC_RANGES: Final = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)

# Characters of Persian, Dari, Pashto, Kurdish (Sorani) and Urdu that Arabic does not
# use. Their presence means "Arabic script, but quite possibly not Arabic": ask.
# Deliberately absent: ڤ (U+06A4) and ڭ (U+06AD), which Arabic writers do use for
# loanwords and Maghrebi sounds. Extended (Persian/Urdu) digits count as a marker too.
_NON_ARABIC_MARKERS: Final = frozenset(
    "\u067e\u0686\u0698\u06af\u06a9\u06cc\u06c6\u06d5\u0695\u06b5"  # پ چ ژ گ ک ی ۆ ە ڕ ڵ
    "\u067c\u0681\u0689\u0693\u0696\u069a\u06ab\u06bc\u06d0"  # ټ ځ ډ ړ ږ ښ ګ ڼ ې
    "\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2\u06d3\u06c0\u06ce"  # ٹ ڈ ڑ ں ھ ہ ے ۓ ۀ ێ
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"  # ۰ … ۹
    "\u200c"  # zero-width non-joiner: part of Persian spelling (می‌خواهم), not of Arabic
)
# Short Persian/Dari sentences can avoid all marker letters ("سلام، من از افغانستان
# هستم"). These standalone words are common in Persian/Dari and are not Arabic words.
# Words that are also Arabic (من, ما, او, تو, در) are left out on purpose.
_NON_ARABIC_WORDS: Final = frozenset(
    {"است", "هست", "هستم", "هستند", "را", "از", "شما", "خوب", "دارم"}
)

# Texts longer than a Telegram message (4,096) are cut: the beginning is enough for a
# hint, and the cost stays bounded whatever arrives.
_MAX_CHARS: Final = 10_000
_MIN_LATIN_LETTERS: Final = 12
_MIN_PROBABILITY: Final = 0.8  # of the nl/en-only detection
_MIN_SUPPORT: Final = 0.5  # share the unrestricted detection gives the same language

# langdetect is only consulted for Latin-script text, so only Latin-script profiles
# are loaded (0.5 s and ~12 MB instead of 1 s and ~60 MB for all 55 profiles).
_LATIN_PROFILES: Final = (
    *("af", "ca", "cs", "cy", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "id"),
    *("it", "lt", "lv", "nl", "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw"),
    *("tl", "tr", "vi"),
)
# Short Dutch is often read as Afrikaans by an unrestricted detector; that still
# supports Dutch. Nothing else counts as support.
_SUPPORTING: Final = {"nl": frozenset({"nl", "af"}), "en": frozenset({"en"})}

_NOTHING: Final = LanguageGuess(None, NONE, True)

_factory: DetectorFactory | None = None
_factory_lock = threading.Lock()


def letter_script(ch: str) -> str | None:
    """Script of one character if it is a letter (Unicode category L*), else None.

    Returns "ethiopic", "arabic", "latin" or "other". Digits, punctuation, marks,
    emoji and spaces are not letters and give None.
    """
    if not unicodedata.category(ch).startswith("L"):
        return None
    cp = ord(ch)
    if any(lo <= cp <= hi for lo, hi in _ETHIOPIC_RANGES):
        return ETHIOPIC
    if any(lo <= cp <= hi for lo, hi in _ARABIC_RANGES):
        return ARABIC
    if unicodedata.name(ch, "").startswith("LATIN"):
        return LATIN
    return OTHER


def detect_language(text: str) -> LanguageGuess:
    """Suggest one of ar/ti/nl/en for ``text``, or say we should ask. Never raises.

    The dominant script decides: Ge'ez → ti; Arabic script → ar unless letters that
    Arabic does not use show Persian/Dari/Pashto/Kurdish/Urdu (then ask); Latin →
    nl or en via langdetect, only when the text is long and clearly one of the two.
    A Latin-script text that is really German, French, Somali or transliterated
    Arabic must not come out as "confidently English", so a restricted nl/en
    detection is cross-checked with an unrestricted one.

    Cost: microseconds for Ge'ez/Arabic; a few to ~20 ms for Latin text, plus about
    0.5 s once for loading profiles unless `warm_up` ran at start-up.
    """
    if not isinstance(text, str) or not text:
        return _NOTHING
    text = unicodedata.normalize("NFKC", text[:_MAX_CHARS])

    counts = {ETHIOPIC: 0, ARABIC: 0, LATIN: 0, OTHER: 0}
    upper_latin = 0
    for ch in text:
        script = letter_script(ch)
        if script is None:
            continue
        counts[script] += 1
        if script == LATIN and ch.isupper():
            upper_latin += 1

    top = max(counts.values())
    if top == 0:
        return _NOTHING
    leaders = [script for script, n in counts.items() if n == top]
    dominant = leaders[0]
    if len(leaders) > 1:  # e.g. as many Arabic as Latin letters: genuinely mixed
        return LanguageGuess(None, dominant, True)

    if dominant == ETHIOPIC:
        # Amharic is also written in Ge'ez, but Tigrinya is the language we support.
        return LanguageGuess("ti", ETHIOPIC, False)
    if dominant == ARABIC:
        if _looks_non_arabic(text):
            return LanguageGuess(None, ARABIC, True)
        return LanguageGuess("ar", ARABIC, False)
    if dominant == LATIN:
        if counts[LATIN] < _MIN_LATIN_LETTERS:
            return LanguageGuess(None, LATIN, True)
        if upper_latin * 2 > counts[LATIN]:
            # langdetect skips words in capitals; shouted text would have no features.
            text = text.lower()
        lang = _nl_or_en(text)
        return LanguageGuess(lang, LATIN, lang is None)
    return LanguageGuess(None, OTHER, True)


def _looks_non_arabic(text: str) -> bool:
    """True when Arabic-script text shows Persian/Dari/Pashto/Kurdish/Urdu traits."""
    if any(ch in _NON_ARABIC_MARKERS for ch in text):
        return True
    words = "".join(ch if letter_script(ch) == ARABIC else " " for ch in text).split()
    return any(word in _NON_ARABIC_WORDS for word in words)


def _nl_or_en(text: str) -> str | None:
    """Return "nl" or "en" when langdetect is confident, else None."""
    try:
        factory = _get_factory()
        restricted = factory.create()
        restricted.set_prior_map({"nl": 0.5, "en": 0.5})  # other languages: prior 0
        restricted.append(text)
        ranked = restricted.get_probabilities()
        if not ranked or ranked[0].lang not in _SUPPORTING:
            return None
        winner = ranked[0]
        if winner.prob < _MIN_PROBABILITY:
            return None
        # Restricted to nl/en, German comes out as 99.999% Dutch. Require that an
        # unrestricted detection agrees the text is (mostly) this language.
        unrestricted = factory.create()
        unrestricted.append(text)
        support = sum(
            p.prob for p in unrestricted.get_probabilities() if p.lang in _SUPPORTING[winner.lang]
        )
    except (LangDetectException, OSError, ValueError):
        # No features (e.g. only "xxx"), or profiles that cannot be read: just ask.
        return None
    return winner.lang if support >= _MIN_SUPPORT else None


def _get_factory() -> DetectorFactory:
    """Load the langdetect profiles once, on first use, and reuse them.

    A private factory with its own seed keeps results deterministic without
    touching langdetect's global ``DetectorFactory.seed`` that other code may use.
    """
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                factory = DetectorFactory()
                directory = Path(PROFILES_DIRECTORY)
                factory.load_json_profile(
                    [(directory / name).read_text(encoding="utf-8") for name in _LATIN_PROFILES]
                )
                factory.set_seed(0)
                _factory = factory
    return _factory


def warm_up() -> None:
    """Load the detector profiles now (about half a second) instead of on the first
    message; call at start-up. Safe to call more than once."""
    _get_factory()


_TELEGRAM_CODES: Final = {
    "ar": "ar",
    "ara": "ar",
    "ti": "ti",
    "tir": "ti",
    "nl": "nl",
    "nld": "nl",
    "dut": "nl",
    "en": "en",
    "eng": "en",
}


def hint_from_telegram(language_code: str | None) -> str | None:
    """Map Telegram's ``language_code`` (an IETF tag such as "ar-SY" or "en-GB") to
    one of our languages, or None.

    Persian, Pashto, Kurdish and Amharic (fa/ps/ku/am) give None on purpose: their
    speakers may prefer Arabic, Tigrinya, Dutch or English, and must be asked. The code
    reflects the phone's interface language, so it is a weaker hint than the text.
    """
    if not isinstance(language_code, str):
        return None
    primary = language_code.strip().replace("_", "-").split("-", 1)[0].lower()
    return _TELEGRAM_CODES.get(primary)
