"""A sentence the municipality file shows a person: a standard one by its code (its
texts are in `flows.sentences`, translated with the catalogs), or the file's own, given
in all four languages. A Dutch line alone is refused: an Arabic or Tigrinya reader would
get it in Dutch. Also: what the flows render of `bring` items (`bring_items`; the
`who_sees` lines need the whole file: `bot.municipality.model.who_sees_lines`)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.municipality.fields import shown
from flows import sentences as S
from flows.languages import LANGUAGES
from flows.replies import Localized, Msg, Param

SCRIPTS = {  # a line in the wrong script is a swapped or missing translation
    "ar": (re.compile(r"[\u0600-\u06ff]"), "Arabic"),
    "ti": (re.compile(r"[\u1200-\u139f\u2d80-\u2ddf]"), "Ge'ez (Tigrinya)"),
}
CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


class OwnSentence(BaseModel):
    """The file's own sentence, in every language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ar: str
    ti: str
    nl: str
    en: str

    def localized(self) -> Localized:
        return Localized.of({lang: getattr(self, lang) for lang in LANGUAGES})


Sentence = str | OwnSentence  # a standard code, or the file's own


def own_texts(where: str, item: Any, limit: int) -> dict[str, str]:
    """The four languages of an own line, each one short line in its own script;
    `ValueError` naming `where` and what is wrong."""
    missing = [lang for lang in LANGUAGES if lang not in item]
    if missing:
        raise ValueError(
            f"{where}: missing {', '.join(missing)}: a line of your own is given in all four "
            f"languages ({', '.join(LANGUAGES)}), so everyone can read it"
        )
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        text = item[lang]
        if not isinstance(text, str) or not " ".join(text.split()):
            raise ValueError(f"{where}: {lang} should be text in quotes, not empty")
        if "\n" in text.strip():
            raise ValueError(f"{where}: {lang} spans more lines: one short line each")
        text = " ".join(text.split())
        if len(text) > limit:
            raise ValueError(
                f"{where}: {lang} is too long (at most {limit} characters): keep it short"
            )
        script = SCRIPTS.get(lang)
        if script and not script[0].search(text):
            raise ValueError(f"{where}: {lang} is not written in {script[1]} script")
        texts[lang] = text
    return texts


def sentences(
    value: Any, *, standard: Collection[str], other: str, limit: int, most: int
) -> tuple[Sentence, ...]:
    """A list of sentences, checked: each a standard code (one of `standard`, or any code
    when `other` says what else a code may name, checked across the file) or a table
    with ar, ti, nl and en."""
    if not isinstance(value, list | tuple):
        raise ValueError(
            f'should be a list like ["{next(iter(standard), "code")}", {{ ar = "…", ti = "…", '
            f'nl = "…", en = "…" }}], got {shown(value)}'
        )
    if len(value) > most:
        raise ValueError(f"has too many items (at most {most}), got {len(value)}")
    found: list[Sentence] = []
    for position, item in enumerate(value, 1):
        where = f"item {position}"
        if isinstance(item, str):
            code = item.strip()
            if not CODE.fullmatch(code) or (not other and code not in standard):
                also = f", or {other}" if other else ""
                raise ValueError(
                    f"{where}: {shown(item)} is not a standard line (one of "
                    f"{', '.join(standard)}{also}); a line of your own is a table with ar, "
                    f"ti, nl and en, so that everyone reads it in their own language"
                )
            found.append(code)
        elif isinstance(item, dict):
            unknown = sorted(set(item) - set(LANGUAGES))
            if unknown:
                raise ValueError(
                    f"{where}: unknown field {unknown[0]!r}; allowed: {', '.join(LANGUAGES)}"
                )
            found.append(OwnSentence(**own_texts(where, item, limit)))
        else:
            raise ValueError(
                f"{where}: should be a standard line's code in quotes or a table with ar, ti, "
                f"nl and en, got {shown(item)}"
            )
    if len(set(found)) != len(found):
        raise ValueError("the same line appears twice")
    return tuple(found)


def key(items: Iterable[Sentence]) -> str:
    """The items in one stable text (for the consent version's digest)."""
    return "\n".join(
        item if isinstance(item, str) else "|".join(getattr(item, lang) for lang in LANGUAGES)
        for item in items
    )


def bring_items(items: Iterable[Sentence]) -> tuple[Param, ...]:
    """What to bring, in the reader's language."""
    return tuple(
        item.localized() if isinstance(item, OwnSentence) else Msg.of(S.BRING[item])
        for item in items
    )
