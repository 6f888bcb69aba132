"""The dashboard's login figures for Prometheus: failures and locks, by outcome."""

from __future__ import annotations

from prometheus_client import REGISTRY

from tests.dashboard.conftest import Dashboard, try_login


def logins(outcome: str) -> float:
    return REGISTRY.get_sample_value("wegwijs_dashboard_logins_total", {"outcome": outcome}) or 0.0


async def test_wrong_passwords_count_as_failures_then_as_locks(dashboard: Dashboard) -> None:
    await dashboard.add_user("anna")
    await dashboard.add_user("bram")
    before = {outcome: logins(outcome) for outcome in ("ok", "failed", "locked")}
    client = dashboard.client()
    statuses = [(await try_login(client, "anna", "wrong horse")).status_code for _ in range(7)]
    await dashboard.login("bram")
    after = {outcome: logins(outcome) for outcome in before}
    assert after["failed"] - before["failed"] == statuses.count(401) >= 4
    assert after["locked"] - before["locked"] == statuses.count(429) >= 1
    assert after["ok"] - before["ok"] == 1
