"""Where a person sees each text: the part of the conversation a catalog entry belongs
to, derived from the code and the flow rather than kept as a list of texts (which would
drift from the texts).

A text belongs to the module that marks it with `N_` (found by Babel's own extractor,
with the keywords of `make locales`); a text kept in a shared module of words (say
`flows/texts.py`) belongs to the first screen that uses its constant; a text of the
intake flow belongs to its section. Modules are named to parts by `MODULE_PARTS`, a table
of modules, not of texts: a new text in a known module lands in the right part by
itself, and a new module shows up under its own path until it is named here."""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterable
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords

from flows.intake import INTAKE
from flows.model import Flow

__all__ = ["INTAKE_PART", "PART_ORDER", "button_texts", "part_order", "parts_of_texts"]

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("flows", "bot")
# The keywords of `make locales` (Makefile): N_, NP_ (plural) and NC_ (context).
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["N_", "NP_:1,2", "NC_:1c,2"])}
# Modules of shared words: their texts belong to the screen that uses them.
SHARED_WORDS = ("flows/texts.py", "flows/model.py")
INTAKE_PART = "Intake"
INTAKE_GENERAL = "Intake: bij elke vraag"
OTHER = "Overige teksten"
CONSULENT_PART = "Overzicht voor de consulent"

# Part → the modules (paths without ".py", or folders ending in "/") whose texts it holds.
MODULE_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Taal en toestemming",
        ("flows/screens/language", "flows/screens/consent", "flows/languages", "bot/core/language"),
    ),
    (INTAKE_PART, ("flows/intake", "flows/screens/question")),
    ("Overzicht van de antwoorden", ("flows/screens/review", "flows/summary")),
    ("Menu en opdrachten", ("flows/screens/menu", "flows/commands")),
    ("Mijn gegevens en wissen", ("flows/screens/privacy", "bot/core/export", "bot/core/privacy")),
    ("Wie helpt waarmee", ("flows/roles", "flows/screens/roles")),
    ("Stappen van de inburgering", ("flows/journey", "flows/screens/journey")),
    (
        "Afspraken en herinneringen",
        (
            "flows/appointments",
            "flows/screens/appointments",
            "flows/calendar",
            "bot/worker",
            "bot/core/appointments",
        ),
    ),
    ("Webchat-pagina's", ("bot/channels/web/",)),
    (
        "Fouten en onverwachte invoer",
        (
            "flows/screens/turn",
            "flows/engine",
            "flows/cleaning",
            "flows/callbacks",
            "bot/channels/",
            "bot/core/service",
        ),
    ),
    (CONSULENT_PART, ("flows/record", "bot/dashboard/", "bot/core/record")),
)
PART_ORDER = tuple(part for part, _ in MODULE_PARTS)

Key = tuple[str, str]  # (msgctxt or "", msgid)


def part_of_module(path: str) -> str | None:
    stem = path.removesuffix(".py")
    best: tuple[int, str] | None = None
    for part, modules in MODULE_PARTS:
        for module in modules:
            hit = stem.startswith(module) if module.endswith("/") else stem == module
            if hit and (best is None or len(module) > best[0]):
                best = (len(module), part)
    return best[1] if best else None


@functools.lru_cache(maxsize=1)
def _extracted() -> tuple[tuple[Key, str], ...]:
    """(key, module path) of every marked text, in source order (Babel's extractor)."""
    found: list[tuple[Key, str]] = []
    for package in PACKAGES:
        for filename, _line, message, _comments, context in extract_from_dir(
            ROOT / package, [("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=True
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            found.append(((context or "", msgid), f"{package}/{filename}"))
    return tuple(found)


@functools.lru_cache(maxsize=1)
def _constant_users() -> dict[Key, str]:
    """Texts of the shared-words modules → the first other module using their constant."""
    trees = {
        path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    names_used: dict[str, set[str]] = {}
    for path, tree in trees.items():
        used = names_used.setdefault(path, set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                used.add(node.attr)
            elif isinstance(node, ast.Name):
                used.add(node.id)
    users: dict[Key, str] = {}
    for shared in SHARED_WORDS:
        tree = trees.get(shared)
        for name, key in _constants(tree):
            # Used directly, or through a function of the shared module that says it.
            names = {name} | _functions_saying(tree, name)
            for path, used in names_used.items():
                if path not in SHARED_WORDS and names & used and part_of_module(path):
                    users.setdefault(key, path)
                    break
    return users


def _functions_saying(tree: ast.Module | None, name: str) -> set[str]:
    return {
        node.name
        for node in (tree.body if tree else ())
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))
    }


def _constants(tree: ast.Module | None) -> Iterable[tuple[str, Key]]:
    """`NAME = N_("…")` (or NP_/NC_) at module level: the constant's name and text."""
    for node in tree.body if tree else ():
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        call, targets = node.value, [t.id for t in node.targets if isinstance(t, ast.Name)]
        if not targets or not isinstance(call.func, ast.Name):
            continue
        strings = [a.value for a in call.args if isinstance(a, ast.Constant)]
        if call.func.id in ("N_", "NP_") and strings:
            yield targets[0], ("", str(strings[0]))
        elif call.func.id == "NC_" and len(strings) == 2:
            yield targets[0], (str(strings[0]), str(strings[1]))


def _intake_sections(flow: Flow) -> dict[Key, str]:
    """Each text of the intake → the section (by its English title) it is asked in."""
    sections: dict[Key, str] = {}
    for section in flow.sections:
        texts = [section.title, section.intro]
        for question in section.questions:
            texts += [question.prompt, question.label, question.hint]
            texts += [option.text for option in question.options]
        for text in texts:
            if text:
                sections.setdefault((getattr(text, "context", ""), str(text)), section.title)
    return sections


def _flag_labels(flow: Flow) -> set[Key]:
    return {(getattr(flag.label, "context", ""), str(flag.label)) for flag in flow.flags}


def parts_of_texts(dutch: Callable[[str], str] = str) -> dict[Key, str]:
    """Every marked text → the Dutch name of the part where a person sees it; the intake's
    texts by section ("Intake: Werk", with `dutch` translating the section title)."""
    users = _constant_users()
    sections = _intake_sections(INTAKE)
    flags = _flag_labels(INTAKE)
    parts: dict[Key, str] = {}
    for key, path in _extracted():
        if key in parts:
            continue
        if key in flags:
            parts[key] = CONSULENT_PART
            continue
        if key in sections:
            parts[key] = f"{INTAKE_PART}: {dutch(sections[key])}"
            continue
        module = users.get(key, path)
        part = part_of_module(module) or (OTHER if module in SHARED_WORDS else module)
        parts[key] = INTAKE_GENERAL if part == INTAKE_PART else part
    return parts


def part_order(dutch: Callable[[str], str] = str) -> list[str]:
    """The parts in the order a person meets them: the intake's sections as the flow
    asks them, then what is said at every question."""
    order: list[str] = []
    for part in PART_ORDER:
        if part == INTAKE_PART:
            order += [f"{INTAKE_PART}: {dutch(s.title)}" for s in INTAKE.sections]
            order.append(INTAKE_GENERAL)
        else:
            order.append(part)
    return order


@functools.lru_cache(maxsize=1)
def button_texts() -> frozenset[Key]:
    """Texts shown on a button: the options of every flow (`Option(code, N_(…))`) and the
    constants a screen puts in a `Button(…)` (their labels must fit a phone's width)."""
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "flows").rglob("*.py"))
    ]
    constants: dict[str, Key] = {}
    for tree in trees:
        constants.update(_constants(tree))
    found: set[Key] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id == "Option" and len(node.args) >= 2:
                found |= _texts_in(node.args[1], constants)
            elif node.func.id == "Button" and node.args:
                found |= _texts_in(node.args[0], constants)
    return frozenset(found)


def _texts_in(node: ast.AST, constants: dict[str, Key]) -> set[Key]:
    texts: set[Key] = set()
    for sub in ast.walk(node):
        name = sub.attr if isinstance(sub, ast.Attribute) else getattr(sub, "id", None)
        if name in constants:
            texts.add(constants[name])
        elif isinstance(sub, ast.Call) and getattr(sub.func, "id", "") in ("N_", "NC_"):
            strings = [a.value for a in sub.args if isinstance(a, ast.Constant)]
            if strings:
                texts.add(("", strings[0]) if len(strings) == 1 else (strings[0], strings[1]))
    return texts
