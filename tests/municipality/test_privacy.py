"""`privacy`: who sees the answers, as the consent text says it (optional, kept as
written, a wrong list named with the reason, the examples as in the seeds), and the
consent promise that changes with the retention and that list."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.municipality import (
    load_municipality,
)
from tests.municipality.helpers import (
    EXAMPLE_FILES,
    VALID,
    changed,
    error_for,
    write,
)


def test_who_sees_is_optional_and_left_out_means_the_general_sentence(tmp_path: Path) -> None:
    assert load_municipality(write(tmp_path, VALID)).privacy.who_sees is None


def test_who_sees_is_kept_as_written_in_order_with_spaces_tidied(tmp_path: Path) -> None:
    text = changed(
        "retention_months = 12",
        'retention_months = 12\nwho_sees = ["je consulent inburgering",'
        ' "  VluchtelingenWerk,   bij de brede intake "]',
    )
    who = load_municipality(write(tmp_path, text)).privacy.who_sees
    assert who == ("je consulent inburgering", "VluchtelingenWerk, bij de brede intake")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param("[]", "an empty list would say that nobody sees the answers", id="empty"),
        pytest.param('"je consulent"', "should be a list like", id="not-a-list"),
        pytest.param('["je consulent", 3]', "item 2 should be text in quotes", id="not-text"),
        pytest.param('["je consulent", "  "]', "item 2 is empty", id="blank-item"),
        pytest.param('["je consulent", "je consulent"]', "item 2 appears twice", id="duplicate"),
        pytest.param(f'["{"x" * 121}"]', "item 1 is too long (at most 120", id="too-long"),
        pytest.param(
            "[" + ", ".join(f'"partner {n}"' for n in range(9)) + "]",
            "has too many items (at most 8)",
            id="too-many",
        ),
        pytest.param('["je consulent\\nen het team"]', "item 1 spans more lines", id="two-lines"),
    ],
)
def test_a_wrong_who_sees_list_is_named_with_the_reason(
    tmp_path: Path, value: str, reason: str
) -> None:
    text = changed("retention_months = 12", f"retention_months = 12\nwho_sees = {value}")
    path, message = error_for(tmp_path, text)
    line = next((line for line in message.splitlines() if ": privacy.who_sees: " in line), None)
    assert line is not None, message
    assert line.startswith(f"{path}: privacy.who_sees: ") and reason in line


def test_the_examples_say_who_sees_the_answers_as_in_the_seeds() -> None:
    """Noordwijk: VluchtelingenWerk joins the ISD's intake (seed 003); Rijswijk: the
    Werkgeversservicepunt and Inkomen (seed 000); every list names the consulent first
    and the administrators, who see every case. Gooise Meren keeps the general sentence."""
    who = {path.name: load_municipality(path).privacy.who_sees for path in EXAMPLE_FILES}
    noordwijk, rijswijk = who["noordwijk.example.toml"], who["rijswijk.example.toml"]
    assert noordwijk is not None and rijswijk is not None
    assert any("VluchtelingenWerk" in line and "brede intake" in line for line in noordwijk)
    assert any("Werkgeversservicepunt" in line for line in rijswijk)
    assert any("Inkomen" in line for line in rijswijk)
    assert who["gooise-meren.example.toml"] is None
    for name, lines in who.items():
        if lines is not None:
            assert "consulent" in lines[0] or "klantmanager" in lines[0], name
            assert any("beheerders" in line for line in lines), name


def test_the_consent_promise_changes_with_the_retention_and_the_who_sees_list(
    tmp_path: Path,
) -> None:
    def promise(text: str) -> str:
        return load_municipality(write(tmp_path, text)).privacy.promise

    plain = promise(VALID)
    assert plain == "r12"  # as before: a file without who_sees keeps its consent version
    listed = promise(changed("retention_months = 12", 'retention_months = 12\nwho_sees = ["a"]'))
    other = promise(changed("retention_months = 12", 'retention_months = 12\nwho_sees = ["b"]'))
    assert listed.startswith("r12-w") and len({plain, listed, other}) == 3
    assert promise(changed("retention_months = 12", "retention_months = 24")) == "r24"
