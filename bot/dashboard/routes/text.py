"""Free text from a dashboard form, through the one cleaner (`bot.core.text`)."""

from __future__ import annotations

from starlette.datastructures import FormData

from bot.core.text import TextTooLong, clean_field
from bot.dashboard.refusals import Refused


def too_long(what: str, limit: int) -> str:
    return f"{what} is te lang: hoogstens {limit} tekens. Er is niets opgeslagen."


def cleaned(form: FormData, name: str, what: str, limit: int) -> str | None:
    """The field cleaned of control and bidi characters; 400 with a clear message when
    it is longer than `limit`."""
    value = form.get(name)
    try:
        return clean_field(value if isinstance(value, str) else None, field=name, limit=limit)
    except TextTooLong:
        raise Refused(400, too_long(what, limit)) from None
