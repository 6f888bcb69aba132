"""Invite codes: unambiguous, unique, and found however a person types them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

import storage.repositories.cases as cases
from storage.db import Database
from storage.repositories import INVITE_ALPHABET, CaseRepository, normalize_invite_code
from tests.clock import NOW

CODE_RE = re.compile(rf"^[{INVITE_ALPHABET}]{{4}}-[{INVITE_ALPHABET}]{{4}}$")


def test_alphabet_has_no_look_alikes() -> None:
    assert not set("01OIL") & set(INVITE_ALPHABET)


async def test_invite_codes_are_unique_and_well_formed(db: Database) -> None:
    async with db.session() as s, s.begin():
        repo = CaseRepository(s)
        cases = [await repo.create(now=NOW) for _ in range(50)]
    codes = [c.invite_code for c in cases]
    assert len(set(codes)) == len(codes)
    assert all(CODE_RE.match(code) for code in codes), codes


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c,
        lambda c: c.lower(),
        lambda c: c.replace("-", ""),
        lambda c: c.replace("-", "").lower(),
        lambda c: " " + c[:2] + " " + c[2:6] + "  " + c[6:] + " ",
        lambda c: c[:4] + " " + c[5:],
    ],
    ids=["exact", "lower", "no-dash", "lower-no-dash", "spaces", "space-for-dash"],
)
async def test_invite_code_is_found_however_typed(db: Database, typed) -> None:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW, label="Familie A.")
    async with db.session() as s:
        found = await CaseRepository(s).by_code(typed(case.invite_code))
        assert found is not None
        assert found.id == case.id


@pytest.mark.parametrize("typed", ["", "ABC", "ABCD-EFGH-J", "ABCD-EFG0", "ÄBCD-EFGH", "/start"])
async def test_impossible_codes_find_nothing(db: Database, typed: str) -> None:
    async with db.session() as s:
        assert await CaseRepository(s).by_code(typed) is None


def test_normalize_invite_code() -> None:
    assert normalize_invite_code(" abcd efgh ") == "ABCD-EFGH"
    assert normalize_invite_code("ab-cdefgh") == "ABCD-EFGH"
    assert normalize_invite_code("ABCD-EFG1") is None


async def test_code_collision_is_retried_without_spoiling_the_transaction(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with db.session() as s, s.begin():
        first = await CaseRepository(s).create(now=NOW)
        codes = iter([first.invite_code, first.invite_code, "WXYZ-2345"])
        monkeypatch.setattr(cases, "new_invite_code", lambda: next(codes))
        second = await CaseRepository(s).create(now=NOW)
        assert second.invite_code == "WXYZ-2345"
    async with db.session() as s:
        assert {c.id for c in await CaseRepository(s).list()} == {first.id, second.id}


async def test_invite_ttl(db: Database) -> None:
    async with db.session() as s, s.begin():
        repo = CaseRepository(s)
        week = await repo.create(now=NOW, invite_ttl=timedelta(days=7))
        forever = await repo.create(now=NOW, invite_ttl=None)
    assert week.invite_expires_at == NOW + timedelta(days=7)
    assert forever.invite_expires_at is None
