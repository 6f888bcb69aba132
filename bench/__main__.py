"""`python -m bench [NAME …] [--quick]` (or `make bench`): run the benchmarks, write
bench/results.json and bench/results.md, and print the table.

Adding a benchmark takes one line in BENCHMARKS below: the name of a module in this
package that has

    NAME: str                                      # its name in the table
    async def run(bench: Bench) -> list[Figure]    # measure; return the figures

`bench.common.Bench` gives it a scratch directory (`bench.workdir`), whether PostgreSQL
is reachable (`bench.postgres`; PostgreSQL databases are created and dropped with
`bench.databases.database`), `bench.quick` for a short smoke run, and `bench.log` for
progress lines. A `bench.report.Figure` is one number with its unit, its goal as text
(e.g. "≥ 0.5") and `met`; figures without a goal leave both None. Helpers for bots as
subprocesses (`bench.processes`), bulk seeding (`bench.databases`) and simulated people
(`bench.people`) have modules of their own.

A benchmark that raises is reported in results.json under "errors" and the others still
run; the exit status is then 1. A complete run without errors (no names, no --quick) also
puts the table into README.md, between the bench markers of "Performance". Numbers live
here and never in timed unit tests.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.common import Bench
from bench.databases import postgres_reachable
from bench.report import RESULTS_JSON, RESULTS_MD, Figure, markdown, update_readme, write

BENCHMARKS = [
    "bench.real_limits",  # the headline: Telegram's real limits, as a municipality runs it
    "bench.statements",
    "bench.engine_speed",
    "bench.throughput",  # also the peak-RSS ("memory") figure of the 100,000-case run
    "bench.scale_out",
    "bench.reminders",
    "bench.web_chat",  # a page step of the web chat without JavaScript
]


async def main(names: list[str], quick: bool) -> int:
    started = time.monotonic()
    postgres = await postgres_reachable()
    if not postgres:
        print("PostgreSQL at 127.0.0.1:5432 is not reachable: its figures are skipped.")
    figures: list[Figure] = []
    errors: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="wegwijs-bench-") as scratch:
        for module_name in BENCHMARKS:
            module = importlib.import_module(module_name)
            if names and module.NAME not in names:
                continue
            workdir = Path(scratch) / module.NAME
            workdir.mkdir()
            print(f"{module.NAME} …", flush=True)
            begun = time.monotonic()
            try:
                figures += await module.run(Bench(workdir, postgres, quick, _log))
            except Exception:
                errors[module.NAME] = traceback.format_exc()
                print(errors[module.NAME], file=sys.stderr)
            print(f"{module.NAME}: {time.monotonic() - begun:.0f} s", flush=True)
    results = write(figures, time.monotonic() - started, errors)
    table = markdown(results)
    print()
    print(table)
    print(f"written: {RESULTS_JSON} and {RESULTS_MD}")
    if not names and not quick and not errors and update_readme(table):
        print("README.md: the Performance table is updated")
    return 1 if errors else 0


def _log(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="only these benchmarks (by NAME)")
    parser.add_argument("--quick", action="store_true", help="short phases: a smoke run")
    arguments = parser.parse_args()
    sys.exit(asyncio.run(main(arguments.names, arguments.quick)))
