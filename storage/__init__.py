"""Wegwijs storage: tables, sessions (SQLite default, PostgreSQL), repositories, migrations.

Knows nothing of Telegram or of the conversation's internals: conversation state is
an opaque JSON dict here. Must not import ``flows``, ``bot`` or ``review``.
"""

from storage.db import Database, StorageUnavailable, create_engine, normalize_url, safe_url
from storage.migrate import current_revision, downgrade, head_revision, upgrade
from storage.models import (
    Answer,
    Case,
    ChannelAccount,
    Conversation,
    PersonRequest,
    ProcessedUpdate,
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

__all__ = [
    "INVITE_ALPHABET",
    "AccountRepository",
    "Answer",
    "AnswerRepository",
    "Case",
    "CaseRepository",
    "ChannelAccount",
    "Conversation",
    "ConversationRepository",
    "Database",
    "EraseRepository",
    "ErasureResult",
    "PersonRequest",
    "PersonRequestRepository",
    "ProcessedUpdate",
    "StorageUnavailable",
    "UTCDateTime",
    "UpdateRepository",
    "create_engine",
    "current_revision",
    "downgrade",
    "head_revision",
    "new_invite_code",
    "normalize_invite_code",
    "normalize_url",
    "safe_url",
    "upgrade",
]
