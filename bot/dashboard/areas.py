"""The case sheet's shape: the law's three areas of the brede intake (language; work and
participation; self-reliance), each with the parts of the PIP it prepares (Wet inburgering
2021; seeds 000 and 002: "een brede intake op verschillende leefgebieden", the PIP holds
the leerroute with KNM and alfabetisering if needed, the PVT and the MAP).

Data only, in Dutch: the sheet is the consulent's and is always Dutch. A question belongs
to the area of its section unless it is named in `QUESTION_AREA`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    pip: str  # the parts of the PIP this area prepares


AREAS = (
    Area("language", "Taal", "leerroute (B1, onderwijsroute of Z-route), KNM, alfabetisering"),
    Area("work", "Werk en participatie", "MAP, PVT, participatiecomponent"),
    Area(
        "self_reliance",
        "Zelfredzaamheid",
        "ontzorgen, financiële zelfredzaamheid, maatschappelijke begeleiding",
    ),
)

SECTION_AREA: dict[str, str] = {
    "language": "language",
    "reading": "language",
    "education": "language",
    "work": "work",
    "family": "self_reliance",
    "daily": "self_reliance",
    "health_money": "self_reliance",
    "goals": "work",
}

# Questions whose area is not their section's. Childcare stands with availability: it
# must be arranged before lessons and the MAP can start (DOMAIN.md, "family").
QUESTION_AREA: dict[str, str] = {
    "family.childcare": "work",
    "family.unavailable": "work",  # availability for lessons, MAP and work
    "family.unavailable_reason": "work",
    "goals.language_buddy": "language",
    "goals.help_now": "self_reliance",
    "goals.for_consulent": "self_reliance",  # the person's own open word, beside help_now
}


def area_of(section_id: str, question_id: str) -> str:
    """The area a question is shown under; an unknown section falls under self-reliance
    rather than disappearing from the sheet."""
    return QUESTION_AREA.get(question_id) or SECTION_AREA.get(section_id, "self_reliance")
