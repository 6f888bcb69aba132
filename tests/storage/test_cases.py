"""Cases: created, updated through the repository, listed per consulent."""

from __future__ import annotations

from datetime import date, timedelta

from storage.db import Database
from storage.repositories import CaseRepository
from tests.clock import NOW

LATER = NOW + timedelta(hours=1)


async def test_new_case_is_open_with_opaque_id_and_no_required_label(db: Database) -> None:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW)
    assert case.status == "open"
    assert len(case.id) == 32
    assert case.label is None
    assert case.created_at == case.updated_at == NOW


async def test_updates_are_stored_and_touch_updated_at(db: Database) -> None:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW, consulent="jdevries")
    async with db.session() as s, s.begin():
        repo = CaseRepository(s)
        case = await repo.get(case.id)
        assert case is not None
        assert await repo.claim_invite(case.id, LATER)
        assert not await repo.claim_invite(case.id, LATER)  # once
        await repo.set_language(case, "ti", LATER)
        await repo.set_consent(case, "2026-11", LATER, LATER)
        await repo.set_submitted(case, LATER, LATER)
    async with db.session() as s:
        loaded = await CaseRepository(s).get(case.id)
        assert loaded is not None
        assert loaded.invite_used_at == LATER
        assert loaded.language == "ti"
        assert (loaded.consent_version, loaded.consent_at) == ("2026-11", LATER)
        assert loaded.intake_submitted_at == LATER
        assert loaded.updated_at == LATER
        assert loaded.created_at == NOW


async def test_consent_can_be_withdrawn(db: Database) -> None:
    async with db.session() as s, s.begin():
        repo = CaseRepository(s)
        case = await repo.create(now=NOW)
        await repo.set_consent(case, "2026-11", NOW, NOW)
        await repo.set_consent(case, None, None, LATER)
    async with db.session() as s:
        loaded = await CaseRepository(s).get(case.id)
        assert loaded is not None
        assert loaded.consent_version is None
        assert loaded.consent_at is None


async def test_list_filters_by_consulent(db: Database) -> None:
    async with db.session() as s, s.begin():
        repo = CaseRepository(s)
        a = await repo.create(now=NOW, consulent="anna")
        b = await repo.create(now=LATER, consulent="bram")
        c = await repo.create(now=LATER + timedelta(minutes=1), consulent="anna")
    async with db.session() as s:
        repo = CaseRepository(s)
        assert [x.id for x in await repo.list(consulent="anna")] == [a.id, c.id]
        assert [x.id for x in await repo.list()] == [a.id, b.id, c.id]
        assert await repo.list(consulent="nobody") == []


async def test_get_and_delete_of_unknown_case(db: Database) -> None:
    async with db.session() as s, s.begin():
        repo = CaseRepository(s)
        assert await repo.get("0" * 32) is None
        assert await repo.delete("0" * 32) is False


async def test_case_record_is_stored_as_plain_dates_and_can_be_cleared(db: Database) -> None:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW)
    assert (case.target_group, case.registered_on, case.pip_decided_on) == (None, None, None)
    async with db.session() as s, s.begin():
        repo = CaseRepository(s)
        loaded = await repo.get(case.id)
        assert loaded is not None
        await repo.set_record(
            loaded,
            target_group="nareiziger",
            registered_on=date(2026, 9, 1),
            pip_decided_on=date(2026, 10, 20),
            now=LATER,
        )
    async with db.session() as s:
        loaded = await CaseRepository(s).get(case.id)
        assert loaded is not None
        assert loaded.target_group == "nareiziger"
        assert loaded.registered_on == date(2026, 9, 1)
        assert type(loaded.registered_on) is date
        assert loaded.pip_decided_on == date(2026, 10, 20)
        assert loaded.updated_at == LATER
    async with db.session() as s, s.begin():
        repo = CaseRepository(s)
        loaded = await repo.get(case.id)
        assert loaded is not None
        await repo.set_record(
            loaded, target_group=None, registered_on=None, pip_decided_on=None, now=LATER
        )
    async with db.session() as s:
        loaded = await CaseRepository(s).get(case.id)
        assert loaded is not None
        assert (loaded.target_group, loaded.registered_on, loaded.pip_decided_on) == (
            None,
            None,
            None,
        )
