"""Import aiogram without building all of its Telegram types up front.

aiogram declares its ~400 types with pydantic's `defer_build`, then calls
`model_rebuild` on every one of them at import, so each gets a validator and serializer
of its own that inlines all the types it contains: some 100 MB of memory that stays
resident (importing aiogram took a process from 10 to 165 MB, most of the memory goal
of `make bench`). Wegwijs reads updates and builds keyboards: a handful of those types.

While aiogram is imported here, those `model_rebuild(_types_namespace=...)` calls only
keep the namespace they pass (aiogram's types by name: its modules import each other
under `TYPE_CHECKING` only). pydantic then builds a type on its first use, as
`defer_build` intends, through `model_rebuild`; aiogram's two base classes get one that
passes that namespace, so a type is resolved among aiogram's names wherever it is first
used, never in the namespace of the code that happened to use it (a Wegwijs module with
a `Document` of its own would otherwise shadow aiogram's). A type that is used is
validated exactly as before: tests/channels/telegram/test_deferred_models.py builds every
one of them and compares.

This reaches into pydantic's private rebuild parameter (`_types_namespace`); pyproject
pins pydantic below its next minor version, and that test fails if the hook stops
taking effect.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from pydantic import BaseModel

AIOGRAM_TYPES = "aiogram.types"


@contextmanager
def deferred_rebuilds(package: str = AIOGRAM_TYPES) -> Iterator[dict[str, Any]]:
    """Within the block, `model_rebuild(_types_namespace=ns)` on a model of `package`
    does not build it; the block gets the namespace such calls passed."""
    original = BaseModel.__dict__["model_rebuild"]
    kept: dict[str, Any] = {}

    def remember(cls: type[BaseModel], *args: Any, **kwargs: Any) -> bool | None:
        namespace = kwargs.get("_types_namespace")
        if namespace is None or args or kwargs.get("force") or not _within(cls, package):
            return original.__func__(cls, *args, **kwargs)
        kept.update(namespace)
        return None

    BaseModel.model_rebuild = classmethod(remember)  # type: ignore[method-assign,assignment]
    try:
        yield kept
    finally:
        BaseModel.model_rebuild = original  # type: ignore[method-assign]


def resolve_in(bases: tuple[type[BaseModel], ...], namespace: Mapping[str, Any]) -> None:
    """Gives `bases` (and so their subclasses) a `model_rebuild` that resolves names in
    `namespace` unless the caller passes one."""
    original = BaseModel.__dict__["model_rebuild"].__func__

    def rebuild(cls: type[BaseModel], *args: Any, **kwargs: Any) -> bool | None:
        if kwargs.get("_types_namespace") is None:
            kwargs["_types_namespace"] = namespace
        return original(cls, *args, **kwargs)  # type: ignore[no-any-return]

    for base in bases:
        base.model_rebuild = classmethod(rebuild)  # type: ignore[method-assign,assignment]


def import_aiogram(module: str) -> ModuleType:
    """Imports `module` (which uses aiogram) after aiogram itself was imported with its
    types left unbuilt; when aiogram was already imported elsewhere in this process,
    it stays as it is."""
    if AIOGRAM_TYPES not in sys.modules:
        with deferred_rebuilds() as namespace:
            importlib.import_module(AIOGRAM_TYPES)
        from aiogram.methods.base import TelegramMethod
        from aiogram.types.base import TelegramObject

        resolve_in((TelegramObject, TelegramMethod), namespace)
    return importlib.import_module(module)


def build_types_in(value: Any) -> None:
    """Builds the type of every model in `value` (nested ones too) not built yet.

    pydantic serializes a model that sits where its declared type is another (aiogram's
    `Message.document` of an animation, say) with the model's own serializer, which a
    deferred type does not have until it is built: a dump that fails so is repeated
    after this (see `bot.channels.telegram.aiogram_adapter`)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, BaseModel):
            if not type(item).__pydantic_complete__:
                type(item).model_rebuild()
            stack.extend(vars(item).values())
            stack.extend((item.__pydantic_extra__ or {}).values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _within(cls: type, package: str) -> bool:
    return cls.__module__ == package or cls.__module__.startswith(package + ".")
