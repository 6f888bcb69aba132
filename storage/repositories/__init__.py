"""Thin data access on one ``AsyncSession``.

Repositories never commit: the caller owns the one transaction in which a message's
state, answers and processed update id are saved together (a crash can cost a reply,
never an answer). Every time comes in as an argument; storage never reads the clock.

One module per aggregate; this package re-exports them all.
"""

from storage.repositories.accounts import LAST_SEEN_PRECISION, AccountRepository
from storage.repositories.answers import AnswerRepository
from storage.repositories.cases import (
    INVITE_ALPHABET,
    CaseRepository,
    new_invite_code,
    normalize_invite_code,
)
from storage.repositories.conversations import ConversationRepository
from storage.repositories.corrections import CorrectionRepository, LayerEntry
from storage.repositories.erasure import EraseRepository, ErasureResult
from storage.repositories.requests import PersonRequestRepository
from storage.repositories.turns import (
    AccountRow,
    CaseRow,
    NewAnswer,
    StandingAnswer,
    Turn,
    TurnRepository,
)
from storage.repositories.updates import UpdateRepository
from storage.repositories.webchat import NewLine, WebAccount, WebChatRepository, WebLine

__all__ = [
    "INVITE_ALPHABET",
    "LAST_SEEN_PRECISION",
    "AccountRepository",
    "AccountRow",
    "AnswerRepository",
    "CaseRepository",
    "CaseRow",
    "ConversationRepository",
    "CorrectionRepository",
    "EraseRepository",
    "ErasureResult",
    "LayerEntry",
    "NewAnswer",
    "NewLine",
    "PersonRequestRepository",
    "StandingAnswer",
    "Turn",
    "TurnRepository",
    "UpdateRepository",
    "WebAccount",
    "WebChatRepository",
    "WebLine",
    "new_invite_code",
    "normalize_invite_code",
]
