"""The Wegwijs tables, every one of them (the repositories are in the other modules).

Every timestamp is timezone-aware UTC (``UTCDateTime``) and is set by the caller
from the ``now`` it was given: storage never reads the clock.

Deleting a case removes everything of it through ``ON DELETE CASCADE`` in the
database itself (SQLite runs with ``PRAGMA foreign_keys=ON``), so an erasure
cannot miss a table that a later change adds with a proper foreign key.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

from sqlalchemy import JSON, BigInteger, Float, Index, Text, UniqueConstraint, false, text, true
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedString, EncryptedText
from storage.types import UTCDateTime

__all__ = [
    "Answer",
    "Appointment",
    "AuditEntry",
    "Case",
    "ChannelAccount",
    "Conversation",
    "LoginThrottle",
    "PersonRequest",
    "ProcessedUpdate",
    "Reminder",
    "SendBudget",
    "TextCorrection",
    "TextCorrectionEvent",
    "User",
    "WebMessage",
]

# Stable constraint names: Alembic's SQLite batch mode needs names to drop or alter
# constraints later. Must be set before the first table is defined.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _new_case_id() -> str:
    return uuid4().hex


class Case(SQLModel, table=True):
    """One person's file at the municipality, reached through an invite code.

    The id is opaque; the consulent's own ``label`` is optional so no name has to
    be stored at all.
    """

    __tablename__ = "wegwijs_case"

    id: str = Field(default_factory=_new_case_id, primary_key=True)
    invite_code: str = Field(unique=True, index=True)
    invite_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    invite_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    label: str | None = Field(default=None, sa_type=EncryptedString)  # encrypted at rest
    language: str | None = None
    consent_version: str | None = None
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    intake_submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consulent: str | None = Field(default=None, index=True)
    status: str = Field(default="open", sa_column_kwargs={"server_default": "open"})
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The case record, entered by the consulent (none of it beyond what the municipality
    # already has, so not encrypted). The target group is a code (flows.record); the
    # PIP deadline and the end of the term are derived from these dates and the
    # municipality file, never stored. The term starts on the day the PIP is decided
    # (Wet inburgering 2021; DOMAIN.md: "PIP … starts the 3-year term"), a day only the
    # consulent knows, so it is entered, not derived from the registration. The
    # leerbaarheidstoets status is read from the appointments, never kept twice.
    target_group: str | None = None
    registered_on: date | None = None  # registration in the BRP
    pip_decided_on: date | None = None  # the PIP decided: the term starts
    # The outcome of the brede intake, recorded by the consulent: the leerbaarheidstoets's
    # advice and the route the PIP chose (codes of flows.record.ROUTES), and ontzorgen's
    # period (its end only when the PIP sets one; the least is computed, not stored).
    toets_advice: str | None = None
    route: str | None = None
    ontzorgen_from: date | None = None
    ontzorgen_until: date | None = None
    # "Try it without a code" in the web chat: on no caseload, erased after a day.
    practice: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # In every web chat cookie of the case; raised to refuse the cookies made before.
    binding_version: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class ChannelAccount(SQLModel, table=True):
    """A chat on one channel (a Telegram user, a console session), maybe bound to a case."""

    __tablename__ = "channel_account"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    # Telegram ids exceed 2**31: BIGINT, or PostgreSQL overflows.
    external_id: int = Field(sa_type=BigInteger, nullable=False)
    case_id: str | None = Field(
        default=None, foreign_key="wegwijs_case.id", ondelete="CASCADE", index=True
    )
    language: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    last_seen_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class Conversation(SQLModel, table=True):
    """The conversation state of one account: JSON that only ``flows`` understands."""

    __tablename__ = "conversation"

    account_id: int = Field(
        primary_key=True,
        foreign_key="channel_account.id",
        ondelete="CASCADE",
        sa_column_kwargs={"autoincrement": False},
    )
    data: str = Field(sa_type=Text, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class Answer(SQLModel, table=True):
    """One answer to one question; a changed answer supersedes, never overwrites.

    At most one answer per (case, question) is current (``superseded_at IS NULL``),
    enforced by a partial unique index on both databases.
    """

    __tablename__ = "answer"
    __table_args__ = (
        Index("ix_answer_case_id_question_id", "case_id", "question_id"),
        Index(
            "uq_answer_current",
            "case_id",
            "question_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="wegwijs_case.id", ondelete="CASCADE", nullable=False)
    question_id: str
    codes: list[str] | None = Field(default=None, sa_type=JSON)
    number: int | None = None
    free_text: str | None = Field(default=None, sa_type=EncryptedText)  # encrypted at rest
    text_lang: str | None = None
    skipped: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    retracted: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    answered_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    superseded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PersonRequest(SQLModel, table=True):
    """A person asked to talk to a person (``/person``); open until a consulent handles it.

    ``topic`` is a stable code (``"general"``, a topic code), never free text, so the
    row holds no personal data beyond its link to the case.
    """

    __tablename__ = "person_request"

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(
        foreign_key="wegwijs_case.id", ondelete="CASCADE", nullable=False, index=True
    )
    channel: str
    topic: str | None = None
    requested_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    handled_by: str | None = None


class ProcessedUpdate(SQLModel, table=True):
    """An update id already handled on a channel, so a redelivery is processed once."""

    __tablename__ = "processed_update"

    channel: str = Field(primary_key=True)
    update_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    processed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class Appointment(SQLModel, table=True):
    """A planned talk, test or visit, and what the person answered about it.

    Codes only (kind, mode, status, response): the person's messages are rendered from
    them in their language, and the dashboard shows them in Dutch. ``notes`` is the
    consulent's own free text; it is never sent to the person.
    """

    __tablename__ = "appointment"
    __table_args__ = (Index("ix_appointment_case_id_starts_at", "case_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="wegwijs_case.id", ondelete="CASCADE", nullable=False)
    kind: str
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    mode: str = "in_person"  # in_person | phone | video
    place: str | None = None  # an address, or the phone number / video link
    with_role: str = "consulent"  # a role code of the municipality file
    with_name: str | None = None
    interpreter_lang: str | None = None  # an interpreter is arranged for this language
    notes: str | None = Field(default=None, sa_type=EncryptedText)  # encrypted at rest
    status: str = "planned"  # planned | changed | cancelled | done | missed
    response: str | None = None  # coming | cannot_come
    response_reason: str | None = None  # ill | work | childcare | other
    interpreter_requested: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class Reminder(SQLModel, table=True):
    """One message to send about an appointment at ``due_at``: an outbox row.

    A worker claims a row by setting ``claimed_by`` and a lease (``claim_expires_at``);
    a worker that dies leaves a lease that runs out, and another worker takes the row
    over. ``available_at`` is when it may be claimed (``due_at``, later after a failed
    send). A change of plan cancels the pending rows and schedules new ones.
    """

    __tablename__ = "reminder"
    __table_args__ = (Index("ix_reminder_status_available_at", "status", "available_at"),)

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(
        foreign_key="appointment.id", ondelete="CASCADE", nullable=False, index=True
    )
    purpose: str  # invitation | changed | cancelled | reminder
    offset_minutes: int | None = None  # for a reminder: how long before the start
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    available_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    status: str = "pending"  # pending | sent | cancelled | failed
    claimed_by: str | None = None
    claim_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    last_error: str | None = None  # an exception type, never a message
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class SendBudget(SQLModel, table=True):
    """A token bucket per channel, shared by every worker through the database: the
    channel's rate limit is per bot, not per process."""

    __tablename__ = "send_budget"

    channel: str = Field(primary_key=True)
    tokens: float = Field(sa_type=Float, nullable=False)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class User(SQLModel, table=True):
    """A dashboard user (a consulent or an admin); only a password *hash* is stored.
    The rules of the table are with its repository (``storage.repositories.users``)."""

    __tablename__ = "dashboard_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    password_hash: str
    is_admin: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    session_epoch: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    failed_logins: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Sees the caseload (a translator-only account does not); the languages whose texts
    # the user may review and correct ("ar,ti"; None = no translator).
    is_consulent: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    translates: str | None = None


class AuditEntry(SQLModel, table=True):
    """Who did what, when — never what was answered.

    No foreign key to the case: the entry that records an erasure outlives the case it
    names (by its opaque id only). ``detail`` holds codes and counts (an export format,
    the number of rows erased), never answer contents or names.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_target", "target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    actor: str  # a username, "cli", "system"
    action: str  # a stable code: "login", "case.view", "case.export", ...
    target: str | None = None  # a case id, a username, an appointment id
    detail: str | None = Field(default=None, sa_type=Text)


class LoginThrottle(SQLModel, table=True):
    """Wrong-attempt counters by key: a dashboard account or a name that is no user
    (a keyed hash of the typed name, never the name: it may be a password), each from
    one source (a keyed hash of the address, never the address); and the web chat's
    code guesses per address. Known and unknown names are counted the same way, so the
    answers are the same."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True)
    failures: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class WebMessage(SQLModel, table=True):
    """One line of a web chat's transcript: what the person sent or what Wegwijs said.

    The web page has no chat app that keeps the history, so the transcript is kept here,
    per account, the newest few only; it goes with the account (``/delete``, retention).
    ``text`` may hold the person's own words and ``document`` their data: encrypted.
    """

    __tablename__ = "web_message"
    __table_args__ = (Index("ix_web_message_account_id_id", "account_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="channel_account.id", ondelete="CASCADE", nullable=False)
    sender: str  # person | wegwijs
    lang: str | None = None  # the conversation's language when it was said
    text: str = Field(sa_type=EncryptedText, nullable=False)  # encrypted at rest
    buttons: list[list[list[str]]] | None = Field(default=None, sa_type=JSON)  # [[label, data]]
    filename: str | None = None  # a file to download (my data, a calendar file)
    document: str | None = Field(default=None, sa_type=EncryptedText)  # encrypted at rest
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class TextCorrection(SQLModel, table=True):
    """The municipality's layer over the shipped catalog: one row per reviewed text and
    language. ``forms`` None: the shipped translation was approved as it is; otherwise
    the corrected text (one string, or one per plural form). The hashes of the English
    source and of the shipped translation at review time tell a later catalog upgrade
    which reviews to mark "bron gewijzigd". ``key`` hashes context and msgid (a unique
    index on the msgid itself would be a long text)."""

    __tablename__ = "text_correction"
    __table_args__ = (UniqueConstraint("lang", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    lang: str
    key: str
    context: str = ""
    msgid: str = Field(sa_type=Text)
    forms: list[str] | None = Field(default=None, sa_type=JSON)
    source_hash: str
    shipped_hash: str
    actor: str
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)


class TextCorrectionEvent(SQLModel, table=True):
    """The history of the layer, append-only: every review, correction and undo. Its
    highest id is the layer's version, which every process polls."""

    __tablename__ = "text_correction_event"
    __table_args__ = (Index("ix_text_correction_event_lang_key", "lang", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    lang: str
    key: str
    action: str  # review | correct | revert
    forms: list[str] | None = Field(default=None, sa_type=JSON)
    source_hash: str
    shipped_hash: str
    actor: str
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
