"""The case record as the dashboard shows it, in Dutch: target group, registration, PIP
deadline, term, leerbaarheidstoets. The dates come from `bot.core.record` (the one
computation); this module only names things."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date

from bot.core.record import InvalidRecord, dates_for, pip_flag
from bot.municipality import Deadlines
from flows.record import leerbaarheidstoets_status
from storage import Appointment, Case

GROUP_NAMES = {
    "statushouder": "Statushouder",
    "nareiziger": "Nareiziger (gezinshereniging)",
    "gezinsmigrant": "Gezinsmigrant of overige migrant",
}

TOETS_NAMES = {
    "not_planned": "Nog niet gepland",
    "planned": "Gepland",
    "missed": "Niet gekomen",
    "done": "Gedaan",
}

PIP_FLAGS = {"past": "PIP-termijn verstreken", "near": "PIP-termijn nadert"}

# What a refused value means, for the consulent (`InvalidRecord.problem`).
PROBLEMS = {
    "not_a_date": "is geen datum (dd-mm-jjjj)",
    "future": "ligt in de toekomst",
    "before_law": "ligt vóór 1 januari 2022, toen de Wet inburgering 2021 begon",
    "unknown_group": "is geen bekende doelgroep",
    "pip_before_registration": "ligt vóór de inschrijving in de BRP",
}
FIELDS = {"group": "De doelgroep", "registered": "De datum van inschrijving", "pip": "De PIP-datum"}


def refusal(error: InvalidRecord) -> str:
    """The refusal in one Dutch sentence."""
    what = FIELDS.get(error.field, "Een veld")
    return f"{what} {PROBLEMS.get(error.problem, 'klopt niet')}. Er is niets opgeslagen."


def day(value: date | None) -> str:
    """'10 november 2026', or a dash."""
    return format_date(value, "d MMMM y", locale="nl") if value else "—"


@dataclass(frozen=True)
class RecordView:
    case: Case
    pip_deadline: date | None
    term_start: date | None
    term_end: date | None
    flag: str | None  # "past" | "near" | None
    toets: str | None = None  # leerbaarheidstoets status, on the sheet only

    @property
    def group_name(self) -> str:
        group = self.case.target_group
        return GROUP_NAMES.get(group, group) if group else "Onbekend"

    @property
    def flag_text(self) -> str | None:
        return PIP_FLAGS.get(self.flag) if self.flag else None

    @property
    def toets_name(self) -> str:
        return TOETS_NAMES.get(self.toets or "not_planned", "—")


def record_view(
    case: Case,
    deadlines: Deadlines,
    now: datetime,
    appointments: Iterable[Appointment] | None = None,
) -> RecordView:
    dates = dates_for(case, deadlines)
    toets = None
    if appointments is not None:
        toets = leerbaarheidstoets_status(
            [a.status for a in appointments if a.kind == "leerbaarheidstoets"]
        )
    return RecordView(
        case,
        dates.pip_deadline,
        dates.term_start,
        dates.term_end,
        pip_flag(case, deadlines, now),
        toets,
    )
