"""Screens own their buttons: outside `flows/screens/` and the channels (`bot/channels/`)
no code builds a reply or a button or packs a payload. The engine's `Step` carries
replies and the renderer reads them, so `Reply` may appear there as a type; nothing
there makes one. Walks the source, as a grep would, but reads it as Python so that a
comment or a docstring that names them does not count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = ("flows/screens/", "bot/channels/")
DEFINED = "flows/replies.py"  # where Reply and Button are defined
BUILT = frozenset({"Reply", "Button"})


def sources() -> list[Path]:
    found = []
    for package in ("flows", "bot"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not relative.startswith(ALLOWED) and relative != DEFINED:
                found.append(path)
    return found


def violations(source: str) -> list[str]:
    """Each line that builds a Reply or Button, packs a payload or imports Button."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else None
            if name in BUILT:
                found.append(f"line {node.lineno}: {name}(")
            elif isinstance(func, ast.Attribute) and (func.attr == "pack" or func.attr in BUILT):
                found.append(f"line {node.lineno}: .{func.attr}(")
        elif isinstance(node, ast.ImportFrom) and any(a.name == "Button" for a in node.names):
            found.append(f"line {node.lineno}: imports Button")
    return found


@pytest.mark.parametrize("path", sources(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_reply_button_or_pack_outside_the_screens_and_channels(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []


def test_the_walk_sees_the_content_modules_and_the_core() -> None:
    seen = {p.relative_to(ROOT).as_posix() for p in sources()}
    assert {"flows/roles.py", "flows/journey.py", "flows/appointments.py"} <= seen
    assert {"flows/intake.py", "flows/engine.py", "bot/core/service.py"} <= seen
    assert not any(s.startswith(ALLOWED) for s in seen)


@pytest.mark.parametrize(
    "code",
    [
        "Reply((Msg.of('x'),))",
        "rows = [(Button(Msg.of('x'), 'a:b'),)]",
        "data = RolesAction('back').pack()",
        "from flows.replies import Button, Msg",
        "r = replies.Reply(())",
    ],
)
def test_the_check_finds_what_it_forbids(code: str) -> None:
    assert violations(code)


def test_a_type_a_comment_or_a_docstring_is_no_violation() -> None:
    code = '"""Builds no Reply( and calls no .pack()."""\n# Button(\nx: tuple[Reply, ...] = ()\n'
    assert violations(code) == []
