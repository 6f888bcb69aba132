"""Keys of the encrypted columns over a whole database: checking them at start-up, and
rotating (``wegwijs keys rotate``).

Works on the stored values themselves (``fernet:…`` or plaintext from before a key was
set), column by column for every ``EncryptedText`` column in ``SQLModel.metadata``, so a
column added later is covered without changes here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Table, Text, func, select, type_coerce, update
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.crypto import TOKEN_START, EncryptedText, KeyRing, Undecryptable, is_encrypted
from storage.db import Database

__all__ = ["KeyProblem", "KeyStatus", "Rotation", "check_keys", "encrypted_columns", "rotate"]

_BATCH = 500
_SAMPLES = 20  # encrypted-looking values tried at start-up before giving up on a column


class KeyProblem(Exception):
    """The stored text cannot be read with the configured keys; the message says what to do."""


@dataclass(frozen=True)
class KeyStatus:
    """How many free-text values are stored encrypted and how many still in plaintext."""

    encrypted: int
    plaintext: int


@dataclass(frozen=True)
class Rotation:
    """What a rotation did: counts only."""

    encrypted: int = 0  # plaintext values now encrypted
    rotated: int = 0  # values of an older key now under the current one
    unchanged: int = 0  # already under the current key


def encrypted_columns() -> list[tuple[Table, Column[str]]]:
    """Every (table, column) whose type is ``EncryptedText``, in dependency order."""
    return [
        (table, column)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    ]


def _raw(column: Column[str]) -> object:
    """The column as stored, without the decrypting type."""
    return type_coerce(column, Text)


def _primary_key(table: Table) -> Column[object]:
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        raise TypeError(f"{table.name}: encrypted columns need a single-column primary key")
    return keys[0]


async def check_keys(db: Database) -> KeyStatus:
    """Count encrypted and plaintext values, and make sure the keys can read them.

    Raises ``KeyProblem`` when encrypted text is stored but no key is configured, or when
    the configured keys cannot decrypt a sample of it (the wrong key): starting anyway
    would show "[encrypted with another key]" in place of people's answers.
    """
    ring = db.key_ring
    encrypted = plaintext = 0
    async with db.session(readonly=True) as session:
        for table, column in encrypted_columns():
            raw = _raw(column)
            is_cipher = raw.startswith(TOKEN_START)  # type: ignore[attr-defined]
            counts = await session.exec(
                select(func.count().filter(is_cipher), func.count().filter(~is_cipher)).where(
                    column.is_not(None)
                )
            )
            here, plain = counts.one()
            encrypted, plaintext = encrypted + here, plaintext + plain
            if not here:
                continue
            where = f"{table.name}.{column.name}"
            connection = await session.connection()
            candidates = await connection.execute(select(raw).where(is_cipher).limit(_SAMPLES))
            samples = [value for value in candidates.scalars() if is_encrypted(value)]
            if not samples:
                continue  # plaintext that only looks like ours (typed before a key was set)
            if ring is None:
                raise KeyProblem(
                    f"{where} holds encrypted text but WEGWIJS_SECRET_KEY is not set: "
                    "set it to the key that encrypted it"
                )
            if not _any_decrypts(ring, samples):
                raise KeyProblem(
                    f"{where} holds text that neither WEGWIJS_SECRET_KEY nor "
                    "WEGWIJS_OLD_SECRET_KEYS can decrypt: set the key that encrypted it "
                    "(a new key goes in WEGWIJS_SECRET_KEY, the old one in "
                    "WEGWIJS_OLD_SECRET_KEYS, then run `wegwijs keys rotate`)"
                )
    return KeyStatus(encrypted=encrypted, plaintext=plaintext)


def _any_decrypts(ring: KeyRing, samples: list[str]) -> bool:
    for sample in samples:
        try:
            ring.decrypt(sample)
        except Undecryptable:
            continue
        return True
    return False


async def rotate(db: Database) -> Rotation:
    """Encrypt every free-text value with the current key: plaintext is encrypted,
    values of older keys are re-encrypted, values already under it stay.

    Runs in short transactions of a few hundred rows, so the bot keeps working on
    SQLite meanwhile; an interrupted rotation is simply run again. Raises
    ``KeyProblem`` without a current key, or for a value no configured key decrypts
    (rows before it in that column are already done).
    """
    ring = db.key_ring
    if ring is None:
        raise KeyProblem("WEGWIJS_SECRET_KEY is not set: there is no key to rotate to")
    encrypted = rotated = unchanged = 0
    for table, column in encrypted_columns():
        key = _primary_key(table)
        after: object = None
        while True:
            async with db.session() as session, session.begin():
                query = select(key, _raw(column)).where(column.is_not(None))
                if after is not None:
                    query = query.where(key > after)
                rows = (await session.exec(query.order_by(key).limit(_BATCH))).all()
                for row_key, stored in rows:
                    try:
                        new = ring.reencrypt(stored)
                    except Undecryptable:
                        raise KeyProblem(
                            f"{table.name}.{column.name} row {row_key}: no configured key "
                            "decrypts it; add the key that wrote it to WEGWIJS_OLD_SECRET_KEYS"
                        ) from None
                    if new is None:
                        unchanged += 1
                        continue
                    if not await _replace(session, column, key == row_key, stored, new):
                        unchanged += 1
                    elif is_encrypted(stored):
                        rotated += 1
                    else:
                        encrypted += 1
            if len(rows) < _BATCH:
                break
            after = rows[-1][0]
    return Rotation(encrypted=encrypted, rotated=rotated, unchanged=unchanged)


async def _replace(
    session: AsyncSession, column: Column[str], row: Any, stored: str, new: str
) -> bool:
    """Write ``new`` over ``stored``, only if the row still holds ``stored``: a note
    saved meanwhile (already under the current key) must not be overwritten with the
    old text. True if it was written."""
    result = await session.exec(
        update(column.table)
        .where(row, _raw(column) == _raw_value(stored))
        .values({column.name: _raw_value(new)})
    )
    return result.rowcount == 1


def _raw_value(value: str) -> object:
    """A value bound as plain text, so the column type does not encrypt it again."""
    return type_coerce(value, Text)
