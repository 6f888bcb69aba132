"""What every part of the municipality file's model shares: models that refuse unknown
fields and cannot change once read (`Strict`), a value shown as written in a message
(`shown`), and the checks on contact details (a Dutch phone number, an e-mail address,
a website)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

_PHONE_CHARS = re.compile(r"\+?[\d\s-]+")
_MUNICIPAL_SHORT = re.compile(r"140\d{2,3}")  # "14 070": the municipality's 14-number


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def dutch_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    looks_dutch = _PHONE_CHARS.fullmatch(value.strip()) is not None and (
        (10 <= len(digits) <= 13 and (digits.startswith("0") or value.strip().startswith("+31")))
        or _MUNICIPAL_SHORT.fullmatch(digits) is not None
    )
    if not looks_dutch:
        raise ValueError(
            f'not a Dutch phone number: {value!r} (write it like "070 123 4567", '
            '"+31 70 123 4567" or "14 070"; digits, spaces, + and - only)'
        )
    return value.strip()


def email_address(value: str) -> str:
    local, at, domain = value.strip().partition("@")
    if (
        not at
        or not local
        or "@" in domain
        or "." not in domain.strip(".")
        or re.search(r"\s", value.strip())
    ):
        raise ValueError(f'not an e-mail address: {value!r} (like "inburgering@gemeente.nl")')
    return value.strip()


def website_address(value: str) -> str:
    value = value.strip()
    if not value.startswith("https://") or len(value) <= len("https://") or " " in value:
        raise ValueError(f"a website must start with https:// (got {value!r})")
    return value


def shown(value: Any, limit: int = 60) -> str:
    """The offending value as written, cut short if it is long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
