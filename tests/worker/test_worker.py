"""The reminder worker: what is due goes out once, in the person's language, with its
calendar file; failures are retried with backoff; nothing goes for cancelled or past
appointments; a dead worker's claim is taken over. Time is injected: nothing sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.core.appointments import AppointmentPlan, AppointmentService
from bot.municipality import load_municipality
from bot.worker import ReminderWorker
from flows.i18n import Rendered, Renderer, load_catalogs
from storage import (
    AccountRepository,
    CaseRepository,
    ConversationRepository,
    Database,
    ReminderRepository,
)
from tests.clock import NOW, Clock

AMS = ZoneInfo("Europe/Amsterdam")
MUNICIPALITY = load_municipality(
    Path(__file__).resolve().parents[2] / "municipalities" / "example.toml"
)
CHAT = 8_000_000_003


class FakeSender:
    """Records what was delivered; fails while `failing` is set."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Rendered]] = []
        self.failing = False

    async def deliver(self, chat_id: int, rendered: Rendered) -> bool:
        if self.failing:
            return False
        self.sent.append((chat_id, rendered))
        return True

    def texts(self) -> list[str]:
        return [r.text for _, r in self.sent if r.document is None]


@pytest.fixture
def sender() -> FakeSender:
    return FakeSender()


@pytest.fixture
def worker(db: Database, clock: Clock, sender: FakeSender) -> ReminderWorker:
    return ReminderWorker(db, Renderer({}), MUNICIPALITY, sender, name="w1", clock=clock)


@pytest.fixture
def planner(db: Database, clock: Clock) -> AppointmentService:
    return AppointmentService(db, MUNICIPALITY, clock)


async def person(db: Database, lang: str = "en", bilingual: bool = False) -> str:
    """A case bound to a Telegram chat, as after the invite link."""
    async with db.session() as session, session.begin():
        case = await CaseRepository(session).create(now=NOW, language=lang)
        accounts = AccountRepository(session)
        account = await accounts.get_or_create("telegram", CHAT, NOW)
        await accounts.bind(account, case.id, NOW)
        await accounts.set_language(account, lang, NOW)
        await ConversationRepository(session).save(
            account.id, {"lang": lang, "bilingual": bilingual}, NOW
        )
        return case.id


def brede_intake(start: datetime, **kw: object) -> AppointmentPlan:
    return AppointmentPlan(kind="brede_intake", starts_at=start, place="Stadhuisplein 1", **kw)


async def statuses(db: Database, appointment_id: int) -> list[tuple[str, str]]:
    async with db.session() as session:
        rows = await ReminderRepository(session).for_appointment(appointment_id)
    return [(r.purpose, r.status) for r in rows]


async def test_the_invitation_goes_out_once_with_its_calendar_file(db, worker, sender, planner):
    case_id = await person(db)
    item = await planner.plan(case_id, brede_intake(datetime(2026, 12, 15, 9, 0, tzinfo=UTC)))
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # sent once, never again
    (message, calendar) = sender.sent
    assert message[0] == CHAT and "You have a new appointment" in message[1].text
    assert [b.data for row in message[1].buttons for b in row][:2] == [
        f"p:{item.id}:y",
        f"p:{item.id}:n",
    ]
    assert calendar[1].document is not None
    assert calendar[1].document.filename.endswith(".ics")
    event = Calendar.from_ical(calendar[1].document.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2026, 12, 15, 9, 0, tzinfo=UTC)
    assert (await statuses(db, item.id))[0] == ("invitation", "sent")


async def test_reminders_go_when_due_and_not_before(db, worker, sender, planner, clock):
    case_id = await person(db)
    start = datetime(2026, 12, 15, 9, 0, tzinfo=UTC)
    item = await planner.plan(case_id, brede_intake(start))
    await worker.run_once()
    sender.sent.clear()
    clock.now = start - timedelta(days=7, minutes=1)
    assert await worker.run_once() == 0
    clock.now = start - timedelta(days=7)
    assert await worker.run_once() == 1
    assert "in 7 days" in sender.texts()[0]
    clock.now = start - timedelta(hours=2)  # the 1-day one was missed: both go now
    assert await worker.run_once() == 2
    assert ["tomorrow" in t or "today" in t for t in sender.texts()[1:]] == [True, True]
    assert {s for _, s in await statuses(db, item.id)} == {"sent"}


async def test_messages_are_in_the_persons_language_with_dutch_underneath(db, clock, planner):
    catalogs = Renderer(load_catalogs())
    sender = FakeSender()
    worker = ReminderWorker(db, catalogs, MUNICIPALITY, sender, name="w", clock=clock)
    case_id = await person(db, lang="ar", bilingual=True)
    await planner.plan(case_id, brede_intake(datetime(2026, 12, 15, 9, 0, tzinfo=UTC)))
    await worker.run_once()
    text = sender.texts()[0]
    assert any("\u0600" <= ch <= "\u06ff" for ch in text)  # Arabic
    assert "dinsdag 15 december 2026" in text  # and the Dutch underneath


async def test_nothing_is_sent_for_a_cancelled_or_past_appointment(
    db, worker, sender, planner, clock
):
    case_id = await person(db)
    start = datetime(2026, 12, 15, 9, 0, tzinfo=UTC)
    item = await planner.plan(case_id, brede_intake(start))
    await worker.run_once()
    await planner.cancel(item.id)
    sender.sent.clear()
    clock.now = start - timedelta(hours=1)
    await worker.run_once()
    (notice,) = sender.texts()
    assert notice.startswith("Your appointment is cancelled. You do not need to come:")
    assert sum(1 for _, r in sender.sent if r.document is not None) == 1  # the CANCEL .ics

    other = await planner.plan(case_id, brede_intake(start + timedelta(days=1)))
    clock.now = start + timedelta(days=2)  # the worker was down until after the talk
    sender.sent.clear()
    await worker.run_once()
    assert sender.sent == []
    assert {s for _, s in await statuses(db, other.id)} == {"cancelled"}


async def test_a_failed_send_is_retried_with_backoff(db, worker, sender, planner, clock):
    case_id = await person(db)
    item = await planner.plan(case_id, brede_intake(datetime(2026, 12, 15, 9, 0, tzinfo=UTC)))
    sender.failing = True
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # not before its retry time
    async with db.session() as session:
        row = (await ReminderRepository(session).for_appointment(item.id))[0]
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "SendFailed")
    assert row.available_at == NOW + timedelta(minutes=1)
    clock.now += timedelta(minutes=1)
    assert await worker.run_once() == 1  # tried again, still failing: 2 minutes next
    async with db.session() as session:
        row = (await ReminderRepository(session).for_appointment(item.id))[0]
    assert row.attempts == 2 and row.available_at == clock.now + timedelta(minutes=2)
    sender.failing = False
    clock.now += timedelta(minutes=2)
    assert await worker.run_once() == 1
    assert (await statuses(db, item.id))[0] == ("invitation", "sent")


async def test_a_send_that_keeps_failing_is_given_up_and_marked(db, worker, sender, planner, clock):
    case_id = await person(db)
    item = await planner.plan(case_id, brede_intake(datetime(2026, 12, 15, 9, 0, tzinfo=UTC)))
    sender.failing = True
    for _ in range(worker.max_attempts):
        await worker.run_once()
        clock.now += timedelta(hours=1)
    assert (await statuses(db, item.id))[0] == ("invitation", "failed")


async def test_a_case_without_a_chat_keeps_its_messages_until_one_is_linked(
    db, worker, sender, planner, clock
):
    async with db.session() as session, session.begin():
        case = await CaseRepository(session).create(now=NOW, language="en")
    item = await planner.plan(case.id, brede_intake(datetime(2026, 12, 15, 9, 0, tzinfo=UTC)))
    assert await worker.run_once() == 1
    assert sender.sent == []
    async with db.session() as session:
        row = (await ReminderRepository(session).for_appointment(item.id))[0]
    assert (row.status, row.attempts) == ("pending", 0)
    async with db.session() as session, session.begin():
        accounts = AccountRepository(session)
        account = await accounts.get_or_create("telegram", CHAT, NOW)
        await accounts.bind(account, case.id, NOW)
    clock.now += timedelta(minutes=30)
    await worker.run_once()
    assert "You have a new appointment" in sender.texts()[0]


async def test_a_dead_workers_claim_is_taken_over_when_its_lease_runs_out(
    db, clock, sender, planner
):
    case_id = await person(db)
    await planner.plan(case_id, brede_intake(datetime(2026, 12, 15, 9, 0, tzinfo=UTC)))
    dead = ReminderWorker(db, Renderer({}), MUNICIPALITY, sender, name="dead", clock=clock)
    alive = ReminderWorker(db, Renderer({}), MUNICIPALITY, sender, name="alive", clock=clock)
    async with db.session() as session, session.begin():
        claimed = await ReminderRepository(session).claim("dead", NOW, lease=dead.lease, limit=9)
    assert len(claimed) == 1  # ... and then it died before sending
    assert await alive.run_once() == 0  # the lease still holds
    clock.now += dead.lease
    assert await alive.run_once() == 1
    assert len(sender.texts()) == 1
    async with db.session() as session, session.begin():
        # The dead worker, back from the grave, cannot mark what is no longer its own.
        assert not await ReminderRepository(session).finish(claimed[0].id, "dead", "sent", NOW)


async def test_invitations_made_in_the_quiet_hours_wait_for_the_morning(
    db, worker, sender, planner, clock
):
    clock.now = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)  # 23:30 in Amsterdam
    case_id = await person(db)
    await planner.plan(case_id, brede_intake(datetime(2026, 12, 15, 9, 0, tzinfo=UTC)))
    assert await worker.run_once() == 0
    clock.now = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # 08:00
    assert await worker.run_once() == 1


async def test_maintenance_runs_now_and_then_and_a_failing_job_stops_nothing(
    db, clock, sender, planner
):
    ran: list[datetime] = []

    async def job(now: datetime) -> None:
        ran.append(now)
        raise RuntimeError("the purge broke")

    worker = ReminderWorker(
        db, Renderer({}), MUNICIPALITY, sender, name="m", clock=clock, maintenance=[job]
    )
    case_id = await person(db)
    await planner.plan(case_id, brede_intake(datetime(2026, 12, 15, 9, 0, tzinfo=UTC)))
    assert await worker.run_once() == 1  # sent despite the failing job
    clock.now += timedelta(minutes=5)
    await worker.run_once()
    clock.now += timedelta(hours=1)
    await worker.run_once()
    assert ran == [NOW, NOW + timedelta(minutes=65)]


async def many_due(db: Database, planner: AppointmentService, count: int) -> None:
    """`count` invitations due now, for one person."""
    case_id = await person(db)
    for n in range(count):
        start = datetime(2026, 12, 15, 9, 0, tzinfo=UTC) + timedelta(hours=n)
        await planner.plan(case_id, brede_intake(start))


async def test_workers_share_one_budget_for_the_channels_rate(db, clock, sender, planner):
    # Two workers at 10 a second together: at most a second's worth at once, then as
    # the budget refills — the channel's limit is per bot, not per worker.
    await many_due(db, planner, 30)
    one, two = (
        ReminderWorker(db, Renderer({}), MUNICIPALITY, sender, name=n, clock=clock, rate=10)
        for n in ("one", "two")
    )
    assert await one.run_once() + await two.run_once() == 10
    assert await two.run_once() == 0
    clock.now += timedelta(milliseconds=500)
    assert await two.run_once() + await one.run_once() == 5
    clock.now += timedelta(seconds=10)  # a long pause refills only up to the burst
    assert await one.run_once() == 10
    assert await two.run_once() == 0


async def test_budget_not_used_for_rows_not_due_is_given_back(db, clock, sender, planner):
    await many_due(db, planner, 3)
    worker = ReminderWorker(db, Renderer({}), MUNICIPALITY, sender, clock=clock, rate=10)
    assert await worker.run_once() == 3
    async with db.session() as session, session.begin():
        granted, wait = await ReminderRepository(session).spend(
            "telegram", clock.now, rate=10, burst=10, want=50
        )
    assert (granted, wait) == (7, 0.1)  # 10 − the 3 used; the next in a tenth of a second


async def test_a_slow_worker_keeps_only_the_rows_still_its_own(db, clock, sender, planner):
    await many_due(db, planner, 2)
    async with db.session() as session, session.begin():
        slow = await ReminderRepository(session).claim(
            "slow", clock.now, lease=timedelta(seconds=60), limit=9
        )
    clock.now += timedelta(seconds=61)  # it stalled past its lease; another took over
    async with db.session() as session, session.begin():
        fast = await ReminderRepository(session).claim(
            "fast", clock.now, lease=timedelta(seconds=60), limit=1
        )
    async with db.session() as session, session.begin():
        mine = await ReminderRepository(session).hold_many(
            [r.id for r in slow], "slow", clock.now + timedelta(seconds=60)
        )
    assert mine == {r.id for r in slow} - {fast[0].id}


async def test_opening_the_invite_link_sends_a_waiting_invitation_at_once(
    db, worker, sender, planner, clock
):
    from bot.core.service import Attach, Service
    from flows.engine import Context, Engine
    from flows.intake import INTAKE

    renderer = Renderer({})
    service = Service(db, Engine(INTAKE, Context("Voorbeeldstad"), renderer.text), renderer, clock)
    case = await service.create_case(language="en")
    await planner.plan(case.id, brede_intake(datetime(2026, 12, 15, 9, 0, tzinfo=UTC)))
    assert await worker.run_once() == 1  # no chat yet: it waits half an hour
    clock.now += timedelta(minutes=3)
    assert await worker.run_once() == 0
    assert await service.attach("telegram", CHAT, case.invite_code) is Attach.OK
    assert await worker.run_once() == 1  # the person opened the link: it goes now
    assert "You have a new appointment" in sender.texts()[0]
