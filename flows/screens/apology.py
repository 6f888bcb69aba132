"""What a person sees in place of a step the service will not keep: one kind sentence
instead of the step that failed (a bug in the engine), or instead of answers to a case
that is closed. The service sends it, and the conversation goes on where it was."""

from __future__ import annotations

from flows import texts as T
from flows.replies import Msg, Reply

__all__ = ["apology", "case_closed"]


def apology() -> Reply:
    return Reply((Msg.of(T.INTERNAL_ERROR),))


def case_closed() -> Reply:
    return Reply((Msg.of(T.CASE_CLOSED),))
