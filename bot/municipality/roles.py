"""The roles of the municipality file: who people meet, how to reach them, what each
does (standard lines, or the file's own in all four languages) and which role answers
which everyday topic; and the checks across them that field validation cannot see
(`reference_problems`)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, StrictBool, create_model, field_validator, model_validator

from bot.municipality.fields import Strict, dutch_phone, email_address, shown, website_address
from flows.languages import LANGUAGES
from flows.record import TARGET_GROUPS
from flows.replies import Localized
from flows.roles import LINES, STANDARD_ROLES, Line, RoleCard
from flows.roles import TOPICS as ROLE_TOPICS

# The everyday questions people bring ("Who do I ask about …?"), as stable codes. The
# flows translate each into the person's language; the file says which role answers it.
TOPICS: tuple[str, ...] = tuple(code for code, _ in ROLE_TOPICS)  # texts: flows.roles


# Every municipality names these two: the lead for the integration path, and the
# maatschappelijk begeleider for practical life.
REQUIRED_ROLES: tuple[str, ...] = ("consulent", "begeleider")

ROLE_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


# The type of the error a file gets whose roles' texts contradict its routing; the
# loader reports each problem on a line of its own.
ROLE_PROBLEMS = "municipality_roles"


MAX_LINES = 12
LINE_LENGTH = 160
_SCRIPTS = {  # a line in the wrong script is a swapped or missing translation
    "ar": (re.compile(r"[\u0600-\u06ff]"), "Arabic"),
    "ti": (re.compile(r"[\u1200-\u139f\u2d80-\u2ddf]"), "Ge'ez (Tigrinya)"),
}


class OwnLine(Strict):
    """A line of a role's text in the file's own words: every language, and the topics
    (codes of [topics]) it is the answer to, so the check against the routing is exact."""

    topics: tuple[str, ...] = ()
    ar: str
    ti: str
    nl: str
    en: str

    def localized(self) -> Localized:
        return Localized.of({lang: getattr(self, lang) for lang in LANGUAGES})


def _role_lines(value: Any) -> tuple[OwnLine | str, ...]:
    """A role's list of lines, each checked, with a message naming the item."""
    if not isinstance(value, list | tuple):
        raise ValueError(
            f'should be a list like ["house", {{ topics = ["letter"], ar = "…", ti = "…", '
            f'nl = "…", en = "…" }}], got {shown(value)}'
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
                f"with ar, ti, nl and en, got {shown(item)}"
            )
    return tuple(lines)


def _own_line(position: int, item: Mapping[str, Any]) -> OwnLine:
    missing = [lang for lang in LANGUAGES if lang not in item]
    if missing:
        raise ValueError(
            f"line {position}: missing {', '.join(missing)}: a role's own line is given in "
            f"all four languages ({', '.join(LANGUAGES)}), so everyone can read it"
        )
    unknown = sorted(set(item) - {"topics", *LANGUAGES})
    if unknown:
        raise ValueError(
            f"line {position}: unknown field {unknown[0]!r}; allowed: topics, "
            f"{', '.join(LANGUAGES)}"
        )
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        text = item[lang]
        if not isinstance(text, str) or not " ".join(text.split()):
            raise ValueError(f"line {position}: {lang} should be text in quotes, not empty")
        if "\n" in text.strip():
            raise ValueError(f"line {position}: {lang} spans more lines: one short line each")
        text = " ".join(text.split())
        if len(text) > LINE_LENGTH:
            raise ValueError(
                f"line {position}: {lang} is too long (at most {LINE_LENGTH} characters): "
                "keep each line short, one thing"
            )
        script = _SCRIPTS.get(lang)
        if script and not script[0].search(text):
            raise ValueError(f"line {position}: {lang} is not written in {script[1]} script")
        texts[lang] = text
    topics = item.get("topics", [])
    if not isinstance(topics, list | tuple) or not all(isinstance(t, str) for t in topics):
        raise ValueError(
            f'line {position}: topics should be a list of topic codes like ["letter"], '
            f"got {shown(topics)}"
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


class Role(Strict):
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
                f"({', '.join(TARGET_GROUPS)}), got {shown(value)}"
            )
        for item in value:
            if item not in TARGET_GROUPS:
                raise ValueError(
                    f"unknown target group {shown(item)} (one of {', '.join(TARGET_GROUPS)})"
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
        return None if value is None else dutch_phone(value)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else email_address(value)

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        return None if value is None else website_address(value)

    @model_validator(mode="after")
    def _reachable(self) -> Role:
        if not (self.phone or self.email or self.address or self.website):
            raise ValueError(
                "give at least one way to reach this role: phone, email, address or website"
            )
        return self


# One required field per topic: a missing topic is named, an unknown one is refused.
Topics = create_model(  # type: ignore[call-overload]
    "Topics",
    __base__=Strict,
    **{topic: (Annotated[str, Field(min_length=1, max_length=40)], ...) for topic in TOPICS},
)


def reference_problems(roles: Any, topics: Any) -> list[tuple[tuple[str, ...], str]]:
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
