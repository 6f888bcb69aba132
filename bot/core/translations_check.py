"""The checks before a correction is saved, said in Dutch to the interpreter who typed
it. A refusal names the check that failed; a glossary miss is a warning only (the
interpreter may know better than the list). The rules themselves are the catalog
check's (`bot.core.catalog_rules`): one home."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.plurals import get_plural

from bot.core.catalog_rules import (
    MIN_SCRIPT_SHARE,
    PLURAL_FORMS,
    placeholders,
    placeholders_match,
    plural_table,
    script_share,
    singular_like_forms,
)
from bot.core.translations import Entry

__all__ = ["BUTTON_LIMIT", "MESSAGE_LIMIT", "Verdict", "check_correction", "glossary_terms"]

# Telegram refuses a message over 4096 characters (bot.channels.telegram.core splits the
# longer overviews; a single text must fit); a button's label over 64 characters is cut
# off on a phone's screen.
MESSAGE_LIMIT = 4096
BUTTON_LIMIT = 64
SCRIPT_NAMES = {"ar": "Arabische", "ti": "Ethiopische (Ge'ez)"}
# Neither channel renders markup: Telegram's messages go out as plain text and the web
# chat escapes them. Tags or Markdown that the English does not have would show as is.
_MARKUP = (
    (re.compile(r"</?[A-Za-z][^<>]*>"), "HTML-opmaak"),
    (re.compile(r"\*\*[^*]+\*\*|__[^_]+__"), "vetgedrukte opmaak (** of __)"),
    (re.compile(r"\[[^\]]+\]\([^)]+\)"), "een link in Markdown"),
)


@dataclass
class Verdict:
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals


def plural_rule(lang: str) -> tuple[int, list[int] | None]:
    """(number of forms, the form chosen for 0…1000) of the language's catalog header."""
    header = PLURAL_FORMS.get(lang)
    if header is None:
        rule = get_plural(lang)
        header = f"nplurals={rule.num_plurals}; plural=({rule.plural_expr});"
    table = plural_table(header)
    return (max(table) + 1 if table else 2), table


def check_correction(
    entry: Entry,
    lang: str,
    forms: Sequence[str],
    *,
    button: bool = False,
    glossary: dict[str, list[tuple[str, str]]] | None = None,
) -> Verdict:
    """Whether `forms` (one text, or one per plural form) may replace the translation of
    `entry` in `lang`."""
    verdict = Verdict()
    forms = [form.replace("\r\n", "\n").strip() for form in forms]
    count, table = plural_rule(lang) if entry.plural else (1, None)
    if not any(forms):
        verdict.refusals.append("De vertaling is leeg.")
        return verdict
    if len(forms) != count or not all(forms):
        missing = [str(i + 1) for i, form in enumerate(forms[:count]) if not form]
        missing += [str(i + 1) for i in range(len(forms), count)]
        verdict.refusals.append(
            f"Niet alle meervoudsvormen zijn ingevuld: deze taal heeft er {count} nodig "
            f"(ontbreekt: vorm {', '.join(missing) or '?'})."
        )
    _placeholder_check(entry, forms, singular_like_forms(table, count), verdict)
    for form in forms:
        for pattern, name in _MARKUP:
            if pattern.search(form) and not pattern.search(" ".join(entry.english())):
                verdict.refusals.append(f"De tekst bevat {name}; de kanalen tonen geen opmaak.")
                break
    _length_check(entry, forms, button, verdict)
    _script_check(lang, forms, verdict)
    _glossary_check(entry, lang, forms, glossary or {}, verdict)
    return verdict


def _placeholder_check(entry: Entry, forms: list[str], singular: set[int], v: Verdict) -> None:
    expected = placeholders(entry.plural or entry.msgid) or set()
    for number, form in enumerate(forms):
        found = placeholders(form)
        if found is None:
            v.refusals.append(
                "De accolades { } kloppen niet: een aanduiding als {municipality} moet "
                "precies zo blijven staan."
            )
            return
        optional = entry.plural is not None and number in singular
        if not placeholders_match(expected, found, count_optional=optional):
            lost, extra = sorted(expected - found), sorted(found - expected)
            said = []
            if lost:
                said.append("ontbreekt: " + ", ".join(f"{{{n}}}" for n in lost))
            if extra:
                said.append("onbekend: " + ", ".join(f"{{{n}}}" for n in extra))
            v.refusals.append(
                "De tijdelijke aanduidingen wijken af van de Engelse tekst ("
                + "; ".join(said)
                + "). Laat ze ongewijzigd staan, ook in het Arabisch of Tigrinya."
            )
            return


def _length_check(entry: Entry, forms: list[str], button: bool, v: Verdict) -> None:
    longest = max(len(form) for form in forms)
    if longest > MESSAGE_LIMIT:
        v.refusals.append(
            f"De tekst is {longest} tekens lang; Telegram neemt er hoogstens {MESSAGE_LIMIT}."
        )
    elif button and longest > BUTTON_LIMIT:
        v.refusals.append(
            f"Dit is een knop: de tekst is {longest} tekens lang, hoogstens {BUTTON_LIMIT} "
            "passen op het scherm van een telefoon."
        )


def _script_check(lang: str, forms: list[str], v: Verdict) -> None:
    for form in forms:
        share = script_share(lang, form)
        if share is not None and share < MIN_SCRIPT_SHARE:
            v.refusals.append(
                f"De tekst is niet grotendeels in het {SCRIPT_NAMES[lang]} schrift geschreven "
                f"({math.floor(share * 100)}% van de letters; minstens "
                f"{round(MIN_SCRIPT_SHARE * 100)}% nodig)."
            )
            return


def _glossary_check(
    entry: Entry,
    lang: str,
    forms: list[str],
    glossary: dict[str, list[tuple[str, str]]],
    v: Verdict,
) -> None:
    source = " ".join(entry.english()).lower()
    text = " ".join(forms).lower()
    for english, rendering in glossary.get(lang, ()):
        if (
            re.search(rf"\b{re.escape(english.lower())}\b", source)
            and rendering.lower() not in text
        ):
            v.warnings.append(
                f"De Engelse tekst gebruikt ‘{english}’; de woordenlijst zegt daarvoor "
                f"‘{rendering}’, dat niet in uw tekst staat."
            )


@functools.lru_cache(maxsize=2)
def glossary_terms(path: Path) -> dict[str, list[tuple[str, str]]]:
    """From the glossary's four-language table: per language, (English term, the word
    the text must contain): the Dutch term where the rendering keeps it in Latin
    letters (as the English msgid does), else the rendering up to its explanation."""
    columns = {"nl": 0, "ar": 2, "ti": 3}
    terms: dict[str, list[tuple[str, str]]] = {lang: [] for lang in columns}
    if not path.is_file():
        return terms
    text = path.read_text(encoding="utf-8")
    table = text.split("## The terms in four languages", 1)[-1].split("\n## ", 1)[0]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or cells[0].startswith(("Dutch", "---")):
            continue
        english = re.split(r"[(/,]", cells[1])[0].strip()
        dutch = re.split(r"[(/]", cells[0])[0].strip()
        if not english or not dutch or "{" in english:
            continue
        for lang, column in columns.items():
            rendering = cells[column]
            if dutch.lower() in english.lower() and dutch.lower() in rendering.lower():
                core = dutch
            else:
                core = re.split(r"[(;/«؛]", rendering)[0].strip()
            if core:
                terms[lang].append((english, core))
    return terms
