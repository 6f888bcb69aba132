"""The municipality's layer over the shipped catalogs: reviewed and corrected texts.

`TextCorrection` holds the current state per language and text, `TextCorrectionEvent`
its history; the highest event id is the layer's version. Every process polls
`version()` (one indexed `max(id)`) and reloads `overlay()` only when it moved, so a
correction reaches every process without a statement on a person's reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import TextCorrection, TextCorrectionEvent

__all__ = ["CorrectionRepository", "LayerEntry", "TextCorrection", "TextCorrectionEvent"]


@dataclass(frozen=True)
class LayerEntry:
    """One corrected text as the renderers need it."""

    lang: str
    context: str
    msgid: str
    forms: tuple[str, ...]


class CorrectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def version(self) -> int:
        result = await self.session.exec(select(func.max(TextCorrectionEvent.id)))
        return int(result.one() or 0)

    async def overlay(self) -> list[LayerEntry]:
        """Every correction (approvals without a change are not part of the overlay)."""
        result = await self.session.exec(
            select(TextCorrection).where(col(TextCorrection.forms).is_not(None))
        )
        return [
            LayerEntry(row.lang, row.context, row.msgid, tuple(row.forms or ()))
            for row in result.all()
        ]

    async def of_language(self, lang: str | None = None) -> list[TextCorrection]:
        stmt = select(TextCorrection)
        if lang is not None:
            stmt = stmt.where(TextCorrection.lang == lang)
        result = await self.session.exec(stmt.order_by(col(TextCorrection.id)))
        return list(result.all())

    async def get(self, lang: str, key: str) -> TextCorrection | None:
        result = await self.session.exec(
            select(TextCorrection).where(TextCorrection.lang == lang, TextCorrection.key == key)
        )
        return result.first()

    async def save(
        self,
        *,
        lang: str,
        key: str,
        context: str,
        msgid: str,
        forms: list[str] | None,
        source_hash: str,
        shipped_hash: str,
        actor: str,
        at: datetime,
    ) -> TextCorrection:
        """Record a review (`forms` None: the shipped text approved) or a correction,
        replacing the current state, and append it to the history."""
        row = await self.get(lang, key)
        if row is None:
            row = TextCorrection(
                lang=lang,
                key=key,
                context=context,
                msgid=msgid,
                source_hash=source_hash,
                shipped_hash=shipped_hash,
                actor=actor,
                at=at,
            )
        row.forms, row.source_hash, row.shipped_hash = forms, source_hash, shipped_hash
        row.actor, row.at = actor, at
        self.session.add(row)
        action = "review" if forms is None else "correct"
        await self._event(lang, key, action, forms, source_hash, shipped_hash, actor, at)
        await self.session.flush()
        return row

    async def revert(self, *, lang: str, key: str, actor: str, at: datetime) -> bool:
        """Back to the shipped text, unreviewed; False when there was nothing to undo."""
        row = await self.get(lang, key)
        if row is None:
            return False
        await self._event(lang, key, "revert", None, row.source_hash, row.shipped_hash, actor, at)
        await self.session.exec(  # type: ignore[call-overload]
            delete(TextCorrection).where(col(TextCorrection.id) == row.id)
        )
        await self.session.flush()
        return True

    async def history(self, lang: str, key: str) -> list[TextCorrectionEvent]:
        result = await self.session.exec(
            select(TextCorrectionEvent)
            .where(TextCorrectionEvent.lang == lang, TextCorrectionEvent.key == key)
            .order_by(col(TextCorrectionEvent.id).desc())
        )
        return list(result.all())

    async def _event(
        self,
        lang: str,
        key: str,
        action: str,
        forms: list[str] | None,
        source_hash: str,
        shipped_hash: str,
        actor: str,
        at: datetime,
    ) -> None:
        self.session.add(
            TextCorrectionEvent(
                lang=lang,
                key=key,
                action=action,
                forms=forms,
                source_hash=source_hash,
                shipped_hash=shipped_hash,
                actor=actor,
                at=at,
            )
        )
