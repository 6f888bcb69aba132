"""Sending within Telegram's limits, on a fake clock: nothing here really sleeps."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import pytest

import bot.channels.telegram.outbox as outbox_module
from bot.channels.telegram.outbox import Bucket, Outbox

FAKE_TOKEN = "123456789:AAFakeTokenForTestsOnly0123456789abc"


class FakeTime:
    """A clock that only moves when the outbox sleeps; every delay is recorded."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.delays: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.now += seconds


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """Every Bucket the outbox makes (global and per chat) runs on the fake clock.

    Patching `time.monotonic` would not do: Bucket's default clock was bound when the
    class was defined."""
    clock = FakeTime()
    monkeypatch.setattr(outbox_module, "Bucket", functools.partial(Bucket, clock=clock))
    return clock


def make_outbox(fake: FakeTime, **kwargs: float) -> Outbox:
    return Outbox(sleep=fake.sleep, **kwargs)  # type: ignore[arg-type]


class Calls:
    """A Telegram call that fails with the given exceptions first, then succeeds."""

    def __init__(self, fake: FakeTime, *failures: BaseException) -> None:
        self.fake, self.failures = fake, list(failures)
        self.times: list[float] = []

    async def __call__(self) -> str:
        self.times.append(self.fake.now)
        if self.failures:
            raise self.failures.pop(0)
        return "sent"


class TooManyRequests(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"Too Many Requests: retry after {retry_after}")
        self.retry_after = retry_after


class Forbidden(Exception):
    """The person blocked the bot: retrying cannot help."""


def retry_after(exc: BaseException) -> float | None:
    return exc.retry_after if isinstance(exc, TooManyRequests) else None


def permanent(exc: BaseException) -> bool:
    return isinstance(exc, Forbidden)


async def send(outbox: Outbox, chat: int, call: Callable, what: str = "sendMessage"):
    return await outbox.send(chat, call, retry_after, permanent, what)


def test_a_bucket_allows_its_burst_then_asks_to_wait() -> None:
    clock = FakeTime()
    bucket = Bucket(rate=2.0, burst=3.0, clock=clock)
    assert [bucket.wait_time() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.wait_time() == pytest.approx(0.5)
    clock.now += 0.5
    assert bucket.wait_time() == 0.0


def test_a_bucket_refills_only_up_to_its_burst() -> None:
    clock = FakeTime()
    bucket = Bucket(rate=1.0, burst=3.0, clock=clock)
    bucket.wait_time()
    clock.now += 3_600
    assert [bucket.wait_time() for _ in range(4)] == [0.0, 0.0, 0.0, pytest.approx(1.0)]


async def test_sends_to_one_chat_are_a_second_apart_after_a_burst_of_three(
    fake: FakeTime,
) -> None:
    outbox, call = make_outbox(fake), Calls(fake)
    for _ in range(30):
        assert await send(outbox, 42, call) == "sent"
    start = call.times[0]
    assert call.times[:3] == [start, start, start]
    gaps = [b - a for a, b in zip(call.times[2:], call.times[3:], strict=False)]
    assert len(gaps) == 27
    assert all(gap == pytest.approx(1.0) for gap in gaps)
    assert call.times[-1] - start == pytest.approx(27.0)


@pytest.mark.parametrize(
    "rate",
    [
        pytest.param(32.0, id="rate-32"),  # 1/32 s is exact in binary: no rounding
        pytest.param(
            25.0,
            id="rate-25",
        ),
    ],
)
async def test_sends_to_different_chats_are_limited_only_by_the_global_rate(
    fake: FakeTime, rate: float
) -> None:
    outbox, call = make_outbox(fake, rate=rate), Calls(fake)
    burst = int(rate)
    for chat in range(100):
        await send(outbox, chat, call)
    start = call.times[0]
    assert call.times[:burst] == [start] * burst  # the global burst
    gaps = [b - a for a, b in zip(call.times[burst - 1 :], call.times[burst:], strict=False)]
    assert all(gap == pytest.approx(1 / rate) for gap in gaps)
    assert call.times[-1] - start == pytest.approx((100 - burst) / rate)


async def test_several_chats_each_get_their_own_burst(fake: FakeTime) -> None:
    outbox, call = make_outbox(fake), Calls(fake)
    for _ in range(3):
        for chat in (1, 2, 3):
            await send(outbox, chat, call)
    assert fake.delays == []


async def test_waiting_for_the_global_rate_does_not_use_up_a_chats_burst(
    fake: FakeTime,
) -> None:
    outbox, call = make_outbox(fake, rate=32.0), Calls(fake)  # exact floats: see above
    for chat in range(100, 132):  # the global burst is used up by others
        await send(outbox, chat, call)
    start = fake.now
    for _ in range(3):  # within chat 1's burst: only the global rate applies
        await send(outbox, 1, call)
    assert fake.now - start == pytest.approx(3 / 32)  # actual: 2.0 s


async def test_a_429_waits_as_long_as_telegram_asks_then_succeeds(fake: FakeTime) -> None:
    outbox, call = make_outbox(fake), Calls(fake, TooManyRequests(2.0))
    assert await send(outbox, 42, call) == "sent"
    assert fake.delays == [2.0]
    assert call.times[1] - call.times[0] == pytest.approx(2.0)


async def test_a_permanent_error_is_not_retried(
    fake: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    outbox, call = make_outbox(fake), Calls(fake, Forbidden("bot was blocked by the user"))
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.outbox"):
        assert await send(outbox, 42, call) is None
    assert len(call.times) == 1 and fake.delays == []
    assert "Forbidden" in caplog.text


async def test_a_transient_error_is_retried_with_growing_backoff_then_given_up(
    fake: FakeTime,
) -> None:
    errors = [ConnectionError("reset") for _ in range(10)]
    outbox, call = make_outbox(fake, attempts=5), Calls(fake, *errors)
    assert await send(outbox, 42, call) is None
    assert len(call.times) == 5
    assert fake.delays == [1.0, 2.0, 4.0, 8.0]


async def test_a_transient_error_then_success_returns_the_result(fake: FakeTime) -> None:
    outbox, call = make_outbox(fake), Calls(fake, TimeoutError(), ConnectionError())
    assert await send(outbox, 42, call) == "sent"
    assert fake.delays == [1.0, 2.0]


async def test_the_backoff_is_capped_at_thirty_seconds(fake: FakeTime) -> None:
    errors = [ConnectionError() for _ in range(10)]
    outbox, call = make_outbox(fake, attempts=9), Calls(fake, *errors)
    assert await send(outbox, 42, call) is None
    assert fake.delays == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


async def test_a_failure_is_logged_by_type_never_by_message(
    fake: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    secret = f"https://api.telegram.org/bot{FAKE_TOKEN}/sendMessage: Hallo Amal, uw antwoord"
    errors = [ConnectionResetError(secret) for _ in range(3)]
    outbox, call = make_outbox(fake, attempts=3), Calls(fake, *errors)
    with caplog.at_level(logging.DEBUG):
        assert await send(outbox, 42, call, "sendMessage") is None
    assert "ConnectionResetError" in caplog.text
    assert "sendMessage failed" in caplog.text
    assert FAKE_TOKEN not in caplog.text and "Amal" not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


async def test_giving_up_after_repeated_429s_is_logged_as_a_failure(
    fake: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    outbox = make_outbox(fake, attempts=3)
    call = Calls(fake, *(TooManyRequests(1.0) for _ in range(3)))
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.outbox"):
        assert await send(outbox, 42, call) is None
    assert any(record.levelno >= logging.ERROR for record in caplog.records)
