"""The municipality file's model: pydantic models that validate every field, and the
checks across fields (required roles, topics pointing to roles that exist).

This is a data model only. Titles, organisations, addresses, opening hours and the
"what to bring" items are Dutch data that people see as written. What each role does is
said in the person's own language: the standard roles' lines are translated in the
flows (`flows.roles.LINES`); a role's own lines are given here in all four languages,
and must agree with the file's own routing of topics (`flows.roles.contradictions`).
How a municipality writes its file: ``docs/municipality-file.md``.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import types
from collections.abc import Mapping
from datetime import timedelta
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.municipality.sentences import OwnSentence, Sentence, own_texts, sentences
from bot.municipality.sentences import key as sentences_key
from flows import sentences as S
from flows.appointments import KIND_CODES, QuietHours
from flows.appointments import OBLIGATORY_BY_LAW as OBLIGATORY_KINDS
from flows.journey import LAW as JOURNEY_LAW
from flows.languages import LANGUAGES
from flows.record import TARGET_GROUPS
from flows.roles import LINES, STANDARD_ROLES, Line, RoleCard, contradictions
from flows.roles import TOPICS as ROLE_TOPICS

# The everyday questions people bring ("Who do I ask about …?"), as stable codes. The
# flows translate each into the person's language; the file says which role answers it.
TOPICS: tuple[str, ...] = tuple(code for code, _ in ROLE_TOPICS)  # texts: flows.roles

# The kinds of appointment, as stable codes (their texts: flows.appointments).
APPOINTMENT_KINDS: tuple[str, ...] = KIND_CODES

# Whether a kind is obligatory when the file does not say (the law: flows.appointments).
OBLIGATORY_BY_LAW: Mapping[str, bool] = types.MappingProxyType(
    {kind: kind in OBLIGATORY_KINDS for kind in APPOINTMENT_KINDS}
)

# Every municipality names these two: the lead for the integration path, and the
# maatschappelijk begeleider for practical life.
REQUIRED_ROLES: tuple[str, ...] = ("consulent", "begeleider")

ROLE_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
DEFAULT_OFFSETS: tuple[str, ...] = ("7d", "1d", "2h")
MAX_OFFSETS = 5
MAX_OFFSET = timedelta(days=30)
_OFFSET = re.compile(r"\s*(\d{1,4})\s*([dhm])\s*")
_OFFSET_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_PHONE_CHARS = re.compile(r"\+?[\d\s-]+")
_MUNICIPAL_SHORT = re.compile(r"140\d{2,3}")  # "14 070": the municipality's 14-number


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _dutch_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    looks_dutch = _PHONE_CHARS.fullmatch(value.strip()) is not None and (
        (10 <= len(digits) <= 13 and (digits.startswith("0") or value.strip().startswith("+31")))
        or _MUNICIPAL_SHORT.fullmatch(digits) is not None
    )
    if not looks_dutch:
        raise ValueError(
            f'not a Dutch phone number: {value!r} (write it like "070 123 4567", '
            '"+31 70 123 4567" or "14 070"; digits, spaces, + and - only)'
        )
    return value.strip()


def _email(value: str) -> str:
    local, at, domain = value.strip().partition("@")
    if (
        not at
        or not local
        or "@" in domain
        or "." not in domain.strip(".")
        or re.search(r"\s", value.strip())
    ):
        raise ValueError(f'not an e-mail address: {value!r} (like "inburgering@gemeente.nl")')
    return value.strip()


def _website(value: str) -> str:
    value = value.strip()
    if not value.startswith("https://") or len(value) <= len("https://") or " " in value:
        raise ValueError(f"a website must start with https:// (got {value!r})")
    return value


MAX_LINES = 12
LINE_LENGTH = 160


class OwnLine(OwnSentence):
    """A line of a role's text in the file's own words: every language, and the topics
    (codes of [topics]) it is the answer to, so the check against the routing is exact."""

    topics: tuple[str, ...] = ()


def _role_lines(value: Any) -> tuple[OwnLine | str, ...]:
    """A role's list of lines, each checked, with a message naming the item."""
    if not isinstance(value, list | tuple):
        raise ValueError(
            f'should be a list like ["house", {{ topics = ["letter"], ar = "…", ti = "…", '
            f'nl = "…", en = "…" }}], got {_shown(value)}'
        )
    if len(value) > MAX_LINES:
        raise ValueError(f"has too many lines (at most {MAX_LINES}), got {len(value)}")
    lines: list[OwnLine | str] = []
    for position, item in enumerate(value, 1):
        if isinstance(item, str):
            if item not in LINES:
                guess = difflib.get_close_matches(item, LINES, n=1, cutoff=0.6)
                hint = f" (did you mean {guess[0]!r}?)" if guess else ""
                raise ValueError(
                    f"line {position}: {item!r} is not a standard line{hint}; the standard "
                    f"lines: {', '.join(LINES)}"
                )
            lines.append(item)
        elif isinstance(item, Mapping):
            lines.append(_own_line(position, item))
        else:
            raise ValueError(
                f"line {position}: should be a standard line's code in quotes or a table "
                f"with ar, ti, nl and en, got {_shown(item)}"
            )
    return tuple(lines)


def _own_line(position: int, item: Mapping[str, Any]) -> OwnLine:
    unknown = sorted(set(item) - {"topics", *LANGUAGES})
    if unknown:
        raise ValueError(
            f"line {position}: unknown field {unknown[0]!r}; allowed: topics, "
            f"{', '.join(LANGUAGES)}"
        )
    texts = own_texts(f"line {position}", item, LINE_LENGTH)
    topics = item.get("topics", [])
    if not isinstance(topics, list | tuple) or not all(isinstance(t, str) for t in topics):
        raise ValueError(
            f'line {position}: topics should be a list of topic codes like ["letter"], '
            f"got {_shown(topics)}"
        )
    for topic in topics:
        if topic not in TOPICS:
            guess = difflib.get_close_matches(topic, TOPICS, n=1, cutoff=0.6)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            raise ValueError(f"line {position}: unknown topic {topic!r}{hint}")
    return OwnLine(topics=tuple(topics), **texts)


def _flow_lines(lines: tuple[OwnLine | str, ...] | None) -> tuple[Line, ...] | None:
    if lines is None:
        return None
    return tuple(
        LINES[line] if isinstance(line, str) else Line(line.localized(), frozenset(line.topics))
        for line in lines
    )


class Role(_Strict):
    """Someone people meet: the local title, who, and how to reach them."""

    title: str = Field(min_length=1, max_length=80)  # "consulent inburgering"
    organisation: str = Field(min_length=1, max_length=120)  # "Gemeente Rijswijk"
    name: str | None = Field(None, min_length=1, max_length=80)  # a person or team
    phone: str | None = None
    email: str | None = None
    address: str | None = Field(None, min_length=1, max_length=200)
    website: str | None = None
    hours: str | None = Field(None, min_length=1, max_length=200)  # "ma–vr 9.00–12.00"
    example: StrictBool = False  # the contact data is made up (an example file)
    # Which standard role this is, for a role whose code is another ("inkomen" as the
    # klantmanager werk en inkomen): it then has that role's lines and target groups.
    # A role coded consulent, begeleider or werk_inkomen is that standard role already.
    standard: str | None = None
    # Whom the role is there for; left out: the standard role's groups (the begeleider:
    # statushouder and nareiziger), or everyone.
    target_groups: tuple[str, ...] | None = None
    # What the role does, as a list of lines: a standard line's code ("house") or a line
    # of the file's own in all four languages with the topics it answers. Left out: the
    # standard role's lines, fitted to [topics].
    helps_with: tuple[OwnLine | str, ...] | None = None
    not_for: tuple[OwnLine | str, ...] | None = None

    @field_validator("standard")
    @classmethod
    def _standard(cls, value: str | None) -> str | None:
        if value is not None and value not in STANDARD_ROLES:
            raise ValueError(f"not a standard role: {value!r} (one of {', '.join(STANDARD_ROLES)})")
        return value

    @field_validator("target_groups", mode="before")
    @classmethod
    def _target_groups(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | tuple) or not value:
            raise ValueError(
                f'should be a list of target groups like ["statushouder", "nareiziger"] '
                f"({', '.join(TARGET_GROUPS)}), got {_shown(value)}"
            )
        for item in value:
            if item not in TARGET_GROUPS:
                raise ValueError(
                    f"unknown target group {_shown(item)} (one of {', '.join(TARGET_GROUPS)})"
                )
        if len(set(value)) != len(value):
            raise ValueError("a target group appears twice")
        return tuple(value)

    @field_validator("helps_with", "not_for", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        return None if value is None else _role_lines(value)

    def card(self, code: str) -> RoleCard:
        """The role as the flows show it."""
        return RoleCard(
            code,
            **self.model_dump(
                exclude_none=True, exclude={"standard", "target_groups", "helps_with", "not_for"}
            ),
            standard=self.standard,
            helps_with=_flow_lines(self.helps_with),
            not_for=_flow_lines(self.not_for),
            target_groups=frozenset(self.target_groups) if self.target_groups else None,
        )

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else _dutch_phone(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else _email(value)

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        return None if value is None else _website(value)

    @model_validator(mode="after")
    def _reachable(self) -> Role:
        if not (self.phone or self.email or self.address or self.website):
            raise ValueError(
                "give at least one way to reach this role: phone, email, address or website"
            )
        return self


class AppointmentKind(_Strict):
    """What one kind of appointment asks of the person."""

    obligatory: StrictBool
    # What to bring: standard items by code ("residence_document"), or the file's own in
    # all four languages (`bot.municipality.sentences`).
    bring: tuple[Sentence, ...] = ()
    duration_minutes: StrictInt | None = Field(None, ge=5, le=480)

    @field_validator("bring", mode="before")
    @classmethod
    def _bring(cls, value: Any) -> Any:
        return sentences(value, standard=tuple(S.BRING), other="", limit=80, most=10)


def _kind_default(kind: str) -> AppointmentKind:
    return AppointmentKind(obligatory=OBLIGATORY_BY_LAW[kind])


class _Appointments(_Strict):
    @model_validator(mode="before")
    @classmethod
    def _obligatory_by_law(cls, data: Any) -> Any:
        """A listed kind that does not say `obligatory` gets the law's default."""
        if not isinstance(data, dict):
            return data
        return {
            kind: (
                {"obligatory": OBLIGATORY_BY_LAW[kind], **value}
                if kind in OBLIGATORY_BY_LAW and isinstance(value, dict)
                else value
            )
            for kind, value in data.items()
        }


# One field per kind, each defaulting to the law's default with nothing to bring.
Appointments = create_model(  # type: ignore[call-overload]
    "Appointments",
    __base__=_Appointments,
    **{kind: (AppointmentKind, _kind_default(kind)) for kind in APPOINTMENT_KINDS},
)

# One required field per topic: a missing topic is named, an unknown one is refused.
Topics = create_model(  # type: ignore[call-overload]
    "Topics",
    __base__=_Strict,
    **{topic: (Annotated[str, Field(min_length=1, max_length=40)], ...) for topic in TOPICS},
)


def _parse_offset(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(f'should be text like "7d", "1d" or "2h", got {value!r}')
    match = _OFFSET.fullmatch(value)
    if match is None:
        raise ValueError(
            f"not a time before the appointment: {value!r} "
            '(a number and d, h or m, like "7d", "1d", "2h" or "30m")'
        )
    offset = timedelta(**{_OFFSET_UNITS[match[2]]: int(match[1])})
    if offset <= timedelta(0):
        raise ValueError(f"must be more than zero: {value!r}")
    if offset > MAX_OFFSET:
        raise ValueError(f"at most 30 days before the appointment: {value!r}")
    return offset


Offset = Annotated[timedelta, BeforeValidator(_parse_offset)]


class Reminders(_Strict):
    offsets: tuple[Offset, ...] = Field(
        tuple(_parse_offset(offset) for offset in DEFAULT_OFFSETS), max_length=MAX_OFFSETS
    )
    quiet_hours: QuietHours = QuietHours()
    rate_per_second: StrictInt = Field(25, ge=1, le=30)

    @field_validator("offsets")
    @classmethod
    def _unique(cls, offsets: tuple[timedelta, ...]) -> tuple[timedelta, ...]:
        if len(set(offsets)) != len(offsets):
            raise ValueError('the same moment appears twice (for example "1d" and "24h")')
        return tuple(sorted(offsets, reverse=True))


class Deadlines(_Strict):
    """The law's figures for the case record (Wet inburgering 2021): the PIP within 10
    weeks of the BRP registration, a term of 3 years from the PIP. Data, so a change in
    the law is a change in the file; the arithmetic is `flows.record.case_dates`."""

    pip_weeks: StrictInt = Field(10, ge=1, le=26)
    term_years: StrictInt = Field(3, ge=1, le=5)
    # The caseload flags a PIP deadline this many days ahead (and any that has passed).
    pip_near_days: StrictInt = Field(14, ge=0, le=70)


class Identity(_Strict):
    name: str = Field(min_length=1, max_length=80)


# The type of the error a file gets whose roles' texts contradict its routing; the
# loader reports each problem on a line of its own.
ROLE_PROBLEMS = "municipality_roles"

MAX_WHO_SEES = 8
WHO_SEES_LENGTH = 120


class Privacy(_Strict):
    retention_months: StrictInt = Field(ge=1, le=120)
    # Who can see the person's answers, as the consent text says it, one per line: a role
    # of [roles] by its code ("your klantmanager inburgering at ISD Bollenstreek"),
    # "admins", or the file's own line in all four languages. Left out, the consent text
    # says in general terms "your consulent and the people who work with them on your
    # inburgering". The list must be true: partners who join the intake (VluchtelingenWerk
    # in Noordwijk, seed 003), other departments that read the answers (Inkomen, the WSP
    # in Rijswijk, seed 000), and the dashboard's administrators, who see every case.
    who_sees: tuple[Sentence, ...] | None = None

    @field_validator("who_sees", mode="before")
    @classmethod
    def _who_sees(cls, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, list | tuple) and not value:
            raise ValueError(
                "an empty list would say that nobody sees the answers: name who does, "
                "or leave who_sees out for the general sentence"
            )
        return sentences(
            value,
            standard=tuple(S.WHO_SEES),
            other="a role code of [roles]",
            limit=WHO_SEES_LENGTH,
            most=MAX_WHO_SEES,
        )

    @property
    def promise(self) -> str:
        """What the consent text promises about the answers, as a short key for the consent
        version: "r12", or "r12-w" and a digest of the `who_sees` list. When it changes,
        everyone is asked again."""
        key = f"r{self.retention_months}"
        if self.who_sees:
            digest = hashlib.sha256(sentences_key(self.who_sees).encode("utf-8")).hexdigest()
            key += f"-w{digest[:8]}"
        return key


_LOCAL = Annotated[str, Field(min_length=1, max_length=120)]


class Journey(_Strict):
    """My inburgering, step by step (`/route`): the law's figures the steps mention
    (the PIP's weeks and the term's years are under [deadlines]) and who gives the
    parts the municipality buys in, with local names (Dutch, shown as written). The
    defaults are the law's (`flows.journey.LAW`): a change in the law is a change of data."""

    route_switch_months: StrictInt = Field(JOURNEY_LAW.route_switch_months, ge=0, le=36)
    ontzorgen_months: StrictInt = Field(JOURNEY_LAW.ontzorgen_months, ge=1, le=36)
    map_practice_hours: StrictInt = Field(JOURNEY_LAW.map_practice_hours, ge=1, le=1000)
    pvt_hours: StrictInt = Field(JOURNEY_LAW.pvt_hours, ge=1, le=1000)
    z_route_hours: StrictInt = Field(JOURNEY_LAW.z_route_hours, ge=1, le=5000)
    nazorg_months: StrictInt = Field(JOURNEY_LAW.nazorg_months, ge=1, le=36)
    map_by: _LOCAL | None = None  # "MareGroep / SPW"
    pvt_by: _LOCAL | None = None  # "VluchtelingenWerk"
    money_course: _LOCAL | None = None  # the local name: "Omgaan met geld (Eurowijzer)"
    money_course_by: _LOCAL | None = None


class Fines(_Strict):
    """The highest fines, in whole euros, as the law sets them (seed 001, §3.6): the
    municipality's for the brede intake and for the PIP's duties (talks, lessons, MAP,
    PVT), and DUO's for the three-year deadlines (route, MAP, PVT). Shown once, on the
    journey's "If you cannot come" step, always as a last resort."""

    brede_intake: StrictInt = Field(JOURNEY_LAW.fine_brede_intake, ge=0, le=100_000)
    pip: StrictInt = Field(JOURNEY_LAW.fine_pip, ge=0, le=100_000)
    exam: StrictInt = Field(JOURNEY_LAW.fine_exam, ge=0, le=100_000)  # DUO
    map: StrictInt = Field(JOURNEY_LAW.fine_map, ge=0, le=100_000)  # DUO
    pvt: StrictInt = Field(JOURNEY_LAW.fine_pvt, ge=0, le=100_000)  # DUO


def _reference_problems(roles: Any, topics: Any) -> list[tuple[tuple[str, ...], str]]:
    """What field validation cannot see: the required roles, role codes, and topics
    pointing to roles that exist. Works on raw data too, so these problems are reported
    alongside the others."""
    problems: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(roles, Mapping):
        return problems
    for code in REQUIRED_ROLES:
        if code not in roles:
            problems.append((("roles", code), f"required, but missing: add a [roles.{code}] table"))
    for code in roles:
        if not ROLE_CODE.fullmatch(str(code)):
            problems.append(
                (
                    ("roles", str(code)),
                    "a role code is lowercase letters, digits and _ (like werk_inkomen)",
                )
            )
    if isinstance(topics, Mapping):
        for topic, role in topics.items():
            if topic in TOPICS and isinstance(role, str) and role and role not in roles:
                problems.append(
                    (
                        ("topics", str(topic)),
                        f"points to role {role!r}, which is not defined under [roles]",
                    )
                )
    return problems


class Municipality(_Strict):
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
        problems = _reference_problems(self.roles, self.topics.model_dump())
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


def _shown(value: Any, limit: int = 60) -> str:
    """The offending value as written, cut short if it is long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
