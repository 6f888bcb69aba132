"""Wegwijs storage: tables, sessions (SQLite default, PostgreSQL), repositories, migrations.

Knows nothing of Telegram or of the conversation's internals: conversation state is
an opaque JSON dict here. Must not import ``flows`` or ``bot``.
"""

from storage import repositories
from storage.db import (
    Database,
    Session,
    StorageUnavailable,
    create_engine,
    database_away,
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
    TextCorrection,
    TextCorrectionEvent,
    User,
    WebMessage,
)

# Every repository name, listed once in `storage.repositories.__all__`.
from storage.repositories import *  # noqa: F403
from storage.types import UTCDateTime

__all__ = [
    *repositories.__all__,
    "Answer",
    "Appointment",
    "AuditEntry",
    "Case",
    "ChannelAccount",
    "Conversation",
    "Database",
    "LoginThrottle",
    "PersonRequest",
    "ProcessedUpdate",
    "Reminder",
    "SendBudget",
    "Session",
    "StorageUnavailable",
    "TextCorrection",
    "TextCorrectionEvent",
    "UTCDateTime",
    "User",
    "WebMessage",
    "create_engine",
    "current_revision",
    "database_away",
    "downgrade",
    "head_revision",
    "normalize_url",
    "safe_url",
    "sqlite_file",
    "upgrade",
]
