"""Failures that become pages (handled in `bot.dashboard.web`)."""

from __future__ import annotations


class LoginRequired(Exception):
    """No valid session: to the login page."""


class NotFound(Exception):
    """404: also for a case of another consulent (whether it exists is not theirs to know)."""


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
