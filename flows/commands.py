"""The commands the conversation understands, with what /help says of each."""

from __future__ import annotations

from flows.model import N_

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("start, or continue where you stopped")),
    ("answers", N_("see and change your answers")),
    ("language", N_("choose your language, and Dutch underneath or not")),
    ("mydata", N_("see everything stored about you")),
    ("delete", N_("erase everything stored about you")),
    ("person", N_("ask to talk to a person")),
    ("roles", N_("who helps you with what")),
    ("appointments", N_("your appointments")),
    ("route", N_("your inburgering, step by step")),
    ("help", N_("how this works")),
)
