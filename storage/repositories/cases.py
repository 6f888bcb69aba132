"""Cases and their invite codes: unambiguous, unique, found however typed."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Case

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_INVITE_LEN = 8
_CODE_ATTEMPTS = 10


def new_invite_code() -> str:
    """A fresh random invite code, ``XXXX-XXXX``, from ``INVITE_ALPHABET``."""
    raw = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(_INVITE_LEN))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_invite_code(code: str) -> str | None:
    """The canonical ``XXXX-XXXX`` form of what a person typed, or None if it cannot be one.

    Spaces anywhere, lower case and a missing (or misplaced) dash are forgiven.
    """
    raw = "".join(code.split()).replace("-", "").upper()
    if len(raw) != _INVITE_LEN or any(ch not in INVITE_ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:]}"


class CaseRepository:
    """Cases and their invite codes."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(
        self,
        *,
        now: datetime,
        label: str | None = None,
        language: str | None = None,
        consulent: str | None = None,
        invite_ttl: timedelta | None = timedelta(days=30),
        practice: bool = False,
    ) -> Case:
        """Create a case with a fresh invite code (``invite_ttl=None``: never expires).
        A ``practice`` case is on no caseload and is erased after a day.

        The insert runs in a SAVEPOINT so an (astronomically unlikely) code collision
        is retried with a new code without spoiling the caller's transaction.
        """
        expires = now + invite_ttl if invite_ttl is not None else None

        def fill(code: str) -> Case:
            return Case(
                invite_code=code,
                invite_expires_at=expires,
                label=label,
                language=language,
                consulent=consulent,
                practice=practice,
                created_at=now,
                updated_at=now,
            )

        return await self._with_free_code(fill)

    async def _with_free_code(self, fill: Callable[[str], Case]) -> Case:
        """Flush the case `fill` gives for a fresh code, drawing again while the code is
        taken (the unique index decides, also between processes drawing at once)."""
        for _ in range(_CODE_ATTEMPTS):
            case = fill(new_invite_code())
            try:
                async with self.session.begin_nested():
                    self.session.add(case)
                    await self.session.flush()
            except IntegrityError:
                continue
            return case
        raise RuntimeError(f"no free invite code after {_CODE_ATTEMPTS} attempts")

    async def get(self, case_id: str) -> Case | None:
        return await self.session.get(Case, case_id)

    async def by_code(self, code: str) -> Case | None:
        """The case for a typed invite code (any case, with or without dash or spaces)."""
        canonical = normalize_invite_code(code)
        if canonical is None:
            return None
        result = await self.session.exec(select(Case).where(Case.invite_code == canonical))
        return result.first()

    async def unbind_browsers(self, case_id: str, now: datetime) -> None:
        """Raise the case's binding version: every web chat cookie made before is
        refused from now on (one statement, so raises at the same moment all count)."""
        await self.session.exec(
            update(Case)
            .where(col(Case.id) == case_id)
            .values(binding_version=col(Case.binding_version) + 1, updated_at=now)
        )

    async def claim_invite(self, case_id: str, now: datetime) -> bool:
        """Mark the case's invite code used, if nobody did before: one conditional
        UPDATE, so of binds at the same moment exactly one wins (PostgreSQL re-checks
        the WHERE once the first one's row lock is free; a read, then a mark, let 14 of
        20 through). True for the winner."""
        # An ORM update: a Case loaded in this session sees the change too.
        claimed = await self.session.exec(
            update(Case)
            .where(col(Case.id) == case_id, col(Case.invite_used_at).is_(None))
            .values(invite_used_at=now, updated_at=now)
        )
        return claimed.rowcount == 1

    async def set_language(self, case: Case, lang: str | None, now: datetime) -> None:
        case.language = lang
        case.updated_at = now
        self.session.add(case)

    async def set_consent(
        self, case: Case, version: str | None, at: datetime | None, now: datetime
    ) -> None:
        """Record consent (``version`` and ``at``) or its withdrawal (both None)."""
        case.consent_version = version
        case.consent_at = at
        case.updated_at = now
        self.session.add(case)

    async def set_submitted(self, case: Case, at: datetime | None, now: datetime) -> None:
        case.intake_submitted_at = at
        case.updated_at = now
        self.session.add(case)

    async def reissue_invite(
        self, case: Case, now: datetime, invite_ttl: timedelta | None = timedelta(days=30)
    ) -> str:
        """Give the case a fresh invite code (the old one stops working at once); chats
        already bound on Telegram stay bound, browsers bound to the web chat do not (the
        binding version goes up). Returns the new code."""
        version = case.binding_version + 1

        def fill(code: str) -> Case:
            case.invite_code = code
            case.invite_expires_at = now + invite_ttl if invite_ttl is not None else None
            case.invite_used_at = None
            case.binding_version = version
            case.updated_at = now
            return case

        return (await self._with_free_code(fill)).invite_code

    async def assign(self, case: Case, consulent: str | None, now: datetime) -> None:
        """Give the case to another consulent (a dashboard username), or to nobody."""
        case.consulent = consulent
        case.updated_at = now
        self.session.add(case)

    async def set_label(self, case: Case, label: str | None, now: datetime) -> None:
        case.label = label
        case.updated_at = now
        self.session.add(case)

    async def set_record(
        self,
        case: Case,
        *,
        target_group: str | None,
        registered_on: date | None,
        pip_decided_on: date | None,
        now: datetime,
        toets_advice: str | None = None,
        route: str | None = None,
        ontzorgen_from: date | None = None,
        ontzorgen_until: date | None = None,
    ) -> None:
        """The case record as the consulent entered it (checked by the caller)."""
        case.target_group = target_group
        case.registered_on = registered_on
        case.pip_decided_on = pip_decided_on
        case.toets_advice = toets_advice
        case.route = route
        case.ontzorgen_from = ontzorgen_from
        case.ontzorgen_until = ontzorgen_until
        case.updated_at = now
        self.session.add(case)

    async def close(self, case: Case, now: datetime) -> None:
        """Close the case (status "closed", ``closed_at``); retention purges closed cases
        later. Closing a closed case keeps its first ``closed_at``."""
        if case.status != "closed" or case.closed_at is None:
            case.status = "closed"
            case.closed_at = now
            case.updated_at = now
            self.session.add(case)

    async def list(self, *, consulent: str | None = None) -> list[Case]:
        """All cases, or one consulent's caseload, oldest first; practice cases are
        nobody's and are never listed."""
        stmt = select(Case).where(col(Case.practice).is_(False))
        if consulent is not None:
            stmt = stmt.where(Case.consulent == consulent)
        result = await self.session.exec(stmt.order_by(col(Case.created_at), col(Case.id)))
        return list(result.all())

    async def delete(self, case_id: str) -> bool:
        """Erase a case and, through ON DELETE CASCADE, all its rows. True if it existed.

        Objects of the case already loaded in this session are stale afterwards.
        """
        result = await self.session.exec(delete(Case).where(col(Case.id) == case_id))
        return result.rowcount > 0

    async def closed_before(self, cutoff: datetime) -> list[str]:
        """The ids of the cases closed before ``cutoff``, oldest first (for retention)."""
        result = await self.session.exec(
            select(Case.id)
            .where(Case.status == "closed", col(Case.closed_at) < cutoff)
            .order_by(col(Case.closed_at), col(Case.id))
        )
        return list(result.all())

    async def practice_created_before(self, cutoff: datetime) -> list[str]:
        """The ids of the practice cases made before ``cutoff``, oldest first."""
        result = await self.session.exec(
            select(Case.id)
            .where(col(Case.practice).is_(True), col(Case.created_at) < cutoff)
            .order_by(col(Case.created_at), col(Case.id))
        )
        return list(result.all())
