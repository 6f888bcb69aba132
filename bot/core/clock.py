"""The one clock of the running system.

Nothing below ``bot.core`` reads the time: ``flows`` and ``storage`` take ``now`` as an
argument. The services take a ``clock`` (this function by default), so tests pass
their own (``tests/clock.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["utcnow"]


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC: the only kind of time storage accepts."""
    return datetime.now(UTC)
