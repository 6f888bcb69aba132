"""The benchmarks' databases: a fresh SQLite file or PostgreSQL database per run, seeded
in bulk with cases and people."""

from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.pool import NullPool

from bench.common import BACKGROUND_CHAT_BASE, POSTGRES_ADMIN_URL, USER_CHAT_BASE
from bot.core.app import consent_version
from bot.municipality import load_municipality
from bot.settings import DEFAULT_MUNICIPALITY
from flows.intake import INTAKE
from storage.db import create_engine


@asynccontextmanager
async def database(kind: str, workdir: Path, name: str) -> Any:
    """A fresh, empty database: a SQLite file, or a PostgreSQL database created here and
    dropped afterwards. Yields its DATABASE_URL."""
    if kind == "sqlite":
        path = workdir / f"{name}.db"
        for old in workdir.glob(f"{name}.db*"):
            old.unlink()
        yield f"sqlite:///{path}"
        return
    db_name = f"wegwijs_bench_{name}_{secrets.token_hex(4)}"
    await _pg_admin(f'CREATE DATABASE "{db_name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{db_name}"
    finally:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


async def _pg_admin(sql: str) -> None:
    engine = create_engine(
        POSTGRES_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT",
        connect_args={"timeout": 5},
    )  # fmt: skip
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def postgres_reachable() -> bool:
    try:
        await _pg_admin("SELECT 1")
    except Exception:
        return False
    return True


def _series(dialect: str, n: int) -> str:
    """A CTE `s(g)` of the numbers 1..n."""
    if dialect == "postgresql":
        return f"WITH s(g) AS (SELECT generate_series(1, {n}))"
    return f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n})"


async def seed(database_url: str, cases: int, users: int) -> None:
    """Bulk-insert `cases` cases (SQL, not the service), `users` of them the simulated
    people: linked, agreed, nothing answered yet. The others look like a municipality's
    caseload: a chat each, a conversation mid-intake, five answers, processed updates."""
    version = consent_version(load_municipality(DEFAULT_MUNICIPALITY))
    background = cases - users
    engine = create_engine(database_url, poolclass=NullPool)
    dialect = engine.dialect.name
    pg = dialect == "postgresql"
    hexid = "lpad(to_hex(g), 31, '0')" if pg else "printf('%031x', g)"
    ts = "'2026-11-01 10:00:00+00'" if pg else "'2026-11-01 10:00:00.000000'"
    lang = "(ARRAY['ar','ti','nl','en'])[1 + g % 4]" if pg else (
        "CASE g % 4 WHEN 0 THEN 'ar' WHEN 1 THEN 'ti' WHEN 2 THEN 'nl' ELSE 'en' END"
    )  # fmt: skip
    invite = "'B' || lpad(g::text, 8, '0')" if pg else "'B' || printf('%08d', g)"
    invite_u = invite.replace("'B'", "'U'")
    position = '{"lang":"ar","stage":"question","question":"reading.latin","history":[]}'
    questions = [q.id for q in INTAKE.questions[:5]]
    statements = [
        # The simulated people: case u…, account USER_CHAT_BASE + g.
        f"""{_series(dialect, users)}
        INSERT INTO wegwijs_case (id, invite_code, invite_used_at, language, consent_version,
            consent_at, status, created_at, updated_at)
        SELECT 'u' || {hexid}, {invite_u}, {ts}, {lang}, '{version}', {ts}, 'open', {ts}, {ts}
        FROM s""",
        f"""{_series(dialect, users)}
        INSERT INTO channel_account (channel, external_id, case_id, language, created_at,
            last_seen_at)
        SELECT 'telegram', {USER_CHAT_BASE} + g, 'u' || {hexid}, {lang}, {ts}, {ts} FROM s""",
    ]
    if background > 0:
        statements += [
            f"""{_series(dialect, background)}
            INSERT INTO wegwijs_case (id, invite_code, invite_used_at, language,
                consent_version, consent_at, status, created_at, updated_at)
            SELECT 'b' || {hexid}, {invite}, {ts}, {lang}, '{version}', {ts}, 'open', {ts},
                {ts}
            FROM s""",
            f"""{_series(dialect, background)}
            INSERT INTO channel_account (channel, external_id, case_id, language, created_at,
                last_seen_at)
            SELECT 'telegram', {BACKGROUND_CHAT_BASE} + g, 'b' || {hexid}, {lang}, {ts}, {ts}
            FROM s""",
            f"""INSERT INTO conversation (account_id, data, updated_at)
            SELECT id, '{position}', {ts} FROM channel_account
            WHERE external_id > {BACKGROUND_CHAT_BASE}""",
            # A day of processed updates, far from the ids the fake server hands out.
            f"""{_series(dialect, background * 3)}
            INSERT INTO processed_update (channel, update_id, processed_at)
            SELECT 'telegram', 1000000000000 + g, {ts} FROM s""",
        ]
        for question in questions:
            statements.append(
                f"""{_series(dialect, background)}
                INSERT INTO answer (case_id, question_id, codes, skipped, retracted,
                    answered_at)
                SELECT 'b' || {hexid}, '{question}', '["yes"]', false, false, {ts} FROM s"""
            )
    try:
        async with engine.begin() as conn:
            for sql in statements:
                await conn.execute(text(sql))
        if pg:  # what autovacuum does on a live database
            async with engine.connect() as conn:
                await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()
