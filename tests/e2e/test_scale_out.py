"""Three `wegwijs run --webhook` workers on one PostgreSQL, updates round-robin over them
(see bench/scale_out.py): no answer lost, none doubled, all in order — also when two
updates of one chat, or one update twice, reach two workers at the same moment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.databases import postgres_reachable
from bench.scale_out import check_scale_out, expected_answers


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture
async def postgres() -> None:
    """Like tests/conftest.py: skip without PostgreSQL, except under CI, where it fails."""
    if not await postgres_reachable():
        message = "PostgreSQL at 127.0.0.1:5432 is not reachable"
        if _in_ci():
            pytest.fail(f"{message} (CI is set, so this is an error, not a skip)", pytrace=False)
        pytest.skip(message)


def test_the_expected_answers_follow_the_flow() -> None:
    """The oracle itself: the first "1" only brings up the first question."""
    assert expected_answers(1, "en") == []
    assert expected_answers(3, "en") == ["language.spoken", "language.interpreter"]


async def test_three_workers_keep_every_conversation_correct(
    postgres: None, tmp_path: Path
) -> None:
    outcome = await check_scale_out(tmp_path, people=20, seconds=4, warmup=0.5, concurrent_chats=6)
    assert outcome.problems == []
    # A person who reaches the review is followed by the next one (bench.people.People),
    # so a fast run checks more chats than it starts with.
    assert outcome.checked_chats >= 20 and outcome.concurrent_checked == 6
    # Every person got through several questions, so order was really tested.
    assert outcome.result.turns >= 20 * 3
