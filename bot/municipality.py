"""The municipality file (TOML): the local set-up the conversation speaks about.

Validated at start-up, so a mistake stops Wegwijs with a message naming the file, the
field and what is wrong, instead of surfacing later in a conversation.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class MunicipalityError(Exception):
    """The municipality file cannot be used; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Identity(_Strict):
    name: str = Field(min_length=1, max_length=80)


class Privacy(_Strict):
    retention_months: int = Field(ge=1, le=120)


class Municipality(_Strict):
    municipality: Identity
    privacy: Privacy

    @property
    def name(self) -> str:
        return self.municipality.name


def load_municipality(path: Path) -> Municipality:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MunicipalityError(f"{path}: file not found (set WEGWIJS_MUNICIPALITY)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MunicipalityError(f"{path}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise MunicipalityError(f"{path}: not valid TOML: {exc}") from None
    try:
        return Municipality.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or '(top)'}: {error['msg']}"
            for error in exc.errors()
        )
        raise MunicipalityError(f"{path}: {problems}") from None
