"""Sentences the municipality file shows a person, in every language.

A municipality names who sees the answers (`[privacy] who_sees`) and what to bring to an
appointment (`[appointments.<kind>] bring`). Each item is either a standard one, by its
code, whose text is here and translated like every other text, or the file's own, given
in all four languages: never one Dutch line in an Arabic or Tigrinya text. Role titles
and organisations inside a standard line are Dutch names, shown as written.
"""

from __future__ import annotations

from flows.model import N_

__all__ = ["BRING", "WHO_SEES", "WHO_SEES_ROLE"]

# Who sees the answers: a role of the file ("your klantmanager inburgering at ISD
# Bollenstreek", from the role's title and organisation), or one of these.
WHO_SEES_ROLE = N_("your {title} at {organisation}")
WHO_SEES = {
    # The dashboard's administrators see every case (bot.dashboard: admins see all).
    "admins": N_("the administrators of Wegwijs at {municipality}"),
}

# What to bring, the usual things (seeds 000, 001, 003: documents, diplomas, the
# timetable of lessons and participation).
BRING = {
    "residence_document": N_("your residence document"),
    "diplomas": N_("your diplomas and certificates (if you have them)"),
    "phone": N_("your phone"),
    "glasses": N_("your glasses (if you use them)"),
    "diary": N_("your diary"),
    "letters": N_("letters you do not understand"),
    "bank_card": N_("your bank card"),
    "cv": N_("your CV (if you have one)"),
    "lesson_results": N_("your folder with lesson results"),
    "lesson_timetable": N_("your timetable of the language school"),
}
