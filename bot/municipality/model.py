"""The municipality file's model as a whole (`Municipality`): its parts, each from a
module of its own (`roles`, `appointments`, `law`, `privacy`), and the checks across
them (required roles, topics pointing to roles that exist, roles' own lines that agree
with the routing of topics).

This is a data model only. Titles, organisations, addresses, opening hours and the
"what to bring" items are Dutch data that people see as written. What each role does is
said in the person's own language: the standard roles' lines are translated in the
flows (`flows.roles.LINES`); a role's own lines are given here in all four languages,
and must agree with the file's own routing of topics (`flows.roles.contradictions`).
How a municipality writes its file: ``docs/municipality-file.md``.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from bot.municipality.appointments import (
    APPOINTMENT_KINDS,
    AppointmentKind,
    Appointments,
    Reminders,
)
from bot.municipality.fields import Strict
from bot.municipality.law import Deadlines, Fines, Journey
from bot.municipality.privacy import Privacy
from bot.municipality.roles import ROLE_PROBLEMS, TOPICS, Role, Topics, reference_problems
from bot.municipality.sentences import OwnSentence
from flows import sentences as S
from flows.record import TARGET_GROUPS
from flows.replies import Msg, Param
from flows.roles import RoleCard, contradictions


class Identity(Strict):
    name: str = Field(min_length=1, max_length=80)


class Municipality(Strict):
    municipality: Identity
    roles: dict[str, Role]
    topics: Topics  # type: ignore[valid-type]
    appointments: Appointments = Appointments()  # type: ignore[valid-type]
    reminders: Reminders = Reminders()
    deadlines: Deadlines = Deadlines()
    privacy: Privacy
    journey: Journey = Journey()
    fines: Fines = Fines()

    @model_validator(mode="after")
    def _references(self) -> Municipality:
        problems = reference_problems(self.roles, self.topics.model_dump())
        if problems:
            raise PydanticCustomError(
                "municipality_references",
                "{problems}",
                {"problems": "; ".join(f"{'.'.join(loc)}: {msg}" for loc, msg in problems)},
            )
        return self

    @model_validator(mode="after")
    def _roles_agree(self) -> Municipality:
        """The roles' own texts say what the routing says (`role_problems`)."""
        problems = self.role_problems()
        if problems:
            raise PydanticCustomError(
                ROLE_PROBLEMS, "{problems}", {"problems": "\n".join(problems)}
            )
        return self

    def role_problems(self) -> list[str]:
        """Each a line "roles.<code>.<field>…: <what is wrong>": a role's own line that
        contradicts the routing in [topics], and a consulent that is not there for
        everyone (the lead, who answers whatever another role cannot)."""
        problems = [str(found) for found in contradictions(self.role_cards(), self.routing())]
        for position, item in enumerate(self.privacy.who_sees or (), 1):
            if isinstance(item, str) and item not in S.WHO_SEES and item not in self.roles:
                problems.append(
                    f"privacy.who_sees: item {position}: {item!r} is neither a standard line "
                    f"({', '.join(S.WHO_SEES)}) nor a role of [roles] "
                    f"({', '.join(self.roles)})"
                )
        lead = self.roles.get("consulent")
        if lead is not None and lead.target_groups is not None:
            left_out = [group for group in TARGET_GROUPS if group not in lead.target_groups]
            if left_out:
                problems.append(
                    f"roles.consulent.target_groups: the consulent is the lead for everyone, "
                    f"but {', '.join(left_out)} is left out: leave target_groups out"
                )
        return problems

    def role_cards(self) -> dict[str, RoleCard]:
        """Every role as the flows show it, in the file's order."""
        return {code: role.card(code) for code, role in self.roles.items()}

    def routing(self) -> dict[str, str]:
        """Topic code → the code of the role that answers it."""
        return {topic: str(getattr(self.topics, topic)) for topic in TOPICS}

    @property
    def name(self) -> str:
        return self.municipality.name

    def role(self, code: str) -> Role:
        """The role with this code; KeyError if the file does not define it."""
        try:
            return self.roles[code]
        except KeyError:
            raise KeyError(f"no role {code!r} in the municipality file") from None

    def role_code_for(self, topic: str) -> str:
        """The code of the role that answers questions about this topic."""
        if topic not in TOPICS:
            raise KeyError(f"unknown topic {topic!r}")
        return str(getattr(self.topics, topic))

    def role_for(self, topic: str) -> Role:
        """The role that answers questions about this topic (one of `TOPICS`)."""
        if topic not in TOPICS:
            raise KeyError(f"unknown topic {topic!r}")
        return self.roles[getattr(self.topics, topic)]

    def appointment(self, kind: str) -> AppointmentKind:
        """What this kind of appointment asks (one of `APPOINTMENT_KINDS`)."""
        if kind not in APPOINTMENT_KINDS:
            raise KeyError(f"unknown appointment kind {kind!r}")
        return getattr(self.appointments, kind)

    @property
    def reminder_offsets(self) -> tuple[timedelta, ...]:
        """How long before an appointment reminders go out, earliest first."""
        return self.reminders.offsets

    @property
    def uses_example_contacts(self) -> bool:
        """Whether any role carries made-up example contact data (`example = true`)."""
        return any(role.example for role in self.roles.values())


def who_sees_lines(municipality: Municipality) -> tuple[Param, ...]:
    """The `who_sees` list as the consent text renders it, in the reader's language."""
    lines: list[Param] = []
    for item in municipality.privacy.who_sees or ():
        if isinstance(item, OwnSentence):
            lines.append(item.localized())
        elif item in S.WHO_SEES:
            lines.append(Msg.of(S.WHO_SEES[item], municipality=municipality.name))
        else:
            role = municipality.role(item)
            lines.append(Msg.of(S.WHO_SEES_ROLE, title=role.title, organisation=role.organisation))
    return tuple(lines)
