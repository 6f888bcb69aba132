"""What the engine answers with: language-neutral messages, rendered later per language."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Literal, Union

Param = Union[str, int, "Msg", "Join", "Moment", "Money", "Localized"]


_NO_PARAMS: Mapping[str, Param] = MappingProxyType({})


def _frozen(params: dict[str, Param]) -> Mapping[str, Param]:
    """A read-only view of a fresh dict (each caller's **params is its own): no copy."""
    return MappingProxyType(params) if params else _NO_PARAMS


@dataclass(frozen=True)
class Msg:
    """A msgid with parameters. A parameter that is a Msg or Join is rendered in the same
    language; plain strings (names, codes, the person's own text) are inserted as they are."""

    msgid: str
    params: Mapping[str, Param] = field(default_factory=lambda: _NO_PARAMS)
    plural: str | None = None  # msgid_plural; params["count"] picks the form
    literal: bool = False  # a template that is not translated (a language's own name)
    in_lang: str | None = None  # always rendered in this language (the language menu)

    @classmethod
    def of(cls, msgid: str, **params: Param) -> Msg:
        if not params and type(msgid) is str:  # a Contextual equals its bare msgid: no cache
            return _plain(msgid)  # immutable: one per msgid will do
        return cls(msgid, MappingProxyType(params))

    @classmethod
    def lit(cls, template: str, **params: Param) -> Msg:
        return cls(template, _frozen(params), literal=True)

    @classmethod
    def count(cls, forms: tuple[str, str], count: int, **params: Param) -> Msg:
        """`forms` comes from `NP_`; the catalog picks the plural form for `count`."""
        return cls(forms[0], _frozen({"count": count, **params}), plural=forms[1])


@functools.lru_cache(maxsize=4096)
def _plain(msgid: str) -> Msg:
    return Msg(msgid)


@dataclass(frozen=True)
class Join:
    """Several parameters shown as one (the options of a multiple choice, review lines)."""

    items: tuple[Param, ...]
    separator: str = ", "


@dataclass(frozen=True)
class Localized:
    """A text the municipality file gives in each language itself (a role's own lines):
    shown in the reader's language, English where one is missing. Like a translated
    part, it is not isolated: it already reads in the reader's direction."""

    texts: tuple[tuple[str, str], ...]  # (language, text), hashable

    @classmethod
    def of(cls, texts: Mapping[str, str]) -> Localized:
        return cls(tuple(sorted(texts.items())))

    def text(self, lang: str) -> str:
        found = dict(self.texts)
        return found.get(lang) or found.get("en") or next(iter(found.values()), "")


@dataclass(frozen=True)
class Moment:
    """A date or a time, written in the reader's language in Europe/Amsterdam."""

    at: datetime
    part: Literal["date", "time"]


@dataclass(frozen=True)
class Money:
    """An amount in whole euros, written the reader's way ("€ 250", "€250", "250 €")."""

    euros: int


@dataclass(frozen=True)
class Button:
    label: Msg
    data: str
    mark: str = ""  # e.g. "✅ " for a selected option in a MULTI


@dataclass(frozen=True)
class Reply:
    parts: tuple[Msg, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    bilingual: bool = True  # False for long overviews where a Dutch copy would drown them
