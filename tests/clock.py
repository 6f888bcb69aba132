"""The tests' one clock and one "now".

The code reads the time only through a ``clock`` argument (``bot.core.clock.utcnow``
by default); tests pass a ``Clock`` instead, and storage tests pass ``NOW`` itself.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# A Tuesday, 12:00 in Amsterdam: a working day, outside the quiet hours (21:00-08:00).
NOW = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)


class Clock:
    """A clock that stands still at ``now`` until a test moves it (``advance``, or
    setting ``now``). With a ``tick``, each reading is that much later than the one
    before: for code that stamps several rows and must see them in order."""

    def __init__(self, now: datetime = NOW, *, tick: timedelta = timedelta(0)) -> None:
        self.now = now
        self.tick = tick

    def __call__(self) -> datetime:
        self.now += self.tick
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
