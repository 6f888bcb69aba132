"""`wegwijs municipality check [FILE]`: exit code 0 and what the explainer shows for a
good file; exit code 1 with one line per problem, naming the file, the role and the
topic, for a file whose roles contradict its routing. Start-up refuses the same file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.app import StartupError, build
from bot.settings import Settings
from tests.cli.helpers import wegwijs
from tests.municipality.helpers import EXAMPLE_FILES
from tests.municipality.test_roles import CONTRADICTORY


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_every_example_file_passes(db_path: Path, path: Path) -> None:
    result = wegwijs("municipality", "check", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{path}: fine.")
    assert "the explainer shows consulent, begeleider" in result.output


def test_without_a_file_it_checks_the_configured_one(db_path: Path) -> None:
    noordwijk = next(p for p in EXAMPLE_FILES if p.name == "noordwijk.example.toml")
    result = wegwijs("municipality", "check", WEGWIJS_MUNICIPALITY=str(noordwijk))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{noordwijk}: fine. Noordwijk: 6 roles; the explainer shows consulent, begeleider, "
        "inkomen.\n"
    )


def test_a_contradictory_file_fails_naming_file_role_and_topic(db_path: Path) -> None:
    result = wegwijs("municipality", "check", str(CONTRADICTORY))
    assert result.exit_code == 1
    assert (
        f"{CONTRADICTORY}: roles.begeleider.helps_with.3: role 'begeleider' says it helps with "
        "topic 'children_school', but [topics] sends children_school to 'consulent'"
    ) in result.output
    assert f"{CONTRADICTORY}: roles.consulent.not_for.2:" in result.output
    assert f"wegwijs: {CONTRADICTORY}: 2 problem(s); Wegwijs would not start with it" in (
        result.output
    )


def test_a_missing_file_fails_clearly(db_path: Path, tmp_path: Path) -> None:
    result = wegwijs("municipality", "check", str(tmp_path / "nope.toml"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.toml'}: file not found" in result.output


def test_start_up_refuses_the_contradictory_file(db_path: Path) -> None:
    with pytest.raises(StartupError) as caught:
        build(Settings(municipality_file=CONTRADICTORY))
    assert f"{CONTRADICTORY}: roles.begeleider.helps_with.3: role 'begeleider'" in str(caught.value)


def test_a_command_that_starts_the_app_stops_on_the_contradictory_file(db_path: Path) -> None:
    result = wegwijs("case", "create", WEGWIJS_MUNICIPALITY=str(CONTRADICTORY))
    assert result.exit_code == 2
    assert "roles.consulent.not_for.2: role 'consulent' says it is not for topic" in result.output
