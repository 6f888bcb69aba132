"""The layers a profile of the bot is summed into (bench/profile.py)."""

from __future__ import annotations

from pathlib import Path

from bench.profile import OTHER, RECEIVING, classify, layer_of, write_report

ROOT = (
    "<module> (wegwijs:6);run (bot/cli/run.py:70);"
    "BaseEventLoop.run_forever (asyncio/base_events.py:607)"
)


def stack(*frames: str) -> list[str]:
    return [*ROOT.split(";"), *frames]


def test_a_sample_belongs_to_its_innermost_layer() -> None:
    assert layer_of(
        stack(
            "Service.handle (bot/core/service.py:150)",
            "SnapshotRepository.load (storage/repositories/snapshots.py:140)",
            "Connection.execute (sqlalchemy/engine/base.py:1400)",
        )
    ).startswith("database")
    assert layer_of(
        stack("Service.handle (bot/core/service.py:175)", "Engine.step (flows/engine.py:90)")
    ).startswith("engine")
    assert layer_of(
        stack(
            "carry_out (bot/channels/telegram/runner.py:120)",
            "Outbox.send (bot/channels/telegram/outbox.py:80)",
            "Bot.__call__ (aiogram/client/bot.py:500)",
        )
    ).startswith("sending")


def test_library_code_counts_for_the_layer_that_called_it() -> None:
    assert layer_of(
        stack(
            "as_dict (bot/channels/telegram/aiogram_adapter.py:99)",
            "BaseModel.model_dump (pydantic/main.py:475)",
        )
    ).startswith("use cases")


def test_polling_is_receiving_even_through_the_http_client() -> None:
    frames = stack(
        "Dispatcher._polling (aiogram/dispatcher/dispatcher.py:400)",
        "Bot.__call__ (aiogram/client/bot.py:500)",
        "ClientSession._request (aiohttp/client.py:700)",
    )
    assert layer_of(frames) == RECEIVING


def test_the_event_loop_alone_is_other() -> None:
    assert layer_of(stack("EpollSelector.select (selectors.py:468)")) == OTHER


def test_shares_add_up_and_idle_executor_threads_are_left_out(tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text(
        ";".join(stack("Engine.step (flows/engine.py:90)"))
        + " 30\n"
        + ";".join(stack("Connection.execute (sqlalchemy/engine/base.py:1)"))
        + " 10\n"
        + "Thread.run (threading.py:982);_worker (concurrent/futures/thread.py:81) 50\n"
    )
    profile = classify(raw)
    assert profile.samples == 40
    assert abs(sum(profile.shares.values()) - 1) < 1e-9
    assert profile.summary().startswith("engine and content (flows/) 75%")


def test_the_report_lists_layers_and_functions(tmp_path: Path) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text(";".join(stack("Engine.step (flows/engine.py:90)")) + " 3\n 1\n")
    report = tmp_path / "report.txt"
    write_report(classify(raw), report, "a title")
    text = report.read_text()
    assert text.startswith("# a title")
    assert " 75.0%  engine and content (flows/)" in text
    assert " 75.0%  Engine.step (flows/engine.py)" in text
    assert "(no Python frame" in text
