"""`model`: the file as a whole answers each topic with the role it points to, and the
model itself refuses a topic without its role (not only the loader)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.municipality import (
    TOPICS,
    Municipality,
    load_municipality,
)
from tests.municipality.helpers import (
    VALID,
    write,
)


def test_a_topic_is_answered_by_the_role_it_points_to(tmp_path: Path) -> None:
    municipality = load_municipality(write(tmp_path, VALID))
    assert municipality.role_for("letter").organisation == "VluchtelingenWerk"
    assert municipality.role_for("exam") is municipality.role("consulent")
    with pytest.raises(KeyError):
        municipality.role("buurtteam")
    with pytest.raises(KeyError):
        municipality.role_for("weather")


def test_the_model_itself_refuses_a_topic_without_its_role() -> None:
    raw = {
        "municipality": {"name": "Teststad"},
        "roles": {"consulent": {"title": "c", "organisation": "o", "phone": "070 000 0000"}},
        "topics": dict.fromkeys(TOPICS, "consulent"),
        "privacy": {"retention_months": 12},
    }
    with pytest.raises(ValidationError, match=r"roles\.begeleider: required"):
        Municipality.model_validate(raw)
