"""How the long-running commands log: plain lines for a terminal, or one JSON object a
line (`WEGWIJS_LOG_FORMAT=json`, python-json-logger) for a log collector, with the time,
the level, the logger, the event and the ids of what was being handled (the Telegram
update id, the case id) — never a name, a code, an answer or a token: those are never
written into a log message in the first place (tests/e2e/test_log_privacy.py feeds a
whole intake through every channel and looks for them)."""

from __future__ import annotations

import logging
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

__all__ = ["FORMATS", "IdsFilter", "case_id_var", "configure_logging", "update_id_var"]

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Library loggers whose INFO is one line per request or update.
NOISY = ("httpx", "aiogram.event", "aiohttp.access", "uvicorn.access")

update_id_var: ContextVar[int | None] = ContextVar("wegwijs_update_id", default=None)
case_id_var: ContextVar[str | None] = ContextVar("wegwijs_case_id", default=None)


class IdsFilter(logging.Filter):
    """Adds the update id and the case id being handled (when there is one) to a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        update_id, case_id = update_id_var.get(), case_id_var.get()
        if update_id is not None:
            record.update_id = update_id
        if case_id is not None:
            record.case_id = case_id
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger", "message": "event"},
        timestamp="time",  # ISO 8601, UTC
        json_ensure_ascii=False,
    )


def configure_logging(fmt: str = "text", level: int = logging.INFO) -> None:
    """One handler on the root logger, in `fmt` ("text" or "json")."""
    handler = logging.StreamHandler()
    handler.setFormatter(json_formatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(IdsFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
