"""What every end-to-end benchmark shares: its settings (`Bench`), the constants of the
simulated world, and cleaning up. The rest is in modules of their own: bots as
subprocesses (`bench.processes`), databases seeded in bulk (`bench.databases`), and
simulated people talking to a bot through the fake Bot API (`bench.people`).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
WEGWIJS = str(BIN / "wegwijs")
POSTGRES_ADMIN_URL = os.environ.get(
    "WEGWIJS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
LANGS = ("ar", "ti", "nl", "en")
USER_CHAT_BASE = 8_000_000_000  # the simulated people: chats beyond 32 bits, like Telegram's
BACKGROUND_CHAT_BASE = 9_000_000_000  # the other cases' chats
WEBHOOK_SECRET = "bench-webhook-secret"
REPLY_TIMEOUT = 30.0  # a reply later than this counts as lost


@dataclass
class Bench:
    """What every benchmark gets: a scratch directory, and PostgreSQL if reachable."""

    workdir: Path
    postgres: bool
    quick: bool = False
    log: Callable[[str], None] = print


def cleanup(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
