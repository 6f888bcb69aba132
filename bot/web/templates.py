"""The one Jinja2 setup of both web edges: every value escaped, a missing one an error
(never an empty spot on a page), and templates written indented without that
indentation reaching the HTML."""

from __future__ import annotations

from pathlib import Path

import jinja2


def environment(folder: Path) -> jinja2.Environment:
    """The templates in `folder`; each edge adds its own filters and globals."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
