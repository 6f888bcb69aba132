"""What the consent text promises, from the municipality file: how long answers are kept
and who sees them."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import Field, StrictInt, field_validator

from bot.municipality.fields import Strict, shown

MAX_WHO_SEES = 8
WHO_SEES_LENGTH = 120


class Privacy(Strict):
    retention_months: StrictInt = Field(ge=1, le=120)
    # Who can see the person's answers, as the consent text says it: short Dutch lines,
    # shown as written, one per line. Left out, the consent text says in general terms
    # "your consulent and the people who work with them on your inburgering". The list
    # must be true: partners who join the intake (VluchtelingenWerk in Noordwijk, seed
    # 003), other departments that read the answers (Inkomen, the WSP in Rijswijk, seed
    # 000), and the dashboard's administrators, who see every case.
    who_sees: tuple[str, ...] | None = None

    @field_validator("who_sees", mode="before")
    @classmethod
    def _who_sees(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise ValueError(
                f'should be a list like ["je consulent inburgering", "…"], got {shown(value)}'
            )
        if not value:
            raise ValueError(
                "an empty list would say that nobody sees the answers: name who does, "
                "or leave who_sees out for the general sentence"
            )
        if len(value) > MAX_WHO_SEES:
            raise ValueError(f"has too many items (at most {MAX_WHO_SEES}), got {len(value)}")
        seen: set[str] = set()
        cleaned = []
        for position, item in enumerate(value, 1):
            if not isinstance(item, str):
                raise ValueError(f"item {position} should be text in quotes, got {shown(item)}")
            if "\n" in item.strip() or "\r" in item.strip():
                raise ValueError(f"item {position} spans more lines: write one line per item")
            text = " ".join(item.split())
            if not text:
                raise ValueError(f"item {position} is empty")
            if len(text) > WHO_SEES_LENGTH:
                raise ValueError(
                    f"item {position} is too long (at most {WHO_SEES_LENGTH} characters), "
                    f"got {shown(item)}"
                )
            if text.casefold() in seen:
                raise ValueError(f"item {position} appears twice: {shown(item)}")
            seen.add(text.casefold())
            cleaned.append(text)
        return tuple(cleaned)

    @property
    def promise(self) -> str:
        """What the consent text promises about the answers, as a short key for the consent
        version: "r12", or "r12-w" and a digest of the `who_sees` list. When it changes,
        everyone is asked again."""
        key = f"r{self.retention_months}"
        if self.who_sees:
            digest = hashlib.sha256("\n".join(self.who_sees).encode("utf-8")).hexdigest()
            key += f"-w{digest[:8]}"
        return key
