"""The catalog check behind ``wegwijs locales check``.

Refugees read these strings on a phone in Arabic, Tigrinya, Dutch or English. An empty
or fuzzy entry silently falls back to English, a renamed placeholder crashes
``str.format`` at the moment someone needs help, a Tigrinya string pasted in Latin
letters is unreadable to its reader, and a wrong Arabic plural order picks the wrong
form for every count. This check turns each of those into a line a developer can act
on, before release.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import message_from_string
from pathlib import Path
from typing import Final

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser

from bot.core.catalog_rules import PLURAL_FORMS
from bot.core.catalog_rules import nplurals as _nplurals
from bot.core.catalog_rules import placeholders as _placeholders
from bot.core.catalog_rules import placeholders_match as _placeholders_match
from bot.core.catalog_rules import plural_table as _plural_table
from bot.core.catalog_rules import script_problem as _script_problem
from bot.core.catalog_rules import singular_like_forms as _singular_like_forms

__all__ = [
    "DEFAULT_LANGUAGES",
    "PLURAL_FORMS",
    "Problem",
    "catalog_path",
    "check_catalogs",
    "format_problems",
]

DEFAULT_LANGUAGES: Final = ("ar", "ti", "nl", "en")

_TEMPLATE_LABEL: Final = "pot"
_MSGID_PREVIEW: Final = 40


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one catalog. ``msgid`` is "" for problems of the whole file."""

    lang: str
    msgid: str
    message: str


def catalog_path(locales_dir: Path, lang: str) -> Path:
    """Where the catalog of ``lang`` lives."""
    return Path(locales_dir) / lang / "LC_MESSAGES" / "messages.po"


def check_catalogs(
    locales_dir: Path, languages: Sequence[str] = DEFAULT_LANGUAGES
) -> list[Problem]:
    """Check the catalogs of ``languages`` under ``locales_dir``; [] means all is well.

    Obsolete (``#~``) entries are ignored. When ``locales_dir/messages.pot`` exists,
    every msgid in it must also be in each catalog.
    """
    locales_dir = Path(locales_dir)
    problems: list[Problem] = []

    template: Catalog | None = None
    template_path = locales_dir / "messages.pot"
    if template_path.exists():
        template, error = _read(template_path)
        if error:
            problems.append(Problem(_TEMPLATE_LABEL, "", f"template {error}"))

    for lang in languages:
        path = catalog_path(locales_dir, lang)
        if not path.is_file():
            problems.append(Problem(lang, "", f"catalog file missing: {path}"))
            continue
        catalog, error = _read(path)
        if catalog is None:
            problems.append(Problem(lang, "", f"catalog {error}"))
            continue
        problems.extend(_check_catalog(lang, catalog))
        if template is not None:
            problems.extend(_check_against_template(lang, catalog, template))
    return problems


def format_problems(problems: Iterable[Problem]) -> str:
    """One line per problem, e.g. ``ar: "Your appointment is on…": empty translation``."""
    lines = []
    for problem in problems:
        message = " ".join(problem.message.split())
        if problem.msgid:
            lines.append(f'{problem.lang}: "{_preview(problem.msgid)}": {message}')
        else:
            lines.append(f"{problem.lang}: {message}")
    return "\n".join(lines)


# --- reading -------------------------------------------------------------------------


class _RawHeaderCatalog(Catalog):
    """A Catalog that also keeps the header fields exactly as written.

    Babel's Catalog invents a Plural-Forms value from the locale when the header has
    none, but Python's gettext uses only what the file says; so we check the file.
    """

    def __init__(self) -> None:
        super().__init__()
        self.raw_headers: dict[str, str] = {}
        # Catalog() starts out fuzzy; only a header entry in the file says otherwise.
        self.header_fuzzy = False

    def __setitem__(self, id: str | tuple[str, ...], message: Message) -> None:
        if id == "" and isinstance(message.string, str):
            headers = message_from_string(message.string)
            self.raw_headers = {name.lower(): value for name, value in headers.items()}
            self.header_fuzzy = message.fuzzy
        super().__setitem__(id, message)


def _read(path: Path) -> tuple[_RawHeaderCatalog | None, str]:
    """Parse a .po/.pot file strictly; return (catalog, "") or (None, reason)."""
    catalog = _RawHeaderCatalog()
    # read_po() with abort_invalid=True does exactly this, but with a plain Catalog.
    parser = PoFileParser(catalog, ignore_obsolete=True, abort_invalid=True)
    try:
        with path.open("rb") as fileobj:
            parser.parse(fileobj)
    except PoFileError as exc:
        reason = str(exc).rsplit(" on ", 1)[0]
        return None, f"cannot be parsed (line {exc.lineno + 1}: {reason})"
    except Exception as exc:  # any failure of a third-party parser on a bad file
        return None, f"cannot be parsed ({type(exc).__name__}: {exc})"
    return catalog, ""


# --- checks --------------------------------------------------------------------------


def _check_catalog(lang: str, catalog: _RawHeaderCatalog) -> list[Problem]:
    problems = [Problem(lang, "", message) for message in _header_problems(lang, catalog)]
    table = _plural_table(catalog.raw_headers.get("plural-forms", ""))
    singular_like = _singular_like_forms(table, catalog.num_plurals)
    for message in catalog:
        if not message.id:
            continue  # the header
        problems.extend(
            Problem(lang, _singular(message), text + _context_note(message))
            for text in _message_problems(lang, message, singular_like)
        )
    return problems


def _header_problems(lang: str, catalog: _RawHeaderCatalog) -> list[str]:
    problems = []
    if catalog.header_fuzzy:
        problems.append("catalog header is fuzzy (pybabel compile skips the whole catalog)")
    raw = catalog.raw_headers.get("plural-forms")
    if raw is None:
        problems.append("no Plural-Forms header")
        return problems
    expected = PLURAL_FORMS.get(lang)
    if expected is not None and _squeeze(raw) != _squeeze(expected):
        problems.append(f"wrong Plural-Forms header: expected {expected!r}, found {raw!r}")
        return problems
    table = _plural_table(raw)
    nplurals = _nplurals(raw)
    if table is None or nplurals is None:
        problems.append(f"Plural-Forms header cannot be evaluated: {raw!r}")
    elif min(table) < 0 or max(table) >= nplurals:
        problems.append(f"Plural-Forms selects form {max(table)} but declares nplurals={nplurals}")
    return problems


def _message_problems(lang: str, message: Message, singular_like: set[int]) -> list[str]:
    problems = []
    forms = list(message.string) if message.pluralizable else [message.string]
    forms = [form or "" for form in forms]
    empty = [i for i, form in enumerate(forms) if not form.strip()]
    if len(empty) == len(forms):
        problems.append("empty translation")
    elif empty:
        listed = ", ".join(map(str, empty))
        problems.append(f"plural form {listed} missing or empty ({len(forms)} forms needed)")
    if message.fuzzy:
        problems.append("fuzzy (needs review)")

    if message.pluralizable:
        reference, reference_name = message.id[1], "msgid_plural"
    else:
        reference, reference_name = message.id, "msgid"
    expected = _placeholders(reference)
    if expected is None:
        problems.append(f"{reference_name} has unbalanced braces")
    for i, form in enumerate(forms):
        if not form.strip():
            continue
        label = f"plural form {i}: " if message.pluralizable else ""
        found = _placeholders(form)
        if found is None:
            problems.append(f"{label}translation has unbalanced braces")
        elif expected is not None and not _placeholders_match(
            expected, found, count_optional=message.pluralizable and i in singular_like
        ):
            problems.append(
                f"{label}placeholders differ: {reference_name} has {_show(expected)}, "
                f"translation has {_show(found)}"
            )
        script_problem = _script_problem(lang, form)
        if script_problem:
            problems.append(label + script_problem)
    return problems


def _check_against_template(lang: str, catalog: Catalog, template: Catalog) -> list[Problem]:
    problems = []
    for entry in template:
        if not entry.id:
            continue
        translated = catalog.get(entry.id, entry.context)
        if translated is None:
            message = "missing from catalog"
        elif entry.pluralizable and not translated.pluralizable:
            message = "plural in the template but singular in the catalog"
        else:
            continue
        problems.append(Problem(lang, _singular(entry), message + _context_note(entry)))
    return problems


# --- helpers -------------------------------------------------------------------------


def _squeeze(header: str) -> str:
    return "".join(header.split()).rstrip(";")


def _show(names: set[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names)) or "no placeholders"


def _singular(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (list, tuple)) else message.id


def _context_note(message: Message) -> str:
    return f" (context {message.context!r})" if message.context else ""


def _preview(msgid: str) -> str:
    flat = " ".join(msgid.split())
    return flat if len(flat) <= _MSGID_PREVIEW else flat[: _MSGID_PREVIEW - 1].rstrip() + "…"
