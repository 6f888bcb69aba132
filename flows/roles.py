"""Who helps me with what: the consulent and the maatschappelijk begeleider side by side,
and "Who do I ask about …?" for everyday topics (Rijswijk's evaluation, seed 004: people
did not know whom to go to). Content and screens; the local titles, organisations and
contacts come from the municipality file through `RoleCard`s, so each municipality shows
its own set-up. Pure: builds replies, stores nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flows.callbacks import RolesAction
from flows.model import N_
from flows.replies import Button, Join, Msg, Reply

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

# What the two roles every municipality has do, in plain words (DOMAIN.md, "Who does what").
ROLE_TEXTS: dict[str, tuple[str, str]] = {
    "consulent": (
        N_(
            "Helps with your whole inburgering: the brede intake, your plan (PIP), your language school and route, MAP and PVT, talks about how it goes, and questions about rules and fines."
        ),
        N_("Not for: help at home, bills or letters about the house."),
    ),
    "begeleider": (
        N_(
            "Helps with practical life: your house, registering, a bank account, health insurance, allowances (toeslagen), the family doctor, school for your children, letters you do not understand, and getting to know your neighbourhood. Someone who listens."
        ),
        N_("Not for: your language route, work or income."),
    ),
}

# A topic whose answer needs more than a contact: what a fine is, said as the law says it
# (a last resort, only without a valid reason; seeds 001 and 002), never "nothing happens".
TOPIC_NOTES: dict[str, str] = {
    "fine": N_(
        "A fine is a last resort. It is only possible if you stay away or do not cooperate without a valid reason. If you cannot come to an appointment, tell your consulent before and say why."
    ),
}

INTRO = N_("Two people help you. They do different things:")
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
    """A role as this municipality fills it in (Dutch data, shown as it is)."""

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


def card_lines(card: RoleCard) -> list[Msg]:
    lines = [Msg.lit("{title} – {organisation}", title=card.title, organisation=card.organisation)]
    fields = (
        (CONTACT_PERSON, "name"), (PHONE, "phone"), (EMAIL, "email"),
        (ADDRESS, "address"), (HOURS, "hours"), (WEBSITE, "website"),
    )  # fmt: skip
    for msgid, attribute in fields:
        value = getattr(card, attribute)
        if value:
            lines.append(Msg.of(msgid, **{attribute: value}))
    if card.example:
        lines.append(Msg.of(EXAMPLE))
    return lines


def explainer(roles: Mapping[str, RoleCard]) -> Reply:
    parts = [Msg.of(INTRO)]
    for code, (helps, not_for) in ROLE_TEXTS.items():
        card = roles[code]
        parts.append(
            Msg.lit("{title} – {organisation}", title=card.title, organisation=card.organisation)
        )
        parts += [Msg.of(helps), Msg.of(not_for)]
    return Reply(
        tuple(parts),
        (
            (Button(Msg.of(ASK_ABOUT), RolesAction("topics").pack()),),
            (Button(Msg.of(BACK_TO_WHERE), RolesAction("back").pack()),),
        ),
    )


def topics_menu() -> Reply:
    rows = [(Button(Msg.of(label), RolesAction("t", code).pack()),) for code, label in TOPICS]
    rows += [
        (Button(Msg.of(BACK), RolesAction("roles").pack()),),
        (Button(Msg.of(BACK_TO_WHERE), RolesAction("back").pack()),),
    ]
    return Reply((Msg.of(WHICH_TOPIC),), tuple(rows))


def topic_answer(code: str, roles: Mapping[str, RoleCard], topics: Mapping[str, str]) -> Reply:
    card = roles[topics[code]]
    contact = Msg.lit("{lines}", lines=Join(tuple(card_lines(card)), "\n"))
    parts = [Msg.of(ANSWER, topic=Msg.of(TOPIC_LABELS[code])), contact]
    if code in TOPIC_NOTES:
        parts.append(Msg.of(TOPIC_NOTES[code]))
    if card.code in ROLE_TEXTS:
        parts.append(Msg.of(ROLE_TEXTS[card.code][0]))
    return Reply(
        tuple(parts),
        (
            (Button(Msg.of(TELL_CONSULENT), RolesAction("ask", code).pack()),),
            (Button(Msg.of(OTHER_TOPIC), RolesAction("topics").pack()),),
            (Button(Msg.of(BACK_TO_WHERE), RolesAction("back").pack()),),
        ),
    )
