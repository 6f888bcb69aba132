"""The ceiling a machine's cores put on the scale-out ratio (bench/scale_out.py)."""

from __future__ import annotations

from bench.people import Result
from bench.scale_out import _why_not_scaled


def run(turns: int, bot: float, harness: float, postgres: float, machine: float) -> Result:
    return Result(turns, 10.0, [], 0, bot_cpu=bot, harness_cpu=harness,
                  postgres_cpu=postgres, machine_cpu=machine)  # fmt: skip


def test_the_ceiling_is_the_usable_cores_over_the_cpu_an_update_costs(monkeypatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    one = run(1000, bot=6.0, harness=3.0, postgres=1.0, machine=12.0)  # 10 ms an update
    three = run(1500, bot=12.0, harness=4.0, postgres=1.0, machine=20.0)  # other: 0.3 core
    why = _why_not_scaled(one, three, 1.5)
    assert "less 0.30 for the rest" in why
    assert "at most 170 updates a second, 1.70× one worker" in why


def test_a_met_goal_needs_no_reason() -> None:
    one = run(1000, bot=6.0, harness=3.0, postgres=1.0, machine=12.0)
    assert _why_not_scaled(one, one, 2.6) == ""
