"""The web chat's page steps for Prometheus: counted by handler and status, timed; the
step never carries the path (an invite code may be in it)."""

from __future__ import annotations

from prometheus_client import REGISTRY

from tests.channels.web.conftest import WebChat


def requests(step: str, status: str) -> float:
    labels = {"step": step, "status": status}
    return REGISTRY.get_sample_value("wegwijs_web_chat_requests_total", labels) or 0.0


def timed(step: str) -> float:
    return REGISTRY.get_sample_value("wegwijs_web_chat_seconds_count", {"step": step}) or 0.0


async def test_each_page_step_is_counted_and_timed_by_its_handler(webchat: WebChat) -> None:
    case = await webchat.case()
    before = (requests("home", "200"), requests("enter_link", "303"), timed("enter_link"))
    browser = webchat.browser()
    await browser.open("/")
    await browser.enter(case.invite_code)
    await browser.client.get("/no-such-page")
    after = (requests("home", "200"), requests("enter_link", "303"), timed("enter_link"))
    # The link redirects to the chat page: home twice.
    assert [b - a for a, b in zip(before, after, strict=True)] == [2, 1, 1]
    assert requests("other", "404") >= 1
    code = case.invite_code.replace("-", "")
    exposition = "".join(
        f"{sample.labels}" for metric in REGISTRY.collect() for sample in metric.samples
    )
    assert code not in exposition
