"""The Grafana dashboard in deploy/ shows only metrics Wegwijs exports: a renamed metric
breaks this test, not a municipality's dashboard on the day it is needed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client import REGISTRY

import bot.core.metrics  # noqa: F401  (defines the metrics)

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "wegwijs.json"


def test_every_panel_queries_metrics_that_wegwijs_exports() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    families = list(REGISTRY.collect())
    exported = {sample.name for metric in families for sample in metric.samples}
    exported |= {
        metric.name + suffix for metric in families for suffix in ("", "_bucket", "_total")
    }
    used = set()
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            used |= set(re.findall(r"\bwegwijs_[a-z_]+", target["expr"]))
    assert used, "no Wegwijs metric on the dashboard"
    assert used <= exported, used - exported
    names = {name.removesuffix("_total").removesuffix("_bucket") for name in used}
    # The figures the issue asks a municipality to see.
    for needed in (
        "wegwijs_updates",
        "wegwijs_update_to_reply_seconds",
        "wegwijs_press_to_answer_seconds",
        "wegwijs_outbox_queued",
        "wegwijs_bot_api_errors",
        "wegwijs_bot_api_rate_limited",
        "wegwijs_reminders",
        "wegwijs_reminders_due",
        "wegwijs_web_chat_seconds",
        "wegwijs_dashboard_logins",
        "wegwijs_open_cases",
    ):
        assert needed in names, needed
