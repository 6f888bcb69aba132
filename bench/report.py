"""Benchmark results: one `Figure` per measured number, written as `bench/results.json`
and a Markdown table (`bench/results.md`, also pasted into the README)."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.processes import RAISED_RATES

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_JSON = BENCH_DIR / "results.json"
RESULTS_MD = BENCH_DIR / "results.md"
README = BENCH_DIR.parent / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# Measured at the defaults a deployment runs with, in the first table: Telegram's real
# limits, the statement counts, and the web chat as `wegwijs run` serves it.
HEADLINE = ("real_limits", "statements", "web_chat")


@dataclass
class Figure:
    """One number. `goal` is shown beside it; `met` is None for figures without a goal."""

    bench: str
    label: str
    value: float | int | str
    unit: str = ""
    goal: str | None = None
    met: bool | None = None
    note: str = ""


def machine() -> dict[str, str | int]:
    """What the figures were measured on: they mean little without it."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) // 1024} MB"
    except OSError:
        pass
    postgres = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        postgres = subprocess.run(
            ["psql", "--version"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count() or 0,
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        # Other work on the machine moves every figure: say how busy it was.
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "postgres_client": postgres,
    }


def _value(figure: Figure) -> str:
    value = figure.value
    if isinstance(value, float):
        text = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    return f"{text} {figure.unit}".strip()


def markdown(results: dict) -> str:
    """The table: machine, date, then one row per figure with its goal and whether met."""
    m = results["machine"]
    lines = [
        f"Measured {results['date']} on {m['cpu']}, {m['cores']} cores, {m['memory']}, "
        f"{m['os']}, Python {m['python']} ({results['seconds']:.0f} s for the whole run; "
        f"load average at the end {m.get('load_average', '?')}).",
    ]
    figures = [Figure(**f) for f in results["figures"]]
    raised = ", ".join(f"{name}={value}" for name, value in RAISED_RATES.items())
    tables = (
        ("As a municipality runs it: Telegram's real limits, the web chat as served (the "
         "headline):",
         [f for f in figures if f.bench in HEADLINE]),
        (f"Wegwijs itself: send limits raised ({raised}), "
         "engine and reminders:", [f for f in figures if f.bench not in HEADLINE]),
    )  # fmt: skip
    for title, rows in tables:
        if not rows:
            continue
        lines += [
            "",
            title,
            "",
            "| benchmark | figure | value | goal | met |",
            "|---|---|---|---|---|",
        ]
        for figure in rows:
            met = {True: "yes", False: "**no**", None: ""}[figure.met]
            label = f"{figure.label} ({figure.note})" if figure.note else figure.label
            lines.append(
                f"| {figure.bench} | {label} | {_value(figure)} | {figure.goal or ''} | {met} |"
            )
    return "\n".join(lines) + "\n"


def write(figures: list[Figure], seconds: float, errors: dict[str, str]) -> dict:
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "seconds": round(seconds, 1),
        "figures": [asdict(f) for f in figures],
        "errors": errors,
    }
    RESULTS_JSON.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    RESULTS_MD.write_text(markdown(results))
    return results


def update_readme(table: str, readme: Path = README) -> bool:
    """Put the table between the bench markers of the README's Performance section;
    False (and nothing written) when the markers are not there."""
    text = readme.read_text()
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        return False
    readme.write_text(f"{text[: start + len(START)]}\n{table}{text[end:]}")
    return True
