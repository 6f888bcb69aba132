"""The web chat's transcripts and practice cases, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from storage import (
    AccountRepository,
    CaseRepository,
    ConversationRepository,
    EraseRepository,
    LoginThrottleRepository,
    NewLine,
    PersonRequestRepository,
    WebChatRepository,
)
from storage.db import Database
from storage.repositories.webchat import KEEP
from tests.clock import NOW


async def _account(db: Database, external_id: int = 7, *, practice: bool = False) -> int:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW, practice=practice)
        accounts = AccountRepository(s)
        account = await accounts.get_or_create("web", external_id, NOW)
        await accounts.bind(account, case.id, NOW)
        assert account.id is not None
        return account.id


async def test_lines_come_back_in_order_with_their_files(db: Database) -> None:
    account_id = await _account(db)
    async with db.session() as s, s.begin():
        newest = await WebChatRepository(s).append(
            account_id,
            [
                NewLine("person", "ik wil werken"),
                NewLine("wegwijs", "Dank je", lang="nl", buttons=[[["Ja", "a:q:yes"]]]),
                NewLine("wegwijs", "", lang="nl", filename="x.json", document='{"a": 1}'),
            ],
            NOW,
        )
    async with db.session() as s:
        store = WebChatRepository(s)
        lines = await store.lines(account_id)
        account = await store.account("web", 7)
        assert await store.file(account_id, newest) == ("x.json", '{"a": 1}')
        assert await store.file(account_id, lines[0].id or 0) is None  # no file on it
        assert await store.file(account_id + 1, newest) is None  # not this account's
    assert [line.text for line in lines] == ["ik wil werken", "Dank je", ""]
    assert lines[1].buttons == [[["Ja", "a:q:yes"]]]
    assert account is not None and account.last_message == newest and not account.practice


async def test_only_the_newest_lines_are_kept(db: Database) -> None:
    account_id = await _account(db)
    other = await _account(db, 8)
    for number in range(KEEP + 15):
        async with db.session() as s, s.begin():
            store = WebChatRepository(s)
            await store.append(account_id, [NewLine("person", f"line {number}")], NOW)
            if number < 3:
                await store.append(other, [NewLine("person", f"other {number}")], NOW)
    async with db.session() as s:
        lines = await WebChatRepository(s).lines(account_id, limit=1000)
        others = await WebChatRepository(s).lines(other, limit=1000)
    assert len(lines) == KEEP and lines[-1].text == f"line {KEEP + 14}"
    assert len(others) == 3  # another account's lines are not touched


async def test_the_account_knows_its_language_and_practice(db: Database) -> None:
    account_id = await _account(db, practice=True)
    async with db.session() as s, s.begin():
        await ConversationRepository(s).save(account_id, {"lang": "ar", "bilingual": False}, NOW)
    async with db.session() as s:
        account = await WebChatRepository(s).account("web", 7)
        assert await WebChatRepository(s).account("web", 999) is None
        assert await WebChatRepository(s).account("telegram", 7) is None
    assert account is not None and account.practice and account.last_message == 0
    assert account.conversation is not None and '"ar"' in account.conversation


async def test_erasing_the_person_takes_the_transcript(db: Database) -> None:
    account_id = await _account(db)
    async with db.session() as s, s.begin():
        await WebChatRepository(s).append(account_id, [NewLine("person", "geheim")], NOW)
    async with db.session() as s, s.begin():
        result = await EraseRepository(s).erase_account(account_id)
    assert result.cases == 1
    async with db.session() as s:
        assert await WebChatRepository(s).lines(account_id) == []


async def test_practice_cases_are_on_no_list(db: Database) -> None:
    await _account(db, practice=True)
    async with db.session() as s, s.begin():
        real = await CaseRepository(s).create(now=NOW)
        practice = await CaseRepository(s).create(now=NOW, practice=True)
        for case in (real, practice):
            await PersonRequestRepository(s).create(case.id, "web", now=NOW)
    async with db.session() as s:
        listed = await CaseRepository(s).list()
        requests = await PersonRequestRepository(s).open_all()
        old = await CaseRepository(s).practice_created_before(NOW + timedelta(seconds=1))
        young = await CaseRepository(s).practice_created_before(NOW)
    assert [case.id for case in listed] == [real.id]
    assert [request.case_id for request in requests] == [real.id]
    assert len(old) == 2 and young == []


async def test_a_refunded_attempt_is_not_counted(db: Database) -> None:
    def never(_count: int, _now: object) -> None:
        return None

    async with db.session() as s, s.begin():
        throttle = LoginThrottleRepository(s)
        await throttle.claim_name("webchat:x", NOW, never)
        await throttle.claim_name("webchat:x", NOW, never)
        await throttle.refund_name("webchat:x")
        await throttle.refund_name("webchat:x")
        await throttle.refund_name("webchat:x")  # never below zero

        def seen(count: int, _now: object) -> None:
            assert count == 1

        await throttle.claim_name("webchat:x", NOW, seen)
