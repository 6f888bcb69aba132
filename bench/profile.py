"""Where a running bot's CPU goes, by layer: the profile behind a goal not met.

py-spy samples the bot's Python stacks from outside (no change to the bot, little
slowdown at 100 samples a second). A sample taken while polling Telegram for updates is
"receiving"; any other is put in the layer of its innermost frame that belongs to one
(library code, say pydantic or json, counts for the layer that called it). SQLAlchemy
runs statements in greenlets, whose stacks start at SQLAlchemy: they count as the
database, like the statements a use case awaits. `write_report` keeps the layers and
the functions that took most of the samples, by their own time and with what they call,
next to the results (bench/profiles/); py-spy's raw stacks stay in the scratch directory.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PY_SPY = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
RATE = 100  # samples a second
PROFILES = Path(__file__).parent / "profiles"  # the reports kept with the results

RECEIVING = "receiving (getUpdates, aiogram's dispatcher)"
POLLING = ("Dispatcher._polling", "Dispatcher._listen_updates")
# (layer, fragments of a frame's file, with a "/" in front); the innermost frame that
# matches one decides. The start-up chain (CLI, asyncio) belongs to no layer.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("database (SQLAlchemy, driver, storage/)", ("/sqlalchemy/", "/storage/", "/asyncpg/",
                                                 "/aiosqlite/", "/sqlite3/")),
    ("engine and content (flows/)", ("/flows/",)),
    ("sending (outbox, aiogram's Bot call, HTTP client)", ("/outbox.py", "/aiogram/client/",
                                                          "/aiohttp/", "/yarl/",
                                                          "/multidict/")),
    (RECEIVING, ("/aiogram/",)),
    ("use cases and channel (bot/)", ("/bot/core/", "/bot/channels/", "/bot/worker")),
)  # fmt: skip
# An executor thread waiting for work, which py-spy does not always see as idle.
IDLE = ("_worker (concurrent/futures/thread.py:81)",)
OTHER = "other (event loop, garbage collection, logging)"


@dataclass
class Profile:
    shares: dict[str, float]  # layer: share of the samples
    samples: int
    path: Path  # py-spy's raw stacks

    def summary(self) -> str:
        top = sorted(self.shares.items(), key=lambda item: -item[1])
        return "; ".join(f"{layer} {share:.0%}" for layer, share in top if share >= 0.005)


async def record(pid: int, seconds: float, path: Path) -> Profile | None:
    """Sample process `pid` for `seconds`; None when py-spy cannot (not installed, or
    not allowed to read another process here)."""
    if PY_SPY is None:
        return None
    proc = await asyncio.create_subprocess_exec(
        PY_SPY, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))),
        "--rate", str(RATE), "--format", "raw", "--output", str(path), "--nonblocking",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await proc.communicate()
    if proc.returncode != 0 or not path.exists():
        sys.stderr.write(f"py-spy could not profile pid {pid}: {err.decode()[-300:]}\n")
        return None
    return classify(path)


def classify(path: Path) -> Profile:
    counts: Counter[str] = Counter()
    for frames, count in _samples(path):
        counts[layer_of(frames)] += count
    total = sum(counts.values()) or 1
    return Profile({layer: n / total for layer, n in counts.items()}, total, path)


def write_report(profile: Profile, path: Path, title: str, top: int = 40) -> None:
    """The layers, then the `top` functions by their own samples and by their samples
    with what they call (each counted once a sample), as shares of all samples."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for frames, count in _samples(profile.path):
        functions = [_function(frame) for frame in frames]
        own[functions[-1]] += count
        for function in set(functions):
            total[function] += count
    lines = [f"# {title}", "", f"py-spy, {RATE} samples a second, {profile.samples} samples.", ""]
    lines += [f"{share:6.1%}  {layer}" for layer, share in
              sorted(profile.shares.items(), key=lambda item: -item[1])]  # fmt: skip
    for heading, counts in (("own time", own), ("with what it calls", total)):
        lines += ["", f"## Functions by {heading}", ""]
        lines += [f"{n / profile.samples:6.1%}  {function}" for function, n in
                  counts.most_common(top)]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def _samples(path: Path) -> list[tuple[list[str], int]]:
    found = []
    for line in path.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        frames = stack.split(";")
        if number.isdigit() and not frames[-1].startswith(IDLE):
            found.append((frames, int(number)))
    return found


def _function(frame: str) -> str:
    """`name (file:line)` without the line: one entry per function."""
    if not frame.strip():
        return "(no Python frame: C code, garbage collection)"
    name, _, where = frame.rpartition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else frame


def layer_of(frames: list[str]) -> str:
    """The layer of one sample; `frames` from the outermost to the innermost."""
    if any(frame.startswith(POLLING) for frame in frames):
        return RECEIVING
    for frame in reversed(frames):
        file = "/" + frame.rpartition(" (")[2]
        for layer, fragments in LAYERS:
            if any(fragment in file for fragment in fragments):
                return layer
    return OTHER
