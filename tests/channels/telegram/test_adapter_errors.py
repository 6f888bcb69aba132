"""What each framework's errors mean to the outbox: the Bot API away (retried until it is
back) or Telegram's refusal (not retried); and PTB's outage logging without tracebacks."""

from __future__ import annotations

import json
import logging

import pytest
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramServerError,
)
from aiogram.methods import GetMe
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from bot.channels.telegram import aiogram_adapter, ptb_adapter


@pytest.mark.parametrize(
    ("exc", "away"),
    [
        (TelegramNetworkError(GetMe(), "ServerDisconnectedError"), True),
        (TelegramServerError(GetMe(), "Bad Gateway"), True),
        (ClientDecodeError("Failed to decode object", ValueError(), "<html>502"), True),
        (TelegramBadRequest(GetMe(), "message is not modified"), False),
    ],
)
def test_aiogram_errors_that_mean_the_bot_api_is_away(exc: Exception, away: bool) -> None:
    assert aiogram_adapter.transient(exc) is away


@pytest.mark.parametrize(
    ("exc", "away"),
    [
        (NetworkError("Bad Gateway"), True),
        (TimedOut(), True),
        (BadRequest("message is not modified"), False),
        (Forbidden("bot was blocked by the user"), False),
    ],
)
def test_ptb_errors_that_mean_the_bot_api_is_away(exc: Exception, away: bool) -> None:
    assert ptb_adapter.transient(exc) is away


def test_ptb_logs_an_outage_in_one_line_without_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("telegram.request.BaseRequest")
    quiet = ptb_adapter.QuietOutage()
    logger.addFilter(quiet)
    try:
        with caplog.at_level(logging.DEBUG, logger=logger.name):
            try:
                json.loads("<html>502 Bad Gateway</html>")
            except ValueError:
                logger.exception('Can not load invalid JSON data: "<html>502 Bad Gateway</html>"')
    finally:
        logger.removeFilter(quiet)
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "JSONDecodeError" in record.getMessage() and "<html>" not in record.getMessage()
