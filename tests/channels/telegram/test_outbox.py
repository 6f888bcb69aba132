"""Sending within Telegram's limits, on a fake clock: nothing here really sleeps."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from bot.channels.telegram.outbox import Budget, Kind, Outbox

T = TypeVar("T")
FAKE_TOKEN = "123456789:AAFakeTokenForTestsOnly0123456789abc"


class FakeTime:
    """A clock that only moves when every send is waiting: then it jumps to the earliest
    wake-up. Concurrent sends work as on a real loop; nothing really sleeps."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.delays: list[float] = []
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        wake = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + seconds, next(self._order), wake))
        await wake

    async def run(self, *sends: Awaitable[T]) -> list[T]:
        """Run the sends concurrently to the end, moving the clock as they wait."""
        tasks = [asyncio.ensure_future(s) for s in sends]
        while not all(task.done() for task in tasks):
            for _ in range(20):  # let every runnable task run until it waits
                await asyncio.sleep(0)
            if all(task.done() for task in tasks):
                break
            while self._timers:
                at, _, wake = heapq.heappop(self._timers)
                if not wake.done():
                    self.now = max(self.now, at)
                    wake.set_result(None)
                    break
            else:
                raise AssertionError("the sends wait for something that never comes")
        return [task.result() for task in tasks]


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def make_outbox(fake: FakeTime, **kwargs: float) -> Outbox:
    return Outbox(sleep=fake.sleep, clock=fake, **kwargs)  # type: ignore[arg-type]


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


def transient(exc: BaseException) -> bool:
    return isinstance(exc, (ConnectionError, TimeoutError))


class Errors:
    retry_after = staticmethod(retry_after)
    permanent = staticmethod(permanent)
    transient = staticmethod(transient)


def sending(
    outbox: Outbox,
    chat: int,
    call: Callable,
    what: str = "sendMessage",
    kind: Kind = Kind.MESSAGE,
    since: float | None = None,
) -> Awaitable:
    return outbox.send(chat, call, Errors(), what, kind, since)


async def send(
    outbox: Outbox, chat: int, call: Callable, what: str = "sendMessage", kind: Kind = Kind.MESSAGE
):
    """One send on its own, the fake clock moving while it waits."""
    clock = outbox.clock
    assert isinstance(clock, FakeTime)
    [result] = await clock.run(sending(outbox, chat, call, what, kind))
    return result


def test_a_budget_allows_its_burst_then_books_the_next_moments() -> None:
    budget = Budget(rate=2.0, burst=3.0)
    assert [budget.reserve(10.0) for _ in range(5)] == [10.0, 10.0, 10.0, 10.5, 11.0]
    assert budget.reserve(11.0) == 11.5


def test_a_budget_refills_only_up_to_its_burst() -> None:
    budget = Budget(rate=1.0, burst=3.0)
    budget.reserve(0.0)
    assert [budget.reserve(3_600.0) for _ in range(4)] == [3_600.0] * 3 + [3_601.0]


def test_a_paused_budget_books_nothing_before_the_pause_ends() -> None:
    budget = Budget(rate=1.0, burst=3.0, paused_until=15.0)
    assert budget.free_at(10.0) == 15.0
    assert budget.reserve(10.0) == 15.0


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


async def test_the_bot_api_away_is_retried_with_growing_backoff_until_it_goes(
    fake: FakeTime,
) -> None:
    errors = [ConnectionError("reset") for _ in range(7)]
    outbox, call = make_outbox(fake, attempts=2), Calls(fake, *errors)
    outbox.jitter = lambda: 1.0
    assert await send(outbox, 42, call) == "sent"  # far more tries than `attempts`
    assert len(call.times) == 8
    assert fake.delays == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0]  # capped at backoff_cap


async def test_the_backoff_has_jitter_so_chats_do_not_retry_in_step(fake: FakeTime) -> None:
    outbox = make_outbox(fake)
    draws = iter([0.0, 1.0, 0.5])
    outbox.jitter = lambda: next(draws)
    call = Calls(fake, TimeoutError(), ConnectionError(), ConnectionError())
    assert await send(outbox, 42, call) == "sent"
    assert fake.delays == [0.5, 2.0, 3.0]  # between half and all of 1, 2, 4 s


async def test_a_reply_is_given_up_once_its_update_is_too_old_and_the_chat_is_told(
    fake: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    secret = f"https://api.telegram.org/bot{FAKE_TOKEN}/sendMessage: Hallo Amal, uw antwoord"
    outbox = make_outbox(fake, give_up=30.0)
    outbox.jitter = lambda: 1.0
    lost: list[int] = []
    outbox.on_give_up = lost.append
    call = Calls(fake, *(ConnectionResetError(secret) for _ in range(20)))
    arrived = fake.now - 5.0  # the update came five seconds before its reply
    with caplog.at_level(logging.DEBUG):
        [result] = await fake.run(sending(outbox, 42, call, since=arrived))
    assert result is None
    assert fake.now - arrived <= 30.0  # not one retry past the limit
    assert fake.delays == [1.0, 2.0, 4.0, 8.0, 10.0]  # a further 10 s would end after it
    assert outbox.given_up == 1 and lost == [42]
    assert "sendMessage given up" in caplog.text and "ConnectionResetError" in caplog.text
    assert FAKE_TOKEN not in caplog.text and "Amal" not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


async def test_an_unknown_error_is_still_tried_only_a_few_times(fake: FakeTime) -> None:
    outbox, call = make_outbox(fake, attempts=3), Calls(fake, *(ValueError() for _ in range(5)))
    assert await send(outbox, 42, call) is None
    assert len(call.times) == 3 and fake.delays == [1.0, 2.0]


async def test_while_the_bot_api_is_away_all_requests_together_stay_slow(
    fake: FakeTime,
) -> None:
    outbox = make_outbox(fake, outage_rate=2.0, give_up=60.0)
    down_until = fake.now + 40.0
    calls: list[tuple[int, float]] = []

    def to(chat: int) -> Callable[[], Awaitable[str]]:
        async def call() -> str:
            calls.append((chat, fake.now))
            if fake.now < down_until:
                raise ConnectionResetError()
            return "sent"

        return call

    chats = range(1, 31)
    results = await fake.run(*(sending(outbox, chat, to(chat)) for chat in chats))
    assert results == ["sent"] * 30
    during = sorted(at for _, at in calls if at < down_until)
    first = during[len(chats) - 1] if len(during) >= len(chats) else during[0]
    probes = [at for at in during if at > first + 1.0]  # after the first burst of sends
    for start in range(int(first) + 1, int(down_until) - 1):  # every second: at most 2
        assert len([at for at in probes if start <= at < start + 1]) <= 2
    last = max(at for _, at in calls)
    assert last - down_until <= 3.0  # everyone through as soon as it is back, within limits


async def test_replies_of_one_chat_stay_in_order_through_an_outage(fake: FakeTime) -> None:
    outbox = make_outbox(fake, per_chat_rate=1.0)
    down_until = fake.now + 20.0
    went: list[str] = []

    def message(name: str) -> Callable[[], Awaitable[str]]:
        async def call() -> str:
            if fake.now < down_until:
                raise ConnectionResetError()
            went.append(name)
            return "sent"

        return call

    first = sending(outbox, 7, message("keyboard cleared"), "edit", Kind.EDIT)
    await fake.run(first, sending(outbox, 7, message("next question")))
    assert went == ["keyboard cleared", "next question"]


async def test_giving_up_after_repeated_429s_is_logged_as_a_failure(
    fake: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    outbox = make_outbox(fake, attempts=3)
    call = Calls(fake, *(TooManyRequests(1.0) for _ in range(3)))
    with caplog.at_level(logging.WARNING, logger="bot.channels.telegram.outbox"):
        assert await send(outbox, 42, call) is None
    assert any(record.levelno >= logging.ERROR for record in caplog.records)


# -- no chat waits for another ---------------------------------------------------------


class Recorder:
    """Calls to several chats, each recording (chat, moment); some fail first."""

    def __init__(self, fake: FakeTime) -> None:
        self.fake = fake
        self.times: list[tuple[object, float]] = []
        self.failures: dict[object, list[BaseException]] = {}

    def to(self, key: object) -> Callable[[], Awaitable[str]]:
        async def call() -> str:
            self.times.append((key, self.fake.now))
            if self.failures.get(key):
                raise self.failures[key].pop(0)
            return "sent"

        return call

    def of(self, key: object) -> list[float]:
        return [at for k, at in self.times if k == key]


async def test_a_chat_over_its_budget_does_not_delay_another_chat(fake: FakeTime) -> None:
    outbox, calls = make_outbox(fake), Recorder(fake)
    start = fake.now
    busy = [sending(outbox, 1, calls.to(1)) for _ in range(10)]
    await fake.run(*busy, sending(outbox, 2, calls.to(2)))
    assert calls.of(2) == [start]  # not after chat 1's ten seconds
    assert calls.of(1)[-1] - start == pytest.approx(7.0)  # 3 at once, then one a second


async def test_a_chat_that_used_its_burst_does_not_hold_up_chats_arriving_later(
    fake: FakeTime,
) -> None:
    outbox, calls = make_outbox(fake), Recorder(fake)
    start = fake.now

    async def later(chat: int) -> None:
        await fake.sleep(0.5)
        await sending(outbox, chat, calls.to(chat))

    await fake.run(
        *(sending(outbox, 1, calls.to(1)) for _ in range(6)), *(later(c) for c in (2, 3, 4))
    )
    assert [calls.of(c) for c in (2, 3, 4)] == [[start + 0.5]] * 3


async def test_one_chats_messages_go_in_the_order_they_were_given(fake: FakeTime) -> None:
    outbox, calls = make_outbox(fake), Recorder(fake)
    await fake.run(*(sending(outbox, 1, calls.to(n)) for n in range(8)))
    assert [key for key, _ in calls.times] == list(range(8))


async def test_callback_answers_wait_for_no_budget(fake: FakeTime) -> None:
    outbox, calls = make_outbox(fake, rate=5.0), Recorder(fake)
    start = fake.now
    messages = [sending(outbox, chat, calls.to("message")) for chat in range(20)]
    answers = [
        sending(outbox, 0, calls.to("callback"), "answerCallbackQuery", Kind.CALLBACK)
        for _ in range(50)
    ]
    await fake.run(*messages, *answers)
    assert calls.of("callback") == [start] * 50  # the overall rate is used up by messages
    assert calls.of("message")[-1] > start + 2


async def test_a_keyboard_edit_takes_from_its_chat_only_not_the_overall_rate(
    fake: FakeTime,
) -> None:
    outbox, calls = make_outbox(fake, rate=2.0), Recorder(fake)
    start = fake.now
    others = [sending(outbox, chat, calls.to("other")) for chat in range(100, 110)]
    edit = sending(outbox, 1, calls.to("edit"), "editMessageReplyMarkup", Kind.EDIT)
    await fake.run(*others, edit)
    assert calls.of("edit") == [start]
    # Its own chat's budget does count edits: 3 edits, then a message waits a second.
    await fake.run(
        *(sending(outbox, 7, calls.to("e7"), "edit", Kind.EDIT) for _ in range(3)),
        sending(outbox, 7, calls.to("m7")),
    )
    assert calls.of("m7")[0] - calls.of("e7")[0] == pytest.approx(1.0)


async def test_a_429_for_one_chat_delays_that_chat_only(fake: FakeTime) -> None:
    outbox, calls = make_outbox(fake), Recorder(fake)
    calls.failures[1] = [TooManyRequests(5.0)]
    start = fake.now

    async def later(chat: int, after: float) -> None:
        await fake.sleep(after)
        await sending(outbox, chat, calls.to(chat))

    await fake.run(sending(outbox, 1, calls.to(1)), later(2, 1.0), later(3, 2.0))
    assert calls.of(1) == [start, start + 5.0]
    assert calls.of(2) == [start + 1.0] and calls.of(3) == [start + 2.0]


async def test_a_global_429_delays_every_chat(fake: FakeTime) -> None:
    """Two chats limited at once: Telegram limits the bot, so a third chat waits too."""
    outbox, calls = make_outbox(fake), Recorder(fake)
    calls.failures[1] = [TooManyRequests(5.0)]
    calls.failures[2] = [TooManyRequests(5.0)]
    start = fake.now

    async def later(chat: int) -> None:
        await fake.sleep(1.0)
        await sending(outbox, chat, calls.to(chat))

    await fake.run(sending(outbox, 1, calls.to(1)), sending(outbox, 2, calls.to(2)), later(3))
    assert calls.of(3) == [pytest.approx(start + 5.0)]
    assert calls.of(1)[-1] == pytest.approx(start + 5.0)


async def test_a_429_on_a_callback_answer_delays_everything(fake: FakeTime) -> None:
    outbox, calls = make_outbox(fake), Recorder(fake)
    calls.failures["cb"] = [TooManyRequests(3.0)]
    start = fake.now

    async def later() -> None:
        await fake.sleep(0.5)
        await sending(outbox, 9, calls.to(9))

    await fake.run(
        sending(outbox, 0, calls.to("cb"), "answerCallbackQuery", Kind.CALLBACK), later()
    )
    assert calls.of("cb") == [start, start + 3.0]
    assert calls.of(9) == [start + 3.0]


async def test_closing_without_a_drain_ends_every_waiting_send_without_sending_it(
    fake: FakeTime,
) -> None:
    outbox, calls = make_outbox(fake, drain=0), Recorder(fake)

    async def close_soon() -> None:
        await fake.sleep(0.5)
        outbox.close()

    results = await fake.run(*(sending(outbox, 1, calls.to(1)) for _ in range(10)), close_soon())
    assert results[:10] == ["sent"] * 3 + [None] * 7  # the burst went; the rest did not
    assert len(calls.times) == 3
    assert await send(outbox, 2, calls.to(2)) is None  # and nothing goes after closing


async def test_closing_drains_what_can_go_within_the_drain_in_its_turn(fake: FakeTime) -> None:
    outbox, calls = make_outbox(fake, drain=5.0), Recorder(fake)
    start = fake.now

    async def close_soon() -> None:
        await fake.sleep(0.5)
        outbox.close()

    results = await fake.run(*(sending(outbox, 1, calls.to(1)) for _ in range(10)), close_soon())
    # The burst of three, then one a second until the drain ends 5.5 s in: the chat's
    # limit still holds, and the two that would go later end without going.
    assert results[:10] == ["sent"] * 8 + [None] * 2
    assert calls.of(1) == [start] * 3 + [start + s for s in (1.0, 2.0, 3.0, 4.0, 5.0)]


async def test_a_send_after_the_drain_does_not_go(fake: FakeTime) -> None:
    outbox, calls = make_outbox(fake, drain=2.0), Recorder(fake)
    outbox.close()
    assert await send(outbox, 1, calls.to(1)) == "sent"  # within the drain: it goes
    await fake.run(fake.sleep(3.0))
    assert await send(outbox, 2, calls.to(2)) is None
    assert calls.of(2) == []


async def test_drained_waits_for_the_sends_under_way(fake: FakeTime) -> None:
    outbox, calls = make_outbox(fake, drain=5.0), Recorder(fake)
    start = fake.now
    finished: list[float] = []

    async def close_and_wait() -> None:
        await fake.sleep(0.1)
        outbox.close()
        await outbox.drained()
        finished.append(fake.now)

    await fake.run(*(sending(outbox, 1, calls.to(1)) for _ in range(5)), close_and_wait())
    assert len(calls.of(1)) == 5
    assert finished == [start + 2.0]  # the fifth message, two seconds after the burst


async def test_a_refused_callback_answer_or_keyboard_edit_is_no_error(
    fake: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    """A redelivered button press is answered again and its keyboard edited again;
    Telegram refuses both, which loses nothing."""
    outbox = make_outbox(fake)
    refused = Forbidden("Bad Request: query is too old or query ID is invalid")
    with caplog.at_level(logging.INFO, logger="bot.channels.telegram.outbox"):
        answer = Calls(fake, refused)
        assert await send(outbox, 0, answer, "answerCallbackQuery", Kind.CALLBACK) is None
        edit = Calls(fake, Forbidden("Bad Request: message is not modified"))
        assert await send(outbox, 5, edit, "editMessageReplyMarkup", Kind.EDIT) is None
    assert len(answer.times) == len(edit.times) == 1  # not retried
    assert [r.levelno for r in caplog.records] == [logging.INFO, logging.INFO]
    assert "answerCallbackQuery refused" in caplog.text


async def test_a_send_with_a_shorter_limit_and_no_update_is_given_up_unreported(
    fake: FakeTime,
) -> None:
    outbox = make_outbox(fake, give_up=900.0)
    outbox.jitter = lambda: 1.0
    lost: list[int] = []
    outbox.on_give_up = lost.append
    call = Calls(fake, *(ConnectionResetError() for _ in range(50)))
    start = fake.now
    [result] = await fake.run(outbox.send(42, call, Errors(), "sendMessage", give_up=20.0))
    assert result is None and fake.now - start <= 20.0
    assert outbox.given_up == 1 and lost == []  # a reminder: it stays due, no chat to tell
