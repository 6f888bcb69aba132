"""Wegwijs storage: tables, sessions (SQLite default, PostgreSQL), repositories, migrations.

Knows nothing of Telegram or of the conversation's internals: conversation state is
an opaque JSON dict here. Must not import ``flows``, ``bot`` or ``review``.
"""

from storage.appointments import (
    ACTIVE_STATUSES,
    AppointmentRepository,
    Recipient,
    ReminderRepository,
    SendBudget,
)
from storage.audit import AuditEntry, AuditRepository
from storage.db import Database, StorageUnavailable, create_engine, normalize_url, safe_url
from storage.migrate import current_revision, downgrade, head_revision, upgrade
from storage.models import (
    Answer,
    Appointment,
    Case,
    ChannelAccount,
    Conversation,
    PersonRequest,
    ProcessedUpdate,
    Reminder,
)
from storage.repositories import (
    INVITE_ALPHABET,
    AccountRepository,
    AccountRow,
    AnswerRepository,
    CaseRepository,
    CaseRow,
    ConversationRepository,
    EraseRepository,
    ErasureResult,
    NewAnswer,
    PersonRequestRepository,
    StandingAnswer,
    Turn,
    TurnRepository,
    UpdateRepository,
    new_invite_code,
    normalize_invite_code,
)
from storage.types import UTCDateTime
from storage.users import User, UserRepository, normalize_username

__all__ = [
    "ACTIVE_STATUSES",
    "INVITE_ALPHABET",
    "AccountRepository",
    "AccountRow",
    "Answer",
    "AnswerRepository",
    "Appointment",
    "AppointmentRepository",
    "AuditEntry",
    "AuditRepository",
    "Case",
    "CaseRepository",
    "CaseRow",
    "ChannelAccount",
    "Conversation",
    "ConversationRepository",
    "Database",
    "EraseRepository",
    "ErasureResult",
    "NewAnswer",
    "PersonRequest",
    "PersonRequestRepository",
    "ProcessedUpdate",
    "Recipient",
    "Reminder",
    "ReminderRepository",
    "SendBudget",
    "StandingAnswer",
    "StorageUnavailable",
    "Turn",
    "TurnRepository",
    "UTCDateTime",
    "UpdateRepository",
    "User",
    "UserRepository",
    "create_engine",
    "current_revision",
    "downgrade",
    "head_revision",
    "new_invite_code",
    "normalize_invite_code",
    "normalize_url",
    "normalize_username",
    "safe_url",
    "upgrade",
]
