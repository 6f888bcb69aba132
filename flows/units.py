"""Numbers of weeks, months, years and hours said with their noun, in each language's
plural forms: the law's figures come from the municipality file, so a sentence cannot
know whether it says 1, 3 or 12 of them (Arabic has six forms, Tigrinya two). A sentence
takes the whole phrase as one parameter ("within {weeks}" → "binnen 10 weken")."""

from __future__ import annotations

from flows.model import NP_
from flows.replies import Msg

__all__ = ["HOURS", "MONTHS", "WEEKS", "YEARS", "hours", "months", "weeks", "years"]

WEEKS = NP_("{count} week", "{count} weeks")
MONTHS = NP_("{count} month", "{count} months")
YEARS = NP_("{count} year", "{count} years")
HOURS = NP_("{count} hour", "{count} hours")


def weeks(count: int) -> Msg:
    return Msg.count(WEEKS, count)


def months(count: int) -> Msg:
    return Msg.count(MONTHS, count)


def years(count: int) -> Msg:
    return Msg.count(YEARS, count)


def hours(count: int) -> Msg:
    return Msg.count(HOURS, count)
