"""The rules a translation must keep, in one home: `wegwijs locales check` (the shipped
catalogs, for developers) and the Teksten page's checks before a correction is saved
(for the municipality's interpreters) both use them."""

from __future__ import annotations

import gettext
import math
import re
import string
import unicodedata
from collections import Counter
from typing import Final

from bot.core.language import ARABIC, ETHIOPIC, letter_script

__all__ = [
    "MIN_SCRIPT_SHARE",
    "PLURAL_FORMS",
    "REQUIRED_SCRIPT",
    "nplurals",
    "placeholders",
    "placeholders_match",
    "plural_table",
    "script_problem",
    "script_share",
    "singular_like_forms",
    "without_placeholders",
]

# Plural-Forms headers that must appear verbatim (whitespace aside). Babel generates a
# different Arabic order and `(n != 1)` for Tigrinya; both are wrong for us.
PLURAL_FORMS: Final = {
    "ar": (
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
    ),
    "ti": "nplurals=2; plural=(n > 1);",
}

# Language → (script, name of the script, name of its letters) its strings must use.
REQUIRED_SCRIPT: Final = {
    "ti": (ETHIOPIC, "Ge'ez script", "Ethiopic letters"),
    "ar": (ARABIC, "Arabic script", "Arabic letters"),
}
MIN_SCRIPT_SHARE: Final = 0.6
# Strings with fewer letters (an emoji button, "OK", "{name}") are not script-checked.
_MIN_LETTERS: Final = 3
# A plural form chosen for at most this many counts (e.g. only n == 1, or n in {0, 1})
# may spell the number as a word, so it may leave out {count}.
_MAX_SINGULAR_LIKE_COUNTS: Final = 2
_PLURAL_SAMPLE: Final = 1001  # counts 0…1000 cover every pattern in use
_COUNT: Final = "count"


def placeholders(text: str) -> set[str] | None:
    """The ``{field}`` names of a str.format string, or None if its braces are broken."""
    names: set[str] = set()
    try:
        for _literal, field, spec, _conversion in string.Formatter().parse(text):
            if field is None:
                continue
            names.add(field)
            if spec:  # nested fields such as {value:{width}}
                nested = placeholders(spec)
                if nested is None:
                    return None
                names |= nested
    except ValueError:
        return None
    return names


def placeholders_match(expected: set[str], found: set[str], *, count_optional: bool) -> bool:
    if found == expected:
        return True
    # Arabic writes "one"/"two" as words in the singular-like forms: {count} may go.
    return count_optional and _COUNT in expected and found == expected - {_COUNT}


def without_placeholders(text: str) -> str:
    try:
        return "".join(literal for literal, *_ in string.Formatter().parse(text))
    except ValueError:
        return re.sub(r"\{[^{}]*\}", " ", text)


def script_share(lang: str, text: str) -> float | None:
    """The share of the letters in the language's own script; None when the language
    has no required script or the text has too few letters to tell."""
    required = REQUIRED_SCRIPT.get(lang)
    if required is None:
        return None
    letters = [ch for ch in without_placeholders(text) if unicodedata.category(ch)[0] == "L"]
    if len(letters) < _MIN_LETTERS:
        return None
    return sum(1 for ch in letters if letter_script(ch) == required[0]) / len(letters)


def script_problem(lang: str, text: str) -> str:
    share = script_share(lang, text)
    if share is None or share >= MIN_SCRIPT_SHARE:
        return ""
    _script, script_name, letters_name = REQUIRED_SCRIPT[lang]
    # Rounded down, so that 59.6% is not shown as a failing "60%".
    return f"not mostly in {script_name} ({math.floor(share * 100)}% {letters_name})"


def plural_table(raw_header: str) -> list[int] | None:
    """The form Python's gettext picks for n = 0…1000, or None if it cannot tell."""
    match = re.search(r"(?<![a-z])plural\s*=\s*([^;]+)", raw_header)
    if match is None:
        return None
    try:
        function = gettext.c2py(match.group(1).strip())
        return [function(n) for n in range(_PLURAL_SAMPLE)]
    except (ValueError, TypeError, ArithmeticError, RecursionError):
        return None


def nplurals(raw_header: str) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", raw_header)
    return int(match.group(1)) if match else None


def singular_like_forms(table: list[int] | None, count: int) -> set[int]:
    """Plural forms used for at most two counts (e.g. only for 1, or for 0 and 1)."""
    if table is None:  # already reported; be lenient: every form but the last
        return set(range(max(count - 1, 0)))
    usage = Counter(table)
    return {form for form, times in usage.items() if times <= _MAX_SINGULAR_LIKE_COUNTS}
