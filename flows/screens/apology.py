"""What a person sees when the engine failed on their message (a bug): one kind sentence
instead of the step that failed; the service sends it, and the conversation goes on."""

from __future__ import annotations

from flows import texts as T
from flows.replies import Msg, Reply

__all__ = ["apology"]


def apology() -> Reply:
    return Reply((Msg.of(T.INTERNAL_ERROR),))
