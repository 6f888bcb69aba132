"""Catalog upkeep that pybabel does not do: English is the msgid language, so its catalog
simply repeats each msgid (and is then complete for the check)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill_english(path: Path) -> int:
    """Copy msgid to msgstr for every empty English entry; returns how many were filled."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string or ()):
                message.string = (message.id[0], message.id[1])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        if message.fuzzy:
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_output=True, omit_header=False)
    return filled


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "fill-english":
        print("usage: python -m bot.catalogs fill-english PATH", file=sys.stderr)
        return 2
    print(f"{fill_english(Path(argv[1]))} English entries filled")
    return 0
