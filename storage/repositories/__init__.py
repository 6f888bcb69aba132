"""Thin data access on one ``AsyncSession``.

Repositories never commit: the caller owns the one transaction in which a message's
state, answers and processed update id are saved together (a crash can cost a reply,
never an answer). Every time comes in as an argument; storage never reads the clock.

One module per aggregate; this package re-exports them all.
"""

from storage.repositories.accounts import LAST_SEEN_PRECISION, AccountRepository
from storage.repositories.answers import AnswerRepository, NewAnswer
from storage.repositories.appointments import ACTIVE_STATUSES, AppointmentRepository, Recipient
from storage.repositories.audit import AuditRepository
from storage.repositories.caseload import CaseloadRepository
from storage.repositories.cases import (
    INVITE_ALPHABET,
    CaseRepository,
    new_invite_code,
    normalize_invite_code,
)
from storage.repositories.conversations import ConversationRepository
from storage.repositories.corrections import CorrectionRepository, LayerEntry
from storage.repositories.erasure import EraseRepository, ErasureResult
from storage.repositories.login_throttle import LockPolicy, LoginClaim, LoginThrottleRepository
from storage.repositories.reminders import ReminderRepository
from storage.repositories.requests import PersonRequestRepository
from storage.repositories.snapshots import (
    AccountRow,
    CaseRow,
    ChatSnapshot,
    SnapshotRepository,
    StandingAnswer,
)
from storage.repositories.updates import UpdateRepository
from storage.repositories.users import DuplicateUser, UserRepository, normalize_username
from storage.repositories.webchat import NewLine, WebAccount, WebChatRepository, WebLine

__all__ = [
    "ACTIVE_STATUSES",
    "INVITE_ALPHABET",
    "LAST_SEEN_PRECISION",
    "AccountRepository",
    "AccountRow",
    "AnswerRepository",
    "AppointmentRepository",
    "AuditRepository",
    "CaseRepository",
    "CaseRow",
    "CaseloadRepository",
    "ChatSnapshot",
    "ConversationRepository",
    "CorrectionRepository",
    "DuplicateUser",
    "EraseRepository",
    "ErasureResult",
    "LayerEntry",
    "LockPolicy",
    "LoginClaim",
    "LoginThrottleRepository",
    "NewAnswer",
    "NewLine",
    "PersonRequestRepository",
    "Recipient",
    "ReminderRepository",
    "SnapshotRepository",
    "StandingAnswer",
    "UpdateRepository",
    "UserRepository",
    "WebAccount",
    "WebChatRepository",
    "WebLine",
    "new_invite_code",
    "normalize_invite_code",
    "normalize_username",
]
