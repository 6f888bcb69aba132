"""The metrics that live in memory: counted where they happen, labelled without a
person."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import REGISTRY

from bot.core.metrics import LATE_AFTER, reminder_done
from tests.clock import Clock


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_reminder_sent_more_than_five_minutes_after_it_was_due_is_also_late() -> None:
    clock = Clock()
    due = clock()
    before = {o: value("wegwijs_reminders_total", outcome=o) for o in ("sent", "late", "failed")}
    reminder_done("sent", due, due + LATE_AFTER)
    reminder_done("sent", due, due + LATE_AFTER + timedelta(seconds=1))
    reminder_done("failed", due, due)
    after = {o: value("wegwijs_reminders_total", outcome=o) for o in before}
    assert {o: after[o] - before[o] for o in before} == {"sent": 2, "late": 1, "failed": 1}


def test_no_wegwijs_metric_has_a_label_that_could_name_a_person() -> None:
    """Every label of every Wegwijs metric is a kind, an outcome, a code or a step."""
    allowed = {"kind", "outcome", "method", "code", "step", "status"}
    for metric in REGISTRY.collect():
        if metric.name.startswith("wegwijs_"):
            for sample in metric.samples:
                assert set(sample.labels) <= allowed | {"le"}, metric.name
