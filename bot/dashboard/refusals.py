"""What a page handler raises when it will not show the page: no session (to the login
page), not found (also another consulent's case), or refused with a reason in Dutch.
`errors` turns each into its page."""

from __future__ import annotations


class LoginRequired(Exception):
    """No valid session: to the login page."""


class NotFound(Exception):
    """404: also for a case of another consulent (whether it exists is not theirs to know)."""


class Refused(Exception):
    """Not done, with the status and the reason to show (in Dutch)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
