"""The texts a municipality reviews: the shipped catalogs with the municipality's layer of
reviews and corrections over them, each text's status, and the reviewed share.

Statuses, as the Teksten page says them: *concept* (shipped, never reviewed),
*gecontroleerd* (reviewed, by whom and when; with or without a correction) and *bron
gewijzigd* (the English source or the shipped translation changed after the review: an
upgrade shipped a new catalog). The hashes stored at review time tell the last apart.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.core.translations_parts import INTAKE_GENERAL, button_texts, part_order, parts_of_texts
from storage import TextCorrection

__all__ = [
    "CONCEPT",
    "REVIEWED",
    "SOURCE_CHANGED",
    "STATUS_NAMES",
    "TRANSLATED",
    "Entry",
    "Share",
    "ShippedCatalogs",
    "TextRow",
    "key_of",
    "shares",
    "text_rows",
]

# The languages a municipality's interpreters review; English is the source.
TRANSLATED = ("ar", "ti", "nl")
CONCEPT, REVIEWED, SOURCE_CHANGED = "concept", "gecontroleerd", "bron_gewijzigd"
STATUS_NAMES = {CONCEPT: "concept", REVIEWED: "gecontroleerd", SOURCE_CHANGED: "bron gewijzigd"}


def key_of(context: str, msgid: str) -> str:
    """A short stable name of a catalog entry: in URLs, the database and export files."""
    return hashlib.sha256(f"{context}\x04{msgid}".encode()).hexdigest()[:24]


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Entry:
    """One text of the shipped catalogs, in every language."""

    key: str
    context: str
    msgid: str
    plural: str | None
    shipped: dict[str, tuple[str, ...]]  # lang → the shipped forms
    part: str
    rank: int = 0  # the part's place (`part_order`)
    button: bool = False  # shown on a button (a shorter limit)

    @property
    def source_hash(self) -> str:
        return _digest(self.context, self.msgid, self.plural or "")

    def shipped_hash(self, lang: str) -> str:
        return _digest(*self.shipped.get(lang, ()))

    def english(self) -> tuple[str, ...]:
        return (self.msgid, self.plural) if self.plural else (self.msgid,)


class ShippedCatalogs:
    """The `.po` files as shipped, read once per process (and again when a file
    changes: a developer's `make locales` while the dashboard runs)."""

    def __init__(self, locales_dir: Path) -> None:
        self.locales_dir = Path(locales_dir)

    def _stamp(self) -> tuple[float, ...]:
        return tuple(self._po(lang).stat().st_mtime for lang in TRANSLATED)

    def _po(self, lang: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / "messages.po"

    def entries(self) -> list[Entry]:
        return list(_read(self.locales_dir, self._stamp()))

    def by_key(self) -> dict[str, Entry]:
        return {entry.key: entry for entry in self.entries()}

    def plural_counts(self) -> dict[str, int]:
        return dict(_nplurals(self.locales_dir, self._stamp()))


@functools.lru_cache(maxsize=4)
def _catalogs(locales_dir: Path, stamp: tuple[float, ...]) -> dict[str, Catalog]:
    del stamp  # part of the cache key only
    catalogs = {}
    for lang in TRANSLATED:
        with (locales_dir / lang / "LC_MESSAGES" / "messages.po").open("rb") as file:
            catalogs[lang] = read_po(file, locale=lang)
    return catalogs


@functools.lru_cache(maxsize=4)
def _nplurals(locales_dir: Path, stamp: tuple[float, ...]) -> tuple[tuple[str, int], ...]:
    return tuple((lang, c.num_plurals) for lang, c in _catalogs(locales_dir, stamp).items())


@functools.lru_cache(maxsize=4)
def _read(locales_dir: Path, stamp: tuple[float, ...]) -> tuple[Entry, ...]:
    catalogs = _catalogs(locales_dir, stamp)
    dutch = catalogs["nl"]

    def in_dutch(msgid: str) -> str:
        found = dutch.get(msgid)
        return str(found.string) if found is not None and found.string else msgid

    parts = parts_of_texts(in_dutch)
    order = {part: number for number, part in enumerate(part_order(in_dutch))}
    buttons = button_texts()
    entries = []
    for message in catalogs["nl"]:
        if not message.id:
            continue
        msgid, plural = (message.id if message.pluralizable else (message.id, None))[:2]
        context = message.context or ""
        shipped = {}
        for lang, catalog in catalogs.items():
            found = catalog.get(message.id, message.context)
            strings = found.string if found is not None else ""
            forms = tuple(strings) if isinstance(strings, (list, tuple)) else (strings,)
            shipped[lang] = tuple(form or "" for form in forms)
        part = parts.get((context, msgid), INTAKE_GENERAL)
        rank = order.get(part, len(order))
        entries.append(
            Entry(
                key_of(context, msgid),
                context,
                msgid,
                plural,
                shipped,
                part,
                rank,
                (context, msgid) in buttons,
            )
        )
    return tuple(entries)


@dataclass(frozen=True)
class TextRow:
    """One text in one language, as the Teksten page and the exports show it."""

    entry: Entry
    lang: str
    status: str
    current: tuple[str, ...]  # the correction, else the shipped translation
    corrected: bool
    by: str | None
    at: datetime | None
    # A correction made for an earlier English text that an upgrade changed: shown to
    # the translator to redo, never used as it is (the new English may say more).
    previous: tuple[str, ...] | None = None

    @property
    def dutch(self) -> tuple[str, ...]:
        return self.entry.shipped["nl"] if self.lang != "nl" else self.entry.english()


def status_of(entry: Entry, lang: str, review: TextCorrection | None) -> str:
    if review is None:
        return CONCEPT
    unchanged = (
        review.source_hash == entry.source_hash and review.shipped_hash == entry.shipped_hash(lang)
    )
    return REVIEWED if unchanged else SOURCE_CHANGED


def text_rows(
    entries: Iterable[Entry], lang: str, reviews: Iterable[TextCorrection]
) -> list[TextRow]:
    """Every text of `lang` with its status, in the order of `PART_ORDER` (the intake's
    sections in flow order), then as in the catalog."""
    entries = list(entries)
    mine = {r.key: r for r in reviews if r.lang == lang}
    orphans = _orphans(entries, mine)
    rows = []
    for entry in entries:
        review = mine.get(entry.key)
        if review is None and orphans:
            earlier = _earlier(entry, orphans)
            if earlier is not None:
                rows.append(
                    TextRow(
                        entry,
                        lang,
                        SOURCE_CHANGED,
                        entry.shipped.get(lang, ()),
                        False,
                        earlier.actor,
                        earlier.at,
                        tuple(earlier.forms or ()) or None,
                    )
                )
                continue
        corrected = review is not None and review.forms is not None
        current = tuple(review.forms) if corrected else entry.shipped.get(lang, ())  # type: ignore[union-attr, arg-type]
        rows.append(
            TextRow(
                entry,
                lang,
                status_of(entry, lang, review),
                current,
                corrected,
                review.actor if review else None,
                review.at if review else None,
            )
        )
    return sorted(rows, key=lambda r: r.entry.rank)


# How alike an earlier English text must be to count as the same text, changed (as
# msgmerge's fuzzy matching does; difflib's ratio, 0…1).
SIMILAR = 0.8


def _orphans(entries: list[Entry], reviews: dict[str, TextCorrection]) -> list[TextCorrection]:
    """Reviews of texts no longer in the catalogs (an upgrade changed their English)."""
    keys = {entry.key for entry in entries}
    return [review for key, review in reviews.items() if key not in keys]


def _earlier(entry: Entry, orphans: list[TextCorrection]) -> TextCorrection | None:
    best, found = SIMILAR, None
    for review in orphans:
        if review.context != entry.context:
            continue
        ratio = difflib.SequenceMatcher(None, review.msgid, entry.msgid).ratio()
        if ratio >= best:
            best, found = ratio, review
    return found


@dataclass(frozen=True)
class Share:
    """Of one language (and part): how many texts, how many reviewed (and still so),
    corrected, and changed since their review."""

    lang: str
    part: str
    total: int
    reviewed: int
    corrected: int
    changed: int

    @staticmethod
    def percent(count: int, total: int) -> int:
        """Rounded down: 99.7 % reviewed is not "100 %"."""
        return count * 100 // total if total else 0


def shares(rows: Sequence[TextRow], lang: str) -> list[Share]:
    """The language's share per part, the whole language first (part "")."""
    groups: dict[str, list[TextRow]] = {"": list(rows)}
    for row in rows:
        groups.setdefault(row.entry.part, []).append(row)
    return [
        Share(
            lang,
            part,
            len(group),
            sum(r.status == REVIEWED for r in group),
            sum(r.corrected for r in group),
            sum(r.status == SOURCE_CHANGED for r in group),
        )
        for part, group in groups.items()
    ]
