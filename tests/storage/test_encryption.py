"""Encryption at rest: free text never stored readable, codes stay queryable, old
plaintext still read, keys rotated with ``storage.keys.rotate``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from storage.crypto import PREFIX, UNREADABLE, KeyRing, Undecryptable, derive_key
from storage.db import Database
from storage.keys import KeyProblem, Rotation, check_keys, encrypted_columns, rotate
from storage.models import Answer, Appointment
from storage.repositories import AnswerRepository, CaseRepository
from tests.clock import NOW
from tests.conftest import TestDatabase

KEY = "k" * 20 + "-current-test-key"
OLD = "o" * 20 + "-old-test-key"
WORDS = "أريد أن أعمل ممرضة"  # "I want to work as a nurse"
NOTE = "Wil graag verpleegkundige worden; tolk Arabisch regelen"
LABEL = "gezin Haddad"


@pytest.fixture
async def open_db(database_url: TestDatabase) -> AsyncIterator:
    """Open the test's database with a given key ring; every one is disposed after."""
    opened: list[Database] = []

    def open_with(ring: KeyRing | None) -> Database:
        database = Database(database_url.url, schema=database_url.schema, key_ring=ring)
        opened.append(database)
        return database

    yield open_with
    for database in opened:
        await database.dispose()


async def _store(db: Database, words: str = WORDS) -> str:
    async with db.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW, label=LABEL)
        await AnswerRepository(s).record(case.id, "goals.year", free_text=words, at=NOW)
        await AnswerRepository(s).record(case.id, "reading.dutch", codes=["some"], at=NOW)
        s.add(
            Appointment(
                case_id=case.id,
                kind="brede_intake",
                starts_at=NOW + timedelta(days=3),
                ends_at=NOW + timedelta(days=3, hours=1),
                notes=NOTE,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        return case.id


async def _stored(db: Database) -> list[str]:
    """The raw stored values of every encrypted column, as the database holds them."""
    values = []
    async with db.session() as s:
        for table, column in encrypted_columns():
            result = await s.exec(
                text(f"SELECT {column.name} FROM {table.name} WHERE {column.name} IS NOT NULL")
            )
            values += [row[0] for row in result]
    return values


def test_the_encrypted_columns_are_the_free_text_ones() -> None:
    assert {f"{t.name}.{c.name}" for t, c in encrypted_columns()} == {
        "wegwijs_case.label",  # the consulent's own name for the case: often a name
        "answer.free_text",
        "appointment.notes",
        "web_message.text",  # a web chat's transcript: the person's own words
        "web_message.document",  # and their data file (/mydata)
    }


def test_a_key_ring_round_trips_and_marks_its_ciphertext() -> None:
    ring = KeyRing(KEY)
    stored = ring.encrypt(WORDS)
    assert stored.startswith(PREFIX) and WORDS not in stored
    assert ring.encrypt(WORDS) != stored  # a fresh IV every time
    assert ring.decrypt(stored) == WORDS
    assert ring.decrypt("plain from before") == "plain from before"
    with pytest.raises(Undecryptable):
        KeyRing(OLD).decrypt(stored)
    assert derive_key(KEY) == derive_key(KEY) != derive_key(OLD)


def test_bad_key_settings_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match=r"WEGWIJS_SECRET_KEY .* at least 16 characters"):
        KeyRing("short")
    with pytest.raises(ValueError, match="WEGWIJS_SECRET_KEY is not"):
        KeyRing.from_settings(None, OLD)
    assert KeyRing.from_settings("  ", None) is None
    ring = KeyRing.from_settings(KEY, f" {OLD} ,")
    assert ring is not None and ring.decrypt(KeyRing(OLD).encrypt("x")) == "x"


async def test_free_text_is_stored_encrypted_and_read_back_decrypted(open_db) -> None:
    db = open_db(KeyRing(KEY))
    case_id = await _store(db)
    stored = await _stored(db)
    assert len(stored) == 3 and all(v.startswith(PREFIX) for v in stored)
    assert not any(WORDS in v or NOTE in v or LABEL in v for v in stored)
    async with db.session(readonly=True) as s:
        answers = await AnswerRepository(s).all(case_id)
        assert [a.free_text for a in answers if a.free_text] == [WORDS]
        notes = (await s.exec(select(Appointment.notes))).all()
        assert notes == [NOTE]
        case = await CaseRepository(s).get(case_id)
        assert case is not None and case.label == LABEL
        # Codes stay plain and queryable.
        found = await s.exec(select(Answer).where(col(Answer.question_id) == "reading.dutch"))
        assert found.one().codes == ["some"]
    assert await check_keys(db) == _status(encrypted=3, plaintext=0)


async def test_the_sqlite_file_holds_no_plaintext(open_db, database_url: TestDatabase) -> None:
    if database_url.dialect != "sqlite":
        pytest.skip("a file check; the rows themselves are checked on both databases")
    db = open_db(KeyRing(KEY))
    await _store(db)
    await db.dispose()  # checkpoints the WAL into the file
    path = Path(database_url.url.removeprefix("sqlite+aiosqlite:///"))
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    content = b"".join(p.read_bytes() for p in files)
    for secret in (WORDS, NOTE, LABEL, "ممرضة", "verpleegkundige", "Haddad"):
        assert secret.encode() not in content, secret


async def test_without_a_key_text_is_plain_and_stays_readable_with_one(open_db) -> None:
    plain = open_db(None)
    case_id = await _store(plain, "from before the key")
    assert await check_keys(plain) == _status(encrypted=0, plaintext=3)
    keyed = open_db(KeyRing(KEY))
    async with keyed.session() as s:
        assert [a.free_text for a in await AnswerRepository(s).all(case_id) if a.free_text] == [
            "from before the key"
        ]
    assert await rotate(keyed) == Rotation(encrypted=3)
    assert all(v.startswith(PREFIX) for v in await _stored(keyed))
    assert await rotate(keyed) == Rotation(unchanged=3)  # nothing left to do


async def test_rotation_moves_every_value_to_the_new_key(open_db) -> None:
    old = open_db(KeyRing(OLD))
    case_id = await _store(old)
    both = open_db(KeyRing(KEY, [OLD]))
    async with both.session() as s:  # readable under the ring before the rotation
        assert WORDS in [a.free_text for a in await AnswerRepository(s).all(case_id)]
    assert await rotate(both) == Rotation(rotated=3)
    new_only = open_db(KeyRing(KEY))
    assert await check_keys(new_only) == _status(encrypted=3, plaintext=0)
    async with new_only.session() as s:
        assert WORDS in [a.free_text for a in await AnswerRepository(s).all(case_id)]
        assert (await s.exec(select(Appointment.notes))).all() == [NOTE]


async def test_encrypted_text_without_the_key_stops_the_start_not_the_conversation(
    open_db,
) -> None:
    case_id = await _store(open_db(KeyRing(OLD)))
    with pytest.raises(KeyProblem, match="WEGWIJS_SECRET_KEY is not set"):
        await check_keys(open_db(None))
    wrong = open_db(KeyRing(KEY))
    with pytest.raises(KeyProblem, match="neither WEGWIJS_SECRET_KEY nor"):
        await check_keys(wrong)
    with pytest.raises(KeyProblem, match="WEGWIJS_OLD_SECRET_KEYS"):
        await rotate(wrong)
    with pytest.raises(KeyProblem, match="no key to rotate to"):
        await rotate(open_db(None))
    # Read anyway (a value of another key slipped past the start-up check): a marker,
    # never a crash, and the stored value is kept as it was.
    async with wrong.session() as s:
        texts = [a.free_text for a in await AnswerRepository(s).all(case_id) if a.free_text]
    assert texts == [UNREADABLE]
    assert all(v.startswith(PREFIX) for v in await _stored(wrong))


async def test_plaintext_that_looks_like_ciphertext_is_read_as_typed(open_db) -> None:
    """Typed before a key was set: must neither read as "[encrypted …]" nor stop the start."""
    looks = ["fernet:hallo", "fernet:gAAAAA" + "x" * 120, PREFIX]
    plain = open_db(None)
    async with plain.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW)
        for n, words in enumerate(looks):
            await AnswerRepository(s).record(case.id, f"q{n}", free_text=words, at=NOW)
    for db in (plain, open_db(KeyRing(KEY))):
        await check_keys(db)  # no KeyProblem
        async with db.session() as s:
            texts = [a.free_text for a in await AnswerRepository(s).all(case.id)]
        assert texts == looks
    keyed = open_db(KeyRing(KEY))
    assert await rotate(keyed) == Rotation(encrypted=3)
    async with keyed.session() as s:
        assert [a.free_text for a in await AnswerRepository(s).all(case.id)] == looks


async def test_rotation_keeps_a_note_saved_while_it_runs(
    open_db, database_url: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A consulent saves a note between the rotation's read and its write (PostgreSQL;
    on SQLite they cannot interleave: the rotation's transaction holds the write lock)."""
    if database_url.dialect != "postgresql":
        pytest.skip("on SQLite the rotation's transaction holds the only write lock")
    import storage.keys

    await _store(open_db(KeyRing(OLD)))
    both = open_db(KeyRing(KEY, [OLD]))
    replace = storage.keys._replace

    async def save_first(session, column, row, stored, new) -> bool:
        if column.table.name == "appointment":
            async with both.session() as other, other.begin():
                appointment = (await other.exec(select(Appointment))).one()
                appointment.notes = "nieuw: tolk Tigrinya"
                other.add(appointment)
        return await replace(session, column, row, stored, new)

    monkeypatch.setattr(storage.keys, "_replace", save_first)
    assert await rotate(both) == Rotation(rotated=2, unchanged=1)
    async with open_db(KeyRing(KEY)).session() as s:  # the new key alone reads it all
        assert (await s.exec(select(Appointment.notes))).all() == ["nieuw: tolk Tigrinya"]


async def test_rotation_works_in_batches(open_db, monkeypatch: pytest.MonkeyPatch) -> None:
    import storage.keys

    monkeypatch.setattr(storage.keys, "_BATCH", 2)
    plain = open_db(None)
    async with plain.session() as s, s.begin():
        case = await CaseRepository(s).create(now=NOW)
        for n in range(5):
            await AnswerRepository(s).record(case.id, f"q{n}", free_text=f"text {n}", at=NOW)
    keyed = open_db(KeyRing(KEY))
    assert await rotate(keyed) == Rotation(encrypted=5)
    async with keyed.session() as s:
        texts = sorted(a.free_text or "" for a in await AnswerRepository(s).all(case.id))
    assert texts == [f"text {n}" for n in range(5)]


def _status(*, encrypted: int, plaintext: int):
    from storage.keys import KeyStatus

    return KeyStatus(encrypted=encrypted, plaintext=plaintext)
