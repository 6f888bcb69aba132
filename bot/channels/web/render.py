"""From the service's rendered replies to transcript lines, and from stored lines to
what the page shows: paragraphs with their language and direction, the Dutch copy of
bilingual mode as its own block, the buttons of the newest message, download links.

Text is never turned into markup here: the templates escape everything (Jinja2
autoescape), so a person's `<script>` is shown as the characters they typed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flows.cleaning import clean_text
from flows.i18n import DUTCH_DIVIDER, Rendered
from flows.languages import DUTCH, LANGUAGES
from storage import NewLine, WebLine

PERSON, WEGWIJS = "person", "wegwijs"
ECHO_MAX = 1000  # characters of a typed answer shown back (all of it is saved)
PAGE_TEXT_BUDGET = 20_000  # bytes of message text on one page (the page stays well ≤ 50 KB)

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ETHIOPIC = re.compile("[\u1200-\u137f\u1380-\u139f\u2d80-\u2ddf]")


@dataclass(frozen=True)
class Block:
    """Paragraphs in one language (`lang` None: unknown, the browser finds the direction)."""

    paragraphs: tuple[tuple[str, ...], ...]  # paragraphs of lines
    lang: str | None = None
    dir: str = "auto"


@dataclass(frozen=True)
class LineView:
    id: int
    sender: str
    blocks: tuple[Block, ...]
    filename: str | None = None


@dataclass(frozen=True)
class ButtonView:
    label: str
    data: str


@dataclass
class TranscriptView:
    lines: list[LineView] = field(default_factory=list)
    buttons: list[list[ButtonView]] = field(default_factory=list)
    latest: int | None = None  # the first line of the newest answer: where focus goes
    earlier_hidden: bool = False
    version: int = 0  # the newest line's id: a form from an older page is stale


def direction(lang: str | None) -> str:
    if lang is None:
        return "auto"
    language = LANGUAGES.get(lang)
    return "rtl" if language is not None and language.rtl else "ltr"


def lines_of(replies: Sequence[Rendered], lang: str | None) -> list[NewLine]:
    """The service's replies as transcript lines (a file is kept with its line)."""
    lines = []
    for reply in replies:
        buttons = [[[b.label, b.data] for b in row] for row in reply.buttons] or None
        document = reply.document
        lines.append(
            NewLine(
                WEGWIJS,
                reply.text,
                lang=lang,
                buttons=buttons,
                filename=document.filename if document else None,
                document=document.content.decode("utf-8", "replace") if document else None,
            )
        )
    return lines


def echo(text: str) -> str:
    """A typed answer as it is shown back: without control, bidi and invisible
    characters (they could turn the page around), and not endlessly long."""
    cleaned = clean_text(text)
    return cleaned if len(cleaned) <= ECHO_MAX else cleaned[:ECHO_MAX] + "…"


def _paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    """Paragraphs of lines. The Unicode isolates around a Dutch name or a time inside
    Arabic text stay: browsers honour them as the chat apps do."""
    return tuple(tuple(part.split("\n")) for part in text.split("\n\n") if part.strip())


def _script_lang(text: str) -> str | None:
    if _ARABIC.search(text):
        return "ar"
    if _ETHIOPIC.search(text):
        return "ti"
    return None


def blocks_of(line: WebLine) -> tuple[Block, ...]:
    if line.sender == PERSON:  # typed in any language: marked by its script, if it tells
        return (Block(_paragraphs(line.text), _script_lang(line.text)),)
    own, divider, dutch = line.text.partition(DUTCH_DIVIDER)
    if line.lang is None:
        # Before a language is chosen: a notice in all four languages, one per paragraph.
        blocks = []
        for paragraph in _paragraphs(own):
            lang = _script_lang(" ".join(paragraph))
            blocks.append(Block((paragraph,), lang, direction(lang)))
        return tuple(blocks)
    blocks = [Block(_paragraphs(own), line.lang, direction(line.lang))]
    if divider:
        blocks.append(Block(_paragraphs(dutch), DUTCH, "ltr"))
    return tuple(blocks)


def transcript(lines: Sequence[WebLine]) -> TranscriptView:
    """What the page shows of the stored lines: the newest that fit the page, and the
    buttons of the newest answer (older buttons are history, not choices)."""
    view = TranscriptView(version=(lines[-1].id or 0) if lines else 0)
    shown: list[WebLine] = []
    budget = PAGE_TEXT_BUDGET
    batch_start = 0  # index of the first line after the person's last one
    for index, line in enumerate(lines):
        if line.sender == PERSON:
            batch_start = index + 1
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        size = len(line.text.encode("utf-8"))
        if shown and size > budget and index < batch_start:
            view.earlier_hidden = True
            break
        budget -= size
        shown.append(line)
    shown.reverse()
    for line in shown:
        assert line.id is not None
        view.lines.append(LineView(line.id, line.sender, blocks_of(line), line.filename))
    newest = lines[batch_start:] if batch_start < len(lines) else []
    with_buttons = [line for line in newest if line.buttons]
    if with_buttons:
        view.buttons = [
            [ButtonView(str(label), str(data)) for label, data in row]
            for row in with_buttons[-1].buttons or []
        ]
    if newest:
        view.latest = newest[0].id
    elif lines:
        view.latest = lines[-1].id
    return view


def label_of(lines: Sequence[WebLine], data: str) -> str | None:
    """The label of a button of the newest answer (what the person pressed), if any."""
    for line in reversed(lines):
        if line.sender == PERSON:
            return None
        for row in line.buttons or []:
            for label, value in row:
                if value == data:
                    return str(label)
    return None


def page_lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "en"
