"""Liveness and readiness, the one use case every listener exposes (`/healthz`,
`/readyz`): a supervisor or a load balancer asks, and sends traffic only to a process
that can answer.

Ready means: the database answers, its schema is the one this version needs, and, in a
process that runs the Telegram bot, the Bot API was reached within `BOT_API_WINDOW`
(the bot marks every call that reached it; `watch_bot_api` asks when nothing else did).
The answer names checks and states only: no person, no address, no secret."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from storage import Database, StorageUnavailable, head_revision
from storage.health import schema_revision

__all__ = ["BOT_API_WINDOW", "PROBE_PATHS", "Health", "Readiness"]

BOT_API_WINDOW = 120.0  # seconds
PROBE_PATHS = ("/healthz", "/readyz")


@dataclass(frozen=True)
class Readiness:
    ready: bool
    checks: dict[str, str]

    def as_json(self) -> dict[str, object]:
        return {"status": "ready" if self.ready else "not ready", "checks": self.checks}


class Health:
    """One per process (on `App`): the readiness check and the time the Bot API was
    last reached."""

    def __init__(
        self, db: Database | Callable[[], Database], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._db = db
        self.clock = clock
        self.runs_bot = False
        self._bot_api_at: float | None = None

    @property
    def db(self) -> Database:
        return self._db if isinstance(self._db, Database) else self._db()

    def expect_bot_api(self) -> None:
        """This process runs the bot: readiness includes reaching the Bot API."""
        self.runs_bot = True

    def bot_api_reached(self) -> None:
        self._bot_api_at = self.clock()

    def bot_api_age(self) -> float | None:
        """Seconds since the Bot API was last reached (None: never)."""
        return None if self._bot_api_at is None else self.clock() - self._bot_api_at

    async def readiness(self) -> Readiness:
        checks: dict[str, str] = {}
        try:
            revision = await schema_revision(self.db)
        except StorageUnavailable:
            checks["database"] = "unreachable"
        else:
            checks["database"] = "ok"
            head = head_revision()
            checks["migrations"] = "ok" if revision == head else f"at {revision}, needs {head}"
        if self.runs_bot:
            age = self.bot_api_age()
            if age is not None and age <= BOT_API_WINDOW:
                checks["bot_api"] = "ok"
            else:
                checks["bot_api"] = (
                    "never reached" if age is None else f"last reached {int(age)} s ago"
                )
        ready = all(value == "ok" for value in checks.values()) and "migrations" in checks
        return Readiness(ready, checks)

    @staticmethod
    def liveness() -> dict[str, object]:
        return {"status": "alive"}

    async def probe(self, path: str) -> tuple[int, bytes]:
        """The HTTP status and JSON body every listener answers on a probe path
        (`PROBE_PATHS`): 200, or 503 when not ready."""
        if path == "/healthz":
            return 200, json.dumps(self.liveness()).encode()
        readiness = await self.readiness()
        return (200 if readiness.ready else 503), json.dumps(readiness.as_json()).encode()
