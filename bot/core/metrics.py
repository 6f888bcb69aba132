"""The Prometheus metrics of Wegwijs, defined once (`prometheus-client`), updated by the
edges and the worker in memory only: never a database statement on the path of an
answer. What needs the database (open cases, due reminders) is read by `refresh_figures`
in the metrics listener's own loop, every `REFRESH` seconds.

Labels carry kinds, outcomes, codes and page steps: never a chat, a case or a person.

Several processes on one machine each serve their own metrics on their own port
(`--metrics HOST:PORT`), one Prometheus target each: no shared multiprocess directory
to clean at every restart, and gauges (queue length) stay exact per process."""

from __future__ import annotations

from datetime import datetime, timedelta

from prometheus_client import Counter, Gauge, Histogram

from storage import Database
from storage.figures import open_cases_by_stage, reminders_due

__all__ = [
    "BOT_API_ERRORS",
    "BOT_API_RATE_LIMITED",
    "CASES",
    "LATE_AFTER",
    "LOGINS",
    "OUTBOX_QUEUED",
    "OUTBOX_WAIT",
    "PRESS_TO_ANSWER",
    "REFRESH",
    "REMINDERS",
    "REMINDERS_DUE",
    "UPDATES",
    "UPDATE_TO_REPLY",
    "WEB_CHAT_REQUESTS",
    "WEB_CHAT_SECONDS",
    "refresh_figures",
    "reminder_done",
]

REFRESH = 30.0  # seconds between two readings of the database figures
LATE_AFTER = timedelta(minutes=5)  # a reminder sent this long after it was due is late

# Latency buckets around the quality bars (100 ms a press, 3 s a group's next question).
_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

UPDATES = Counter(
    "wegwijs_updates", "Telegram updates handled, by kind and outcome.", ["kind", "outcome"]
)
UPDATE_TO_REPLY = Histogram(
    "wegwijs_update_to_reply_seconds",
    "From an update's arrival to its first reply accepted by the Bot API.",
    buckets=_FAST,
)
PRESS_TO_ANSWER = Histogram(
    "wegwijs_press_to_answer_seconds",
    "From a button press's arrival to its answerCallbackQuery accepted by the Bot API.",
    buckets=_FAST,
)
OUTBOX_QUEUED = Gauge(
    "wegwijs_outbox_queued", "Bot API calls waiting in the outbox or being sent now."
)
OUTBOX_WAIT = Histogram(
    "wegwijs_outbox_wait_seconds",
    "How long a Bot API call waited in the outbox (limits, 429 pauses) before it went.",
    buckets=_FAST,
)
BOT_API_ERRORS = Counter(
    "wegwijs_bot_api_errors",
    "Bot API calls that failed, by method and code (HTTP status, or network/timeout); "
    "429s are counted apart.",
    ["method", "code"],
)
BOT_API_RATE_LIMITED = Counter(
    "wegwijs_bot_api_rate_limited", "Bot API calls answered 429 (retried later).", ["method"]
)
REMINDERS = Counter(
    "wegwijs_reminders",
    "Reminder worker messages by outcome: sent, late (sent, but more than 5 minutes "
    "after they were due; also counted as sent), failed (a try that will be repeated or "
    "given up), cancelled.",
    ["outcome"],
)
REMINDERS_DUE = Gauge("wegwijs_reminders_due", "Pending reminder messages that are due now.")
WEB_CHAT_REQUESTS = Counter(
    "wegwijs_web_chat_requests", "Web chat requests by page step and status.", ["step", "status"]
)
WEB_CHAT_SECONDS = Histogram(
    "wegwijs_web_chat_seconds", "Web chat request latency by page step.", ["step"], buckets=_FAST
)
LOGINS = Counter(
    "wegwijs_dashboard_logins",
    "Dashboard login attempts by outcome: ok, failed (wrong name or password), locked "
    "(refused while the account or address is locked).",
    ["outcome"],
)
CASES = Gauge(
    "wegwijs_open_cases",
    "Open cases by status: invited (invite not used yet), in_progress, submitted.",
    ["status"],
)


def reminder_done(status: str, due_at: datetime, now: datetime) -> None:
    """Count one reminder row the worker finished (`sent`, `cancelled`) or gave back
    (`failed`)."""
    REMINDERS.labels(status).inc()
    if status == "sent" and now - due_at > LATE_AFTER:
        REMINDERS.labels("late").inc()


async def refresh_figures(db: Database, now: datetime) -> None:
    """Read the figures that live in the database (a read-only snapshot, off every
    person's path)."""
    async with db.session(readonly=True) as session:
        stages = await open_cases_by_stage(session)
        due = await reminders_due(session, now)
    for stage, count in stages.items():
        CASES.labels(stage).set(count)
    REMINDERS_DUE.set(due)
