"""The commands the conversation understands, with what /help says of each."""

from __future__ import annotations

from flows.model import N_

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("start, or continue where you stopped")),
    ("answers", N_("see and change your answers")),
    ("language", N_("choose your language, and Dutch underneath or not")),
    ("help", N_("how this works")),
)
