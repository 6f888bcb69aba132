"""The municipality tests' shared files: the bundled examples, a small valid file that
each broken case changes in one place, and loading one to get its error."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.municipality import TOPICS, MunicipalityError, load_municipality

MUNICIPALITIES = Path(__file__).resolve().parents[2] / "municipalities"
EXAMPLE_FILES = sorted(MUNICIPALITIES.glob("*.toml"))

# A small valid file; each broken case below changes one thing in it.
VALID = "\n".join(
    [
        "[municipality]",
        'name = "Teststad"',
        "",
        "[roles.consulent]",
        'title = "consulent inburgering"',
        'organisation = "Gemeente Teststad"',
        'phone = "070 000 0000"',
        "",
        "[roles.begeleider]",
        'title = "maatschappelijk begeleider"',
        'organisation = "VluchtelingenWerk"',
        'email = "begeleiding@example.nl"',
        "",
        "[topics]",
        *(f'{topic} = "{"begeleider" if topic == "letter" else "consulent"}"' for topic in TOPICS),
        "",
        "[privacy]",
        "retention_months = 12",
        "",
    ]
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gemeente.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = write(tmp_path, text)
    with pytest.raises(MunicipalityError) as caught:
        load_municipality(path)
    return path, str(caught.value)


def changed(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)
