"""Wegwijs storage: tables, sessions (SQLite default, PostgreSQL), repositories, migrations.

Knows nothing of Telegram or of the conversation's internals: conversation state is
an opaque JSON dict here. Must not import ``flows``, ``bot`` or ``review``.
"""

from storage.appointments import (
    ACTIVE_STATUSES,
    AppointmentRepository,
    Recipient,
    ReminderRepository,
)
from storage.audit import AuditRepository
from storage.caseload import CaseloadRepository
from storage.db import (
    Database,
    Session,
    StorageUnavailable,
    create_engine,
    normalize_url,
    safe_url,
    sqlite_file,
)
from storage.migrate import current_revision, downgrade, head_revision, upgrade
from storage.models import (
    Answer,
    Appointment,
    AuditEntry,
    Case,
    ChannelAccount,
    Conversation,
    LoginThrottle,
    PersonRequest,
    ProcessedUpdate,
    Reminder,
    SendBudget,
    User,
)
from storage.repositories import (
    INVITE_ALPHABET,
    AccountRepository,
    AnswerRepository,
    CaseRepository,
    ConversationRepository,
    EraseRepository,
    ErasureResult,
    PersonRequestRepository,
    UpdateRepository,
    new_invite_code,
    normalize_invite_code,
)
from storage.types import UTCDateTime
from storage.users import (
    DuplicateUser,
    LoginClaim,
    LoginThrottleRepository,
    UserRepository,
    normalize_username,
)

__all__ = [
    "ACTIVE_STATUSES",
    "INVITE_ALPHABET",
    "AccountRepository",
    "Answer",
    "AnswerRepository",
    "Appointment",
    "AppointmentRepository",
    "AuditEntry",
    "AuditRepository",
    "Case",
    "CaseRepository",
    "CaseloadRepository",
    "ChannelAccount",
    "Conversation",
    "ConversationRepository",
    "Database",
    "DuplicateUser",
    "EraseRepository",
    "ErasureResult",
    "LoginClaim",
    "LoginThrottle",
    "LoginThrottleRepository",
    "PersonRequest",
    "PersonRequestRepository",
    "ProcessedUpdate",
    "Recipient",
    "Reminder",
    "ReminderRepository",
    "SendBudget",
    "Session",
    "StorageUnavailable",
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
    "sqlite_file",
    "upgrade",
]
