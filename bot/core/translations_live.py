"""The municipality's corrections in every running process within seconds, without a
restart and without a statement on a person's reply: each process polls the layer's
version (one `max(id)`) every `EVERY` seconds and, when it moved, loads the corrections
and swaps the renderer's overlay in one assignment. A person's reply reads only memory."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from flows.i18n import Overlay, Renderer
from storage import CorrectionRepository, Database, LayerEntry

__all__ = ["EVERY", "keep_fresh", "overlay_of", "refresh"]

log = logging.getLogger(__name__)
EVERY = 2.0  # seconds: a saved correction is live everywhere within about this


def overlay_of(entries: list[LayerEntry]) -> Overlay:
    overlay: Overlay = {}
    for entry in entries:
        overlay.setdefault(entry.lang, {})[(entry.context, entry.msgid)] = entry.forms
    return overlay


async def refresh(db: Database, renderer: Renderer, seen: int = -1) -> int:
    """Load the layer into `renderer` if its version is not `seen`; the version now."""
    async with db.session(readonly=True) as session:
        layer = CorrectionRepository(session)
        version = await layer.version()
        if version == seen:
            return seen
        entries = await layer.overlay()
    renderer.set_overlay(overlay_of(entries))
    return version


async def keep_fresh(
    db: Database, renderer: Renderer, stop: asyncio.Event, every: float = EVERY
) -> None:
    """Poll until `stop`; a database that is away for a while costs freshness, never the
    process (the last layer stays in use)."""
    seen = -1
    while not stop.is_set():
        try:
            seen = await refresh(db, renderer, seen)
        except Exception as exc:  # any driver's error: retried at the next round
            log.warning("text corrections not refreshed: %s", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
