"""What the consent text promises, from the municipality file: how long answers are kept
and who sees them."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import Field, StrictInt, field_validator

from bot.municipality.fields import Strict
from bot.municipality.sentences import Sentence, sentences
from bot.municipality.sentences import key as sentences_key
from flows import sentences as S

MAX_WHO_SEES = 8
WHO_SEES_LENGTH = 120


class Privacy(Strict):
    retention_months: StrictInt = Field(ge=1, le=120)
    # Who can see the person's answers, as the consent text says it, one per line: a role
    # of [roles] by its code ("your klantmanager inburgering at ISD Bollenstreek"),
    # "admins", or the file's own line in all four languages. Left out, the consent text
    # says in general terms "your consulent and the people who work with them on your
    # inburgering". The list must be true: partners who join the intake (VluchtelingenWerk
    # in Noordwijk, seed 003), other departments that read the answers (Inkomen, the WSP
    # in Rijswijk, seed 000), and the dashboard's administrators, who see every case.
    who_sees: tuple[Sentence, ...] | None = None

    @field_validator("who_sees", mode="before")
    @classmethod
    def _who_sees(cls, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, list | tuple) and not value:
            raise ValueError(
                "an empty list would say that nobody sees the answers: name who does, "
                "or leave who_sees out for the general sentence"
            )
        return sentences(
            value,
            standard=tuple(S.WHO_SEES),
            other="a role code of [roles]",
            limit=WHO_SEES_LENGTH,
            most=MAX_WHO_SEES,
        )

    @property
    def promise(self) -> str:
        """What the consent text promises about the answers, as a short key for the consent
        version: "r12", or "r12-w" and a digest of the `who_sees` list. When it changes,
        everyone is asked again."""
        key = f"r{self.retention_months}"
        if self.who_sees:
            digest = hashlib.sha256(sentences_key(self.who_sees).encode("utf-8")).hexdigest()
            key += f"-w{digest[:8]}"
        return key
