"""Reading the municipality file (TOML) and reporting every problem found, one line
each: ``<path>: <dotted.field>: <what is wrong>``."""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from bot.municipality.appointments import APPOINTMENT_KINDS
from bot.municipality.fields import shown
from bot.municipality.model import Municipality
from bot.municipality.roles import ROLE_PROBLEMS, TOPICS, reference_problems


class MunicipalityError(Exception):
    """The municipality file cannot be used; the message says where and why, one line
    per problem."""


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_SECTIONS = tuple(Municipality.model_fields)


def load_municipality(path: Path | str) -> Municipality:
    """Read and validate the file; MunicipalityError names the file, and every field
    that is wrong with what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MunicipalityError(f"{path}: file not found (set WEGWIJS_MUNICIPALITY)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MunicipalityError(f"{path}: cannot be read: {exc}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        if position:
            where = f"line {position[1]}, column {position[2]}"
            message = f"{where}: not valid TOML: {message[: position.start()]}"
        else:
            message = f"not valid TOML: {message}"
        raise MunicipalityError(f"{path}: {message}") from None

    problems = reference_problems(raw.get("roles"), raw.get("topics"))
    try:
        municipality = Municipality.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            if error["type"] == "municipality_references":
                continue  # found above, per field
            if error["type"] == ROLE_PROBLEMS:  # "roles.<code>.<field>…: …", one a line
                for line in str(error["ctx"]["problems"]).splitlines():
                    where, _, what = line.partition(": ")
                    problems.append((tuple(where.split(".")), what))
                continue
            problems.append((tuple(str(part) for part in error["loc"]), _describe(error)))
    else:
        if not problems:
            return municipality
    problems.sort(key=lambda problem: _section_order(problem[0]))
    raise MunicipalityError(
        "\n".join(f"{path}: {'.'.join(loc) or '(whole file)'}: {msg}" for loc, msg in problems)
    )


def _section_order(loc: tuple[str, ...]) -> int:
    return _SECTIONS.index(loc[0]) if loc and loc[0] in _SECTIONS else len(_SECTIONS)


def _describe(error: Any) -> str:
    """Pydantic's error, said for the person who edits the file."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    loc = tuple(str(part) for part in error["loc"])
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "missing":
        if len(loc) == 1:
            return f"required, but missing: add a [{loc[0]}] table"
        if loc[0] == "topics" and len(loc) == 2:
            return f'not mapped: say which role answers it, like {loc[1]} = "consulent"'
        return "required, but missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):  # a model, a dataclass
        return _unknown(loc)
    expected = {
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
        "string_type": "text in quotes",
        "list_type": 'a list like ["…", "…"]',
        "tuple_type": 'a list like ["…", "…"]',
        "dict_type": "a table",
        "model_type": "a table",
        "model_attributes_type": "a table",
        "dataclass_type": "a table",
    }
    if kind in expected:
        return f"should be {expected[kind]}, got {shown(value)}"
    limits = {
        "greater_than_equal": "should be at least {ge}",
        "less_than_equal": "should be at most {le}",
        "string_too_short": "should not be empty",
        "string_too_long": "is too long (at most {max_length} characters)",
        "too_long": "has too many items (at most {max_length})",
    }
    if kind in limits:
        return f"{limits[kind].format(**ctx)}, got {shown(value)}"
    return f"{error['msg']}, got {shown(value)}"


def _unknown(loc: tuple[str, ...]) -> str:
    """An unknown key: a topic or kind that does not exist, or a misspelt field."""
    name = loc[-1]
    if loc[:-1] == ("topics",):
        what, known = "topic", TOPICS
    elif loc[:-1] == ("appointments",):
        what, known = "appointment kind", APPOINTMENT_KINDS
    else:
        what, known = "field", _fields_at(loc[:-1])
    guess = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if guess:
        return f"unknown {what} {name!r} (did you mean {guess[0]!r}?)"
    if known:
        return f"unknown {what} {name!r}; allowed here: {', '.join(known)}"
    return f"unknown {what} {name!r}"


def _fields_at(loc: tuple[str, ...]) -> tuple[str, ...]:
    """The field names allowed in the table at `loc`, by walking the model's types."""
    current: Any = Municipality
    parts = list(loc)
    while parts:
        current = _unwrap(current)
        fields = _table_fields(current)
        if fields is not None:
            if parts[0] not in fields:
                return ()
            current = fields[parts.pop(0)]
        elif get_origin(current) in (dict, tuple, list):
            parts.pop(0)
            current = get_args(current)[-1 if get_origin(current) is dict else 0]
        else:
            return ()
    return tuple(_table_fields(_unwrap(current)) or ())


def _table_fields(annotation: Any) -> dict[str, Any] | None:
    """The fields of a table's type (a model, or a validated dataclass such as the
    flows' `QuietHours`) with their types; None for anything else."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {name: field.annotation for name, field in annotation.model_fields.items()}
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return {field.name: field.type for field in dataclasses.fields(annotation)}
    return None


def _unwrap(annotation: Any) -> Any:
    """`X | None` → X; `Annotated[X, …]` → X."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
        else:
            return annotation
