"""JSON logs: one object a line with the time, level, logger and event, and the ids of
the update and the case being handled."""

from __future__ import annotations

import io
import json
import logging

from bot.core.logs import IdsFilter, case_id_var, json_formatter, update_id_var


def test_a_json_line_carries_the_update_and_case_ids_being_handled() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(IdsFilter())
    log = logging.getLogger("wegwijs.test.logs")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("outside any update")
        update, case = update_id_var.set(41), case_id_var.set("c0ffee")
        try:
            log.warning("step failed: %s", "ValueError")
        finally:
            update_id_var.reset(update)
            case_id_var.reset(case)
    finally:
        log.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert set(first) == {"time", "level", "logger", "event"}
    assert first["time"].endswith("+00:00")
    assert second == {
        "time": second["time"],
        "level": "WARNING",
        "logger": "wegwijs.test.logs",
        "event": "step failed: ValueError",
        "update_id": 41,
        "case_id": "c0ffee",
    }
