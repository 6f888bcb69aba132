"""Who helps me with what: the roles side by side (the consulent, the maatschappelijk
begeleider, the klantmanager werk en inkomen, and any role the municipality describes),
and "Who do I ask about …?" for everyday topics (Rijswijk's evaluation, seed 004: people
did not know whom to go to). Content and screens; the local titles, organisations,
contacts, routing and any role texts of its own come from the municipality file through
`RoleCard`s, so each municipality shows its own set-up, and a person sees the roles that
are there for their target group. Content only: tables and pure functions; the screens
that show them are `flows.screens.roles`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from flows.model import N_, NP_
from flows.replies import Localized, Msg

# Stable codes (the municipality file maps each to a role) with the button text.
TOPICS: tuple[tuple[str, str], ...] = (
    ("letter", N_("A letter I don't understand")),
    ("language_school", N_("My language school or lessons")),
    ("exam", N_("My exam")),
    ("change_route", N_("Changing my route")),
    ("map_pvt", N_("MAP or PVT")),
    ("benefit", N_("My benefit (uitkering)")),
    ("rent_energy", N_("Rent or energy bills")),
    ("health_insurance", N_("Health insurance")),
    ("doctor", N_("A doctor")),
    ("fine", N_("A fine or a warning")),
    ("residence_permit", N_("My residence permit")),
    ("children_school", N_("School or childcare for my children")),
    ("debts", N_("Debts or money worries")),
    ("house", N_("Furniture or the house")),
    ("digid", N_("DigiD")),
    ("work", N_("A job or volunteer work")),
    ("interpreter", N_("An interpreter (tolk)")),
    ("family_reunification", N_("Family reunification")),
    ("wellbeing", N_("Feeling unwell or stressed")),
    ("other", N_("Something else")),
)
TOPIC_LABELS = dict(TOPICS)

# -- What each role does ------------------------------------------------------------
# Short lines, one thing each, and the topics each line is the answer to. A role's text
# is data: the three standard roles (DOMAIN.md, "Who does what") have the lines below; a
# municipality file may give any role its own list, in all four languages, and may reuse
# a standard line by its code. The standard lists fit themselves to the file's routing
# (a line about a topic the file sends elsewhere is left out), so they never contradict
# it; a list the file writes itself is checked against the routing (`contradictions`).

STANDARD_ROLES: tuple[str, ...] = ("consulent", "begeleider", "werk_inkomen")


@dataclass(frozen=True)
class Line:
    """One thing a role helps with (or is not for), and the topics it answers."""

    text: str | Localized  # a msgid, or the municipality's own text in each language
    topics: frozenset[str] = frozenset()
    groups: frozenset[str] | None = None  # only for these target groups; None: everyone

    def for_group(self, group: str | None) -> bool:
        return self.groups is None or group is None or group in self.groups


def _line(text: str, *topics: str, groups: frozenset[str] | None = None) -> Line:
    return Line(text, frozenset(topics), groups)


# Statushouders and the family who follow them (nareizigers) have maatschappelijke
# begeleiding and ontzorgen; gezinsmigranten have neither (seed 001, §1.3.3).
ASYLUM = frozenset({"statushouder", "nareiziger"})


# The standard lines by code (a municipality file may list a code instead of writing
# the line itself). Seeds: 000 and 004 (Rijswijk: the consulent is the regiehouder, the
# begeleider for what lies outside the inburgering), 001 and 003 (ontzorgen: rent,
# energy and insurance paid from the benefit for the first six months).
LINES: Mapping[str, Line] = MappingProxyType(
    {
        "intake_pip": _line(N_("Your brede intake and your plan (PIP)")),
        "route": _line(N_("Your route: B1, onderwijsroute or Z-route"), "change_route"),
        "exam": _line(N_("Your exam"), "exam"),
        "language_school": _line(N_("Your language school and lessons"), "language_school"),
        "map_pvt": _line(N_("MAP and PVT"), "map_pvt"),
        "progress": _line(N_("Talks about how it is going")),
        "fines": _line(N_("Rules, warnings and fines"), "fine"),
        "interpreter": _line(N_("An interpreter for your appointments"), "interpreter"),
        "house": _line(N_("Your house and furniture"), "house"),
        "digid": _line(N_("Registering, a bank account and DigiD"), "digid"),
        "health_insurance": _line(
            N_("Health insurance and allowances (toeslagen)"), "health_insurance"
        ),
        "doctor": _line(N_("Finding a family doctor"), "doctor"),
        "children_school": _line(N_("School for your children"), "children_school"),
        "letter": _line(N_("Letters you do not understand"), "letter"),
        "family_reunification": _line(N_("Family reunification"), "family_reunification"),
        "neighbourhood": _line(N_("Getting to know your neighbourhood")),
        "listens": _line(N_("Someone who listens")),
        "benefit": _line(N_("Your benefit (uitkering)"), "benefit"),
        "ontzorgen": _line(
            N_("At first: rent, energy and health insurance paid from your benefit (ontzorgen)"),
            "rent_energy",
            groups=ASYLUM,
        ),
        "bills": _line(N_("Bills for rent and energy"), "rent_energy"),
        "work": _line(N_("Work, and what a benefit asks of you"), "work"),
        "not_money": _line(N_("Your benefit or bills"), "benefit", "rent_energy"),
        "not_home": _line(N_("Help at home or with the house"), "house"),
        "not_route": _line(N_("Your route or language school"), "change_route", "language_school"),
        "not_work": _line(N_("Work or your benefit"), "work", "benefit"),
        "not_exam": _line(N_("Your route or exam"), "change_route", "exam"),
    }
)


@dataclass(frozen=True)
class Standard:
    """A standard role's lines (codes in `LINES`) and whom it serves (None: everyone)."""

    helps_with: tuple[str, ...]
    not_for: tuple[str, ...]
    target_groups: frozenset[str] | None = None


STANDARD: Mapping[str, Standard] = MappingProxyType(
    {
        "consulent": Standard(
            ("intake_pip", "route", "exam", "language_school", "map_pvt", "progress",
             "fines", "interpreter"),
            ("not_money", "not_home"),
        ),
        # Maatschappelijke begeleiding is for statushouders and their nareizigers only,
        # not for gezinsmigranten (seed 001, §1.3.3; DOMAIN.md, "The journey").
        "begeleider": Standard(
            ("house", "digid", "health_insurance", "doctor", "children_school", "letter",
             "family_reunification", "neighbourhood", "listens"),
            ("not_route", "not_work"),
            frozenset({"statushouder", "nareiziger"}),
        ),
        "werk_inkomen": Standard(
            ("benefit", "ontzorgen", "bills", "work"),
            ("not_exam", "not_home"),
        ),
    }
)  # fmt: skip

# A topic whose answer needs more than a contact, with what the seeds say. The fine as
# the law says it: a last resort, only without a valid reason (seeds 001 and 002), never
# "nothing happens". A note for some target groups only is shown to them, and to a
# person whose group the consulent has not entered (each such note names its group).


@dataclass(frozen=True)
class Note:
    text: str
    groups: frozenset[str] | None = None  # None: for everyone

    def for_group(self, group: str | None) -> bool:
        return self.groups is None or group is None or group in self.groups


# The figures in these notes are the municipality file's (`topic_notes` takes them: the
# names of `flows.journey.JourneyContext.figures`), never written into the sentence.
ROUTE_CHANGE = N_(
    "In the first {switch_months} you can still change your route, if it turns out not to fit you. Talk to your consulent about it. A change needs a reason, for example a test result or advice from your language school."
)
# The MAP is not required in the onderwijsroute (seed 001, note 11): said for the routes
# that have it, so the note is true for every route.
EXAM_TERM = N_(
    "You have {years} for your exam (or the Z-route) and the PVT, and in the B1-route and the Z-route also for the MAP. DUO checks these deadlines, not the municipality."
)
MAP_PVT = N_(
    "MAP, in the B1-route and the Z-route: a module about work in the Netherlands, with at least {map_hours} of practice. PVT: a course of at least {pvt_hours} that ends with signing the participation statement."
)
ONTZORGEN = N_(
    "Statushouders with a benefit: for at least the first {ontzorgen_months} the municipality pays your rent, energy and health insurance from your benefit (ontzorgen), while you learn to handle your money. You get the rest. Your plan (PIP) says if it lasts longer."
)
HEALTH_INSURANCE_REQUIRED = N_("Everyone who lives in the Netherlands must have health insurance.")
LESSONS_ARRANGED = N_(
    "Statushouders: the municipality arranges your language route and pays for it."
)
LESSONS_OWN = N_(
    "Gezinsmigranten: you choose and pay for your own course. Your consulent can advise you."
)
DEBTS_EARLY = N_(
    "Do not wait with money worries: tell someone early. Help is easier while debts are still small."
)
INTERPRETER_NOTE = N_(
    "The municipality can arrange an interpreter (tolk) when you need one, often by phone. Say so before your appointment."
)

# For everyone, one note a topic.
TOPIC_NOTES: dict[str, str] = {
    "fine": N_(
        "A fine is a last resort. It is only possible if you stay away or do not cooperate without a valid reason. If you cannot come to an appointment, tell your consulent before and say why."
    ),
    "change_route": ROUTE_CHANGE,
    "exam": EXAM_TERM,
    "map_pvt": MAP_PVT,
    "health_insurance": HEALTH_INSURANCE_REQUIRED,
    "debts": DEBTS_EARLY,
    "interpreter": INTERPRETER_NOTE,
}
# For some target groups only (after the note for everyone, if there is one).
GROUP_NOTES: Mapping[str, tuple[Note, ...]] = MappingProxyType(
    {
        "rent_energy": (Note(ONTZORGEN, ASYLUM),),
        "health_insurance": (Note(ONTZORGEN, ASYLUM),),
        "language_school": (
            Note(LESSONS_ARRANGED, ASYLUM),
            Note(LESSONS_OWN, frozenset({"gezinsmigrant"})),
        ),
    }
)


def topic_notes(
    code: str, group: str | None, figures: Mapping[str, Msg] | None = None
) -> tuple[Msg, ...]:
    """The notes on a topic for this person's target group (None: not known), with the
    municipality's figures (`flows.journey.JourneyContext.figures`)."""
    general = (TOPIC_NOTES[code],) if code in TOPIC_NOTES else ()
    notes = general + tuple(n.text for n in GROUP_NOTES.get(code, ()) if n.for_group(group))
    return tuple(Msg.of(note, **(figures or {})) for note in notes)


INTRO = NP_("One person helps you:", "{count} people help you. Each does different things:")
HELPS_WITH = N_("Helps with:")
NOT_FOR = N_("Not for:")
ASK_ABOUT = N_("Who do I ask about …?")
BACK_TO_WHERE = N_("Back to where I was")
WHICH_TOPIC = N_("What is your question about?")
ANSWER = N_("About “{topic}” you can go to:")
PHONE = N_("Phone: {phone}")
EMAIL = N_("E-mail: {email}")
ADDRESS = N_("Address: {address}")
HOURS = N_("When: {hours}")
WEBSITE = N_("Website: {website}")
CONTACT_PERSON = N_("Name: {name}")
EXAMPLE = N_("(These contact details are an example, not real.)")
TELL_CONSULENT = N_("Tell my consulent I have a question")
TOLD = N_("Your consulent will see that you have a question about “{topic}”.")
OTHER_TOPIC = N_("Another question")
BACK = N_("← Back")


@dataclass(frozen=True)
class RoleCard:
    """A role as this municipality fills it in: contact data (Dutch, shown as it is) and
    what the role does. `helps_with`/`not_for` None: the standard role's lines (for
    `standard`), fitted to the routing; given: the file's own list, shown as written."""

    code: str
    title: str
    organisation: str
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    website: str | None = None
    hours: str | None = None
    example: bool = False
    standard: str | None = None  # one of STANDARD_ROLES: whose lines and groups apply
    helps_with: tuple[Line, ...] | None = None
    not_for: tuple[Line, ...] | None = None
    target_groups: frozenset[str] | None = None  # None: the standard's, else everyone

    @property
    def kind(self) -> str | None:
        """The standard role this card is: named so, or by its code."""
        if self.standard is not None:
            return self.standard
        return self.code if self.code in STANDARD else None

    def serves(self, group: str | None) -> bool:
        """Whether this role is there for a person of this target group (None: not known)."""
        groups = self.target_groups
        if groups is None and self.kind is not None:
            groups = STANDARD[self.kind].target_groups
        return groups is None or group is None or group in groups

    def lines(
        self, topics: Mapping[str, str], group: str | None = None
    ) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
        """What the role helps with and is not for, where `topics` sends each topic, for
        a person of this target group. The standard lines are fitted: a "helps with"
        line is kept only when every topic it answers goes to this role, a "not for"
        line only when none does."""
        standard = STANDARD.get(self.kind or "")
        helps, not_for = self.helps_with, self.not_for
        if helps is None:
            helps = tuple(
                line
                for line in (LINES[code] for code in (standard.helps_with if standard else ()))
                if all(topics.get(topic) == self.code for topic in line.topics)
            )
        if not_for is None:
            not_for = tuple(
                line
                for line in (LINES[code] for code in (standard.not_for if standard else ()))
                if not any(topics.get(topic) == self.code for topic in line.topics)
            )
        return (
            tuple(line for line in helps if line.for_group(group)),
            tuple(line for line in not_for if line.for_group(group)),
        )


@dataclass(frozen=True)
class Contradiction:
    """A role's own text against the routing: `role`'s `field` line `position` (from 1)
    says it is (or is not) for `topic`, which [topics] sends to `routed_to`."""

    role: str
    field: str  # "helps_with" | "not_for"
    position: int
    topic: str
    routed_to: str

    def __str__(self) -> str:
        claim = "helps with" if self.field == "helps_with" else "is not for"
        return (
            f"roles.{self.role}.{self.field}.{self.position}: role {self.role!r} says it "
            f"{claim} topic {self.topic!r}, but [topics] sends {self.topic} to "
            f"{self.routed_to!r}: change the line's topics or the routing"
        )


def contradictions(roles: Mapping[str, RoleCard], topics: Mapping[str, str]) -> list[Contradiction]:
    """Where a role's own lines contradict the routing: a "helps with" line for a topic
    sent to another role, or a "not for" line for a topic sent to this one. Exact: the
    lines declare their topic codes. The standard lines fit themselves and never do."""
    found = []
    for code, card in roles.items():
        for field, lines, wrong in (
            ("helps_with", card.helps_with, lambda routed, code=code: routed != code),
            ("not_for", card.not_for, lambda routed, code=code: routed == code),
        ):
            for position, line in enumerate(lines or (), 1):
                for topic in sorted(line.topics):
                    routed = topics.get(topic)
                    if routed is not None and wrong(routed):
                        found.append(Contradiction(code, field, position, topic, routed))
    return found


def shown_roles(
    roles: Mapping[str, RoleCard], topics: Mapping[str, str], group: str | None
) -> list[RoleCard]:
    """The roles the explainer shows a person of this group: those with something to
    say, in the file's order."""
    return [card for card in roles.values() if card.serves(group) and card.lines(topics, group)[0]]


def role_for(
    code: str, roles: Mapping[str, RoleCard], topics: Mapping[str, str], group: str | None
) -> RoleCard:
    """Who answers a topic for this person: the routed role, or the consulent (the lead
    for everyone) when that role is not there for the person's group — a gezinsmigrant
    has no maatschappelijk begeleider."""
    card = roles[topics[code]]
    if not card.serves(group) and "consulent" in roles:
        return roles["consulent"]
    return card
