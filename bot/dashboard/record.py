"""The case record as the dashboard shows it, in Dutch: target group, registration, PIP
deadline and date, term, the outcome of the brede intake (the leerbaarheidstoets, the
route and until when it can be switched, ontzorgen), and a signal when the person's
answers contradict the recorded target group. The dates come from `bot.core.dates` (the
one computation, as in `/route` and the export); this module only names things."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date

from bot.core.dates import Figures, dates_for, ontzorgen_for, pip_flag
from bot.core.record import InvalidRecord
from flows.record import (
    WITHOUT_ONTZORGEN,
    CaseDates,
    Ontzorgen,
    group_mismatch,
    leerbaarheidstoets_status,
)
from flows.state import AnswerValue
from storage import Appointment, Case

GROUP_NAMES = {
    "statushouder": "Statushouder",
    "nareiziger": "Nareiziger (gezinshereniging)",
    "gezinsmigrant": "Gezinsmigrant of overige migrant",
}

ROUTE_NAMES = {"b1": "B1-route", "onderwijsroute": "Onderwijsroute", "z_route": "Z-route"}

TOETS_NAMES = {
    "not_planned": "Nog niet gepland",
    "planned": "Gepland",
    "missed": "Niet gekomen",
    "done": "Gedaan",
}

PIP_FLAGS = {"past": "PIP-termijn verstreken", "near": "PIP-termijn nadert"}

# The person's answer to "did you come later, by family reunification?" against the
# recorded target group (`flows.record.group_mismatch`).
MISMATCHES = {
    "said_nareiziger": "Antwoordde later gekomen te zijn via gezinshereniging (nareiziger), "
    "maar de doelgroep is statushouder: controleer de doelgroep.",
    "said_not_nareiziger": "Antwoordde niet later gekomen te zijn via gezinshereniging, "
    "maar de doelgroep is nareiziger: controleer de doelgroep.",
}

# What a refused value means, for the consulent (`InvalidRecord.problem`).
PROBLEMS = {
    "not_a_date": "is geen datum (dd-mm-jjjj)",
    "future": "ligt in de toekomst",
    "before_law": "ligt vóór 1 januari 2022, toen de Wet inburgering 2021 begon",
    "unknown_group": "is geen bekende doelgroep",
    "pip_before_registration": "ligt vóór de inschrijving in de BRP",
    "unknown_route": "is geen bekende route",
    "end_before_start": "ligt niet na de start van het ontzorgen",
    "end_without_start": "is ingevuld zonder de start van het ontzorgen",
}
FIELDS = {
    "group": "De doelgroep",
    "registered": "De datum van inschrijving",
    "pip": "De PIP-datum",
    "toets": "Het advies van de leerbaarheidstoets",
    "route": "De route",
    "ontzorgen": "De start van het ontzorgen",
    "ontzorgen_until": "Het einde van het ontzorgen",
}
# Refusals that are a whole sentence of their own.
SENTENCES = {
    "ontzorgen_not_for_group": "Ontzorgen hoort niet bij het PIP van een gezinsmigrant "
    "(de Participatiewet geldt niet voor hen): laat de data van het ontzorgen leeg.",
}


def refusal(error: InvalidRecord) -> str:
    """The refusal in one Dutch sentence."""
    if error.problem in SENTENCES:
        return f"{SENTENCES[error.problem]} Er is niets opgeslagen."
    what = FIELDS.get(error.field, "Een veld")
    return f"{what} {PROBLEMS.get(error.problem, 'klopt niet')}. Er is niets opgeslagen."


def day(value: date | None) -> str:
    """'10 november 2026', or a dash."""
    return format_date(value, "d MMMM y", locale="nl") if value else "—"


@dataclass(frozen=True)
class RecordView:
    case: Case
    dates: CaseDates
    flag: str | None  # "past" | "near" | None
    ontzorgen: Ontzorgen
    toets: str | None = None  # leerbaarheidstoets status, on the sheet only
    mismatch: str | None = None  # `flows.record.group_mismatch`, on the sheet only

    @property
    def pip_deadline(self) -> date | None:
        return self.dates.pip_deadline

    @property
    def term_start(self) -> date | None:
        return self.dates.term_start

    @property
    def term_end(self) -> date | None:
        return self.dates.term_end

    @property
    def switch_until(self) -> date | None:
        return self.dates.switch_until

    @property
    def group_name(self) -> str:
        group = self.case.target_group
        return GROUP_NAMES.get(group, group) if group else "Onbekend"

    @property
    def term_from(self) -> str:
        """What the term counts from, for this group (seed 002, "Inburgeringstermijn")."""
        if self.case.target_group == "gezinsmigrant":
            return "vanaf de inschrijving in de BRP"
        return "vanaf het PIP"

    @property
    def flag_text(self) -> str | None:
        return PIP_FLAGS.get(self.flag) if self.flag else None

    @property
    def toets_name(self) -> str:
        return TOETS_NAMES.get(self.toets or "not_planned", "—")

    @property
    def toets_advice(self) -> str | None:
        return ROUTE_NAMES.get(self.case.toets_advice or "")

    @property
    def route_name(self) -> str | None:
        return ROUTE_NAMES.get(self.case.route or "")

    @property
    def has_ontzorgen(self) -> bool:
        """Whether ontzorgen can apply: not for a gezinsmigrant (seed 001, §1.3.3)."""
        return self.case.target_group not in WITHOUT_ONTZORGEN

    @property
    def mismatch_text(self) -> str | None:
        return MISMATCHES.get(self.mismatch or "")


def record_view(
    case: Case,
    figures: Figures,
    now: datetime,
    appointments: Iterable[Appointment] | None = None,
    answers: Mapping[str, AnswerValue] | None = None,
) -> RecordView:
    """The record as the page shows it; `appointments` and `answers` (the sheet's) add
    the leerbaarheidstoets's status and the target-group signal."""
    toets = mismatch = None
    if appointments is not None:
        toets = leerbaarheidstoets_status(
            [a.status for a in appointments if a.kind == "leerbaarheidstoets"]
        )
    if answers is not None:
        came_later = answers.get("family.came_later")
        code = came_later.codes[0] if came_later and came_later.codes else None
        mismatch = group_mismatch(case.target_group, code)
    return RecordView(
        case,
        dates_for(case, figures),
        pip_flag(case, figures, now),
        ontzorgen_for(case, figures),
        toets,
        mismatch,
    )
