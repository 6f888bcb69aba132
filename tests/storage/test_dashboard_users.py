"""The dashboard's tables on SQLite and PostgreSQL: users, the audit log, and the case
changes the dashboard makes (invite again, assign, label, close)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import (
    AuditRepository,
    CaseRepository,
    Database,
    DuplicateUser,
    EraseRepository,
    UserRepository,
    normalize_username,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_usernames_are_normalised() -> None:
    assert normalize_username("  Anna.deVries ") == "anna.devries"
    assert normalize_username("a") is None
    assert normalize_username("anna devries") is None
    assert normalize_username("-anna") is None


async def test_users_are_unique_by_their_normalised_name(db: Database) -> None:
    async with db.session() as s, s.begin():
        users = UserRepository(s)
        anna = await users.create("Anna", "hash", now=NOW)
        assert anna.username == "anna" and not anna.is_admin
        assert (await users.by_username("ANNA ")) is not None
        assert await users.count() == 1
    with pytest.raises(DuplicateUser):  # the unique index, as storage's own exception
        async with db.session() as s, s.begin():
            await UserRepository(s).create("anna", "other", now=NOW)
    with pytest.raises(ValueError):
        async with db.session() as s, s.begin():
            await UserRepository(s).create("no spaces", "x", now=NOW)


async def test_login_bookkeeping_and_ending_sessions(db: Database) -> None:
    async with db.session() as s, s.begin():
        users = UserRepository(s)
        user = await users.create("anna", "hash", now=NOW)
        await users.login_failed(user, NOW + timedelta(minutes=1))
        await users.end_sessions(user)
    async with db.session() as s, s.begin():
        users = UserRepository(s)
        user = await users.by_username("anna")
        assert user is not None
        assert (user.failed_logins, user.locked_until, user.session_epoch) == (
            1,
            NOW + timedelta(minutes=1),
            1,
        )
        await users.login_succeeded(user, NOW)
        await users.set_password(user, "new hash")
    async with db.session() as s:
        user = await UserRepository(s).by_username("anna")
        assert user is not None
        assert (user.failed_logins, user.locked_until, user.last_login_at) == (0, None, NOW)
        assert (user.password_hash, user.session_epoch) == ("new hash", 2)


async def test_the_audit_log_lists_newest_first_and_filters(db: Database) -> None:
    async with db.session() as s, s.begin():
        audit = AuditRepository(s)
        for minute, (actor, action) in enumerate(
            [
                ("anna", "login"),
                ("anna", "case.view"),
                ("bram", "case.export"),
                ("cli", "case.export"),
            ]
        ):
            await audit.record(
                actor=actor,
                action=action,
                target="c1" if "case" in action else None,
                at=NOW + timedelta(minutes=minute),
                detail="csv" if "export" in action else None,
            )
    async with db.session() as s:
        audit = AuditRepository(s)
        assert [e.action for e in await audit.list()] == [
            "case.export",
            "case.export",
            "case.view",
            "login",
        ]
        assert [e.actor for e in await audit.list(action="case.export")] == ["cli", "bram"]
        assert [e.action for e in await audit.list(action="case.")] == [
            "case.export",
            "case.export",
            "case.view",
        ]
        assert [e.actor for e in await audit.list(actor="anna", limit=1)] == ["anna"]
        assert len(await audit.list(target="c1", offset=1)) == 2
        assert await audit.count() == 4


async def test_the_audit_log_outlives_an_erased_case(db: Database) -> None:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW, consulent="anna")
        await AuditRepository(s).record(actor="anna", action="case.view", target=case.id, at=NOW)
    async with db.session() as s, s.begin():
        await EraseRepository(s).erase_case(case.id)
    async with db.session() as s:
        assert [e.target for e in await AuditRepository(s).list()] == [case.id]


async def test_case_changes_from_the_dashboard(db: Database) -> None:
    later = NOW + timedelta(hours=1)
    async with db.session() as s, s.begin():
        cases = CaseRepository(s)
        case = await cases.create(now=NOW, consulent="anna")
        old = case.invite_code
        assert await cases.claim_invite(case.id, NOW)
        new = await cases.reissue_invite(case, later)
        await cases.assign(case, "bram", later)
        await cases.set_label(case, "gezin Haddad", later)
        await cases.close(case, later)
        await cases.close(case, later + timedelta(days=1))  # the first closing stays
    async with db.session() as s:
        cases = CaseRepository(s)
        assert await cases.by_code(old) is None
        fresh = await cases.by_code(new)
        assert fresh is not None and fresh.invite_used_at is None
        assert fresh.invite_expires_at == later + timedelta(days=30)
        assert (fresh.consulent, fresh.label, fresh.status, fresh.closed_at) == (
            "bram",
            "gezin Haddad",
            "closed",
            later,
        )
        assert [c.id for c in await cases.list(consulent="bram")] == [fresh.id]
